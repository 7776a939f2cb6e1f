package org.ltz4d.cli.commands;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.ltz4d.api.engine.RunSummary;
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.cli.CliContext;
import org.ltz4d.cli.internal.OptionTokens;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ltz4d dpc-phase RESULTS.h5 --out DIR}: integrate a 4D-STEM deflection map into a phase. */
@Command(name = "dpc-phase", description = "Integrate the deflection map of a results.h5 into a phase (Fourier, mirror padding).",
        customSynopsis = "ltz4d dpc-phase RESULTS.h5 --out DIR [--PARAMETER VALUE ...]")
public final class DpcPhaseCommand implements Callable<Integer> {
    static final String CORRELATOR = "dpc-phase";
    private final CliContext ctx;

    @Spec
    CommandSpec spec;

    @Option(names = "--out", description = "Output folder (DIR/results.h5 and figures).")
    Path out;

    @Option(names = {"-h", "--help"}, description = "Show this help and the parameters.")
    boolean help;

    @Parameters(arity = "0..*", hidden = true)
    List<String> rest = new ArrayList<>();

    public DpcPhaseCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        var specs = ctx.engine().correlatorParameters(List.of(CORRELATOR));
        if (help) {
            spec.commandLine().usage(ctx.out());
            ParameterTable.print(ctx.out(), "Parameters:", specs);
            return 0;
        }
        OptionTokens t = OptionTokens.parse(rest, ParameterTable.flags(specs)::contains);
        if (t.positional().size() != 1) throw new InvalidParameterException("RESULTS.h5", "one results file", null);
        if (out == null) throw new InvalidParameterException("out", "an output folder", null);
        RunSummary s = ctx.engine().correlate(Path.of(t.positional().get(0)), List.of(CORRELATOR), t.parameters(), out, "results.h5",
                ctx.progress());
        Summaries.print(ctx, s);
        return 0;
    }
}
