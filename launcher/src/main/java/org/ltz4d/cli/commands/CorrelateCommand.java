package org.ltz4d.cli.commands;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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

/**
 * {@code ltz4d correlate RESULTS.h5 [--lambda-s 40e-6] [--young-gpa E --poisson NU] [--clusters K]
 * [--direction-deg D] [--hist2d a,b] --out DIR}: the pixel-to-pixel correlations of an analysis,
 * written to {@code DIR/correlation.h5} with figures.
 */
@Command(name = "correlate", description = {"Correlate the maps of a results.h5: misorientation of B and the tensile strain axis,",
    "magnetoelastic energy, binarised orientation maps, 2D histograms, Pearson/Spearman, clusters; writes DIR/correlation.h5."},
        customSynopsis = "ltz4d correlate RESULTS.h5 [--lambda-s 40e-6] [--young-gpa E --poisson NU] [--clusters K] [--direction-deg D] "
                + "[--hist2d a,b] --out DIR")
public final class CorrelateCommand implements Callable<Integer> {
    /** The correlators, in the order they run (later ones may use earlier ones' maps). */
    static final List<String> DEFAULT = List.of("misorientation", "magnetoelastic", "orientation-binarise", "histogram2d", "cluster",
            "field-figures");
    private final CliContext ctx;

    @Spec
    CommandSpec spec;

    @Option(names = "--out", description = "Output folder (DIR/correlation.h5 and figures).")
    Path out;

    @Option(names = "--correlators", description = "Comma-separated correlators to run (default: all the standard ones).")
    String correlators;

    @Option(names = {"-h", "--help"}, description = "Show this help and the parameters.")
    boolean help;

    @Parameters(arity = "0..*", hidden = true)
    List<String> rest = new ArrayList<>();

    public CorrelateCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        List<String> names = correlators == null ? DEFAULT : Arrays.stream(correlators.split(",")).map(String::trim).toList();
        var specs = ctx.engine().correlatorParameters(names);
        if (help) {
            spec.commandLine().usage(ctx.out());
            ParameterTable.print(ctx.out(), "Parameters:", specs);
            return 0;
        }
        OptionTokens t = OptionTokens.parse(rest, ParameterTable.flags(specs)::contains);
        if (t.positional().size() != 1) throw new InvalidParameterException("RESULTS.h5", "one results file", null);
        if (out == null) throw new InvalidParameterException("out", "an output folder", null);
        RunSummary s = ctx.engine().correlate(Path.of(t.positional().get(0)), names, t.parameters(), out, ctx.progress());
        Summaries.print(ctx, s);
        return 0;
    }
}
