package org.ltz4d.cli.commands;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.engine.AnalysisRequest;
import org.ltz4d.api.engine.RunSummary;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.cli.CliContext;
import org.ltz4d.simulator.SimulationSpec;
import org.ltz4d.simulator.Simulator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ltz4d demo [--out DIR]}: simulate a dataset with known fields, run the amorphous
 * pipeline end to end through the engine (vacuum reference, thickness, reference ROI), then the
 * correlators and the report when their bundles are installed, and compare B and strain with the
 * ground truth.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Simulate a dataset with known B, strain and density, analyse it with the amorphous pipeline,",
            "write results.h5 and figures into DIR, and compare the maps with the ground truth."})
public final class DemoCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Option(names = "--out", defaultValue = "ltz4d-demo", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--scan", defaultValue = "64,64", description = "Scan shape Y,X (default: ${DEFAULT-VALUE}).")
    String scan;

    @Option(names = "--dose", defaultValue = "2e6", description = "Electrons per pattern (default: ${DEFAULT-VALUE}).")
    double dose;

    public DemoCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        Map<String, String> sim = new LinkedHashMap<>();
        sim.put("scan", scan);
        sim.put("dose", Double.toString(dose));
        SimulationSpec spec = SimulationSpec.fromParameters(Parameters.of(sim));
        ctx.out().println("1/3 simulating " + spec.scanY() + "×" + spec.scanX() + " patterns of " + spec.detY() + "×" + spec.detX()
                + " px at " + dose + " e⁻/pattern into " + out);
        SimulateCommand.simulate(ctx, spec, out);

        Map<String, String> p = new LinkedHashMap<>();
        p.put("beam-kv", Double.toString(spec.beamKv()));
        p.put("pixel-mrad", Double.toString(spec.pixelMrad()));
        p.put("scan-step-nm", Double.toString(spec.scanStepNm()));
        p.put("vacuum", out.resolve(Simulator.VACUUM_FILE).toString());
        p.put("thickness-nm", Double.toString(spec.thicknessNm()));
        p.put("reference-roi", referenceRoi(spec));
        ctx.out().println("2/3 analysing with pipeline 'amorphous' " + p);
        RunSummary s = ctx.engine().analyze(new AnalysisRequest(out.resolve(Simulator.DATA_FILE), "amorphous", Parameters.of(p), out),
                ctx.progress(), ctx.newRun());
        Summaries.print(ctx, s);

        List<String> correlators = CorrelateCommand.DEFAULT.stream().filter(n -> Plugins.names(ctx, "correlator").contains(n)).toList();
        if (!correlators.isEmpty()) {
            ctx.out().println("   correlating B with the strain axes " + correlators);
            Summaries.print(ctx, ctx.engine().correlate(s.results(), correlators, Parameters.of(Map.of("young-gpa", "150", "poisson", "0.3")),
                    out, ctx.progress()));
            try {
                ctx.out().println("report: " + org.ltz4d.correlation.report.HtmlReport.write(out));
            } catch (NoClassDefFoundError e) {
                ctx.out().println("   (no report: the correlation bundle is not installed)");
            }
        }

        ctx.out().println("3/3 comparing with the ground truth");
        MapSet maps = ctx.engine().readResults(s.results());
        compare(maps, "magnetic/Bx", "Bx_T", "T");
        compare(maps, "magnetic/By", "By_T", "T");
        compare(maps, "strain/exx", "exx", "");
        compare(maps, "strain/eyy", "eyy", "");
        compare(maps, "strain/exy", "exy", "");
        compare(maps, "density/relative", "density_relative", "");
        ctx.out().println("demo written to " + out.toAbsolutePath());
        return 0;
    }

    /**
     * The simulator's unstrained reference area: its default strain field cuts the scan into five
     * column bands of which the leftmost is unstrained (see the simulator's StrainField).
     */
    private static String referenceRoi(SimulationSpec s) {
        return "0:" + s.scanY() + ",0:" + Math.max(1, s.scanX() / 5);
    }

    private void compare(MapSet maps, String path, String truth, String unit) {
        var m = maps.get(path);
        if (m.isEmpty()) {
            ctx.out().println("  " + path + ": not in the results");
            return;
        }
        float[] t = readTruth(out.resolve("truth_" + truth + ".npy"));
        DataMap d = m.get();
        double se = 0;
        double ss = 0;
        int n = 0;
        for (int i = 0; i < t.length && i < d.size(); i++) {
            if (Float.isNaN(d.get(i))) continue;
            double e = d.get(i) - t[i];
            se += e * e;
            ss += t[i] * t[i];
            n++;
        }
        ctx.out().printf("  %-18s RMS error %.3g %s (RMS of truth %.3g) over %d positions%n", path, Math.sqrt(se / Math.max(1, n)), unit,
                Math.sqrt(ss / Math.max(1, n)), n);
    }

    private float[] readTruth(Path f) {
        try (Dataset ds = ctx.engine().open(f, Parameters.empty())) {
            float[] v = new float[ds.framePixels()];
            ds.readFrames(0, 1, v, 0);
            return v;
        }
    }
}
