package org.ltz4d.api.param;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.ltz4d.api.error.InvalidParameterException;

/**
 * The free part of a command line as positional arguments and plugin parameters:
 * {@code --name value}, {@code --name=value}, and {@code --flag} for parameters the plugins
 * declare as switches. A repeated option (e.g. {@code --structure A.cif --structure B.cif})
 * becomes a comma-separated list. The engine checks every name and value against the plugins'
 * declarations, so nothing here knows any plugin. Shared by the front-ends that take
 * {@code ltz4d analyze}'s options (the CLI and the Spark runner), so they read them alike.
 *
 * @since 1.1
 */
public record OptionTokens(List<String> positional, Parameters parameters) {

    public OptionTokens {
        positional = List.copyOf(positional);
        java.util.Objects.requireNonNull(parameters, "parameters");
    }

    /** Splits {@code tokens}; {@code isFlag} tells which names take no value. */
    public static OptionTokens parse(List<String> tokens, Predicate<String> isFlag) {
        List<String> pos = new ArrayList<>();
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < tokens.size(); i++) {
            String t = tokens.get(i);
            if (isOption(t)) {
                String name = t.substring(2);
                String value;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                } else if (isFlag.test(name)) {
                    value = "true";
                } else if (i + 1 < tokens.size() && !isOption(tokens.get(i + 1))) {
                    value = tokens.get(++i);
                } else {
                    throw new InvalidParameterException(name, "a value after --" + name, null);
                }
                params.merge(name, value, (a, b) -> a + "," + b);
            } else {
                pos.add(t);
            }
        }
        return new OptionTokens(pos, Parameters.of(params));
    }

    /** "--x" is an option; "-3.5" or "-1,2" are values. */
    public static boolean isOption(String s) {
        return s.startsWith("--") && s.length() > 2;
    }
}
