package org.ltz4d.cli.commands;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.api.param.ParameterSpec;
import org.ltz4d.cli.CliContext;
import org.ltz4d.cli.internal.OptionTokens;
import org.ltz4d.cli.internal.OutputLock;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * A command whose options are, besides {@code --out} and {@code --help}, the parameters the
 * plugins declare: help lists them with units and defaults, and the free tokens are parsed against
 * them (switches take no value). The engine checks every name and value.
 */
abstract class ParameterisedCommand implements Callable<Integer> {
    final CliContext ctx;

    @Spec
    CommandSpec spec;

    @Option(names = "--out", description = "Output folder (results appear only when complete).")
    Path out;

    @Option(names = {"-h", "--help"}, description = "Show this help and the parameters.")
    boolean help;

    @Parameters(arity = "0..*", hidden = true)
    List<String> rest = new ArrayList<>();

    ParameterisedCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    /** The parameters this command's plugins accept (may throw when a choice such as the pipeline is wrong). */
    abstract List<ParameterSpec> parameters();

    /** Title of the parameter table in the help. */
    abstract String parameterTitle();

    /** Runs with the parsed tokens; {@code out} is set. */
    abstract int run(OptionTokens tokens);

    /** Extra help when the parameters cannot be listed yet (e.g. no pipeline chosen). */
    void helpWithoutParameters() {
    }

    boolean canListParameters() {
        return true;
    }

    /** The parameter part of the help: one table by default. */
    void printParameters() {
        ParameterTable.print(ctx.out(), parameterTitle(), parameters());
    }

    @Override
    public Integer call() {
        if (help) {
            spec.commandLine().usage(ctx.out());
            if (canListParameters()) printParameters();
            else helpWithoutParameters();
            return 0;
        }
        List<ParameterSpec> specs = parameters();
        if (out == null) throw new InvalidParameterException("out", "an output folder", null);
        OptionTokens tokens = OptionTokens.parse(rest, ParameterTable.flags(specs)::contains);
        try (OutputLock lock = OutputLock.acquire(out)) { // one run at a time per output folder
            return run(tokens);
        }
    }

    /** The single positional argument, or a typed error naming what was expected. */
    static String single(OptionTokens t, String name, String expected) {
        if (t.positional().size() != 1) {
            throw new InvalidParameterException(name, expected, t.positional().isEmpty() ? "none" : String.join(" ", t.positional()));
        }
        return t.positional().get(0);
    }
}
