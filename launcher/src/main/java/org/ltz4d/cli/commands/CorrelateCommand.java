package org.ltz4d.cli.commands;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.ltz4d.api.engine.RunSummary;
import org.ltz4d.api.param.ParameterSpec;
import org.ltz4d.cli.CliContext;
import org.ltz4d.cli.internal.OptionTokens;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ltz4d correlate RESULTS.h5 [--lambda-s 40e-6] [--young-gpa E --poisson NU] [--clusters K]
 * [--direction-deg D] [--hist2d a,b] [--with DIR/registration.h5] [--roi r0:r1,c0:c1 | --mask FILE.npy|cluster:N|binarised:NAME]
 * --out DIR}: the pixel-to-pixel correlations of an analysis (with maps registered from other
 * instruments, restricted to a region), written to {@code DIR/correlation.h5} with figures; the
 * per-region table (mean, std, N, SEM of every map) is the {@code region-stats} correlator's, added
 * to the default correlators when a region is given; with {@code --with}, the
 * {@code registered-figures} overlays of the registered maps are added too.
 */
@Command(name = "correlate", description = {"Correlate the maps of a results.h5: misorientation of B and the tensile strain axis,",
    "magnetoelastic energy, binarised orientation maps, 2D histograms, Pearson/Spearman, clusters; writes DIR/correlation.h5."},
        customSynopsis = "ltz4d correlate RESULTS.h5 [--lambda-s 40e-6] [--young-gpa E --poisson NU] [--clusters K] [--direction-deg D] "
                + "[--hist2d a,b] --out DIR")
public final class CorrelateCommand extends ParameterisedCommand {
    /** The correlators, in the order they run (later ones may use earlier ones' maps). */
    static final List<String> DEFAULT = List.of("misorientation", "magnetoelastic", "orientation-binarise", "histogram2d", "cluster",
            "field-figures");

    @Option(names = "--correlators", description = "Comma-separated correlators to run (default: all the standard ones).")
    String correlators;

    public CorrelateCommand(CliContext ctx) {
        super(ctx);
    }

    private List<String> names() {
        return correlators == null ? DEFAULT : Arrays.stream(correlators.split(",")).map(String::trim).toList();
    }

    @Override
    List<ParameterSpec> parameters() {
        return ctx.engine().correlatorParameters(names());
    }

    @Override
    String parameterTitle() {
        return "Parameters:";
    }

    @Override
    int run(OptionTokens t) {
        Path results = Path.of(single(t, "RESULTS.h5", "one results file"));
        List<String> names = names();
        if (correlators == null && (t.parameters().has("roi") || t.parameters().has("mask"))) {
            names = new java.util.ArrayList<>(names);
            names.add("region-stats"); // a region asked for: its table too
        }
        if (correlators == null && t.parameters().has("with")) {
            names = new java.util.ArrayList<>(names);
            names.add("registered-figures"); // maps from other instruments: overlay them on the scan's fields
        }
        RunSummary s = ctx.engine().correlate(results, names, t.parameters(), out, ctx.progress());
        Summaries.print(ctx, s);
        return 0;
    }
}
