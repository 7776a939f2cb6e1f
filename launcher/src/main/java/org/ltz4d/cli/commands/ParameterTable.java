package org.ltz4d.cli.commands;

import java.io.PrintStream;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.ltz4d.api.param.ParameterSpec;

/** Renders parameter declarations as help text (name, unit, default, description). */
final class ParameterTable {
    private ParameterTable() {
    }

    static void print(PrintStream out, String title, List<ParameterSpec> specs) {
        out.println();
        out.println(title);
        for (ParameterSpec s : specs) {
            String name = "--" + s.name() + (s.type() == ParameterSpec.Type.BOOLEAN ? "" : " " + placeholder(s));
            StringBuilder d = new StringBuilder(s.description());
            if (!s.unit().symbol().equals("1")) d.append(" [").append(s.unit().symbol()).append("]");
            if (!s.choices().isEmpty()) d.append(" (").append(String.join("|", s.choices())).append(")");
            if (s.defaultValue() != null && s.type() != ParameterSpec.Type.BOOLEAN) d.append(" (default ").append(s.defaultValue()).append(")");
            out.printf("  %-30s %s%n", name, d);
        }
    }

    private static String placeholder(ParameterSpec s) {
        return switch (s.type()) {
            case DOUBLE -> "X";
            case INTEGER -> "N";
            case FILE -> "FILE";
            case ROI -> "r0:r1,c0:c1";
            case CHOICE -> "WORD";
            case INT_LIST, DOUBLE_LIST -> "A,B";
            default -> "TEXT";
        };
    }

    static Set<String> flags(List<ParameterSpec> specs) {
        return specs.stream().filter(s -> s.type() == ParameterSpec.Type.BOOLEAN).map(ParameterSpec::name).collect(Collectors.toSet());
    }
}
