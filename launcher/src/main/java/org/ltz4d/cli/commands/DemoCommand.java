package org.ltz4d.cli.commands;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.data.Simulation;
import org.ltz4d.api.engine.AnalysisRequest;
import org.ltz4d.api.engine.RunSummary;
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.api.error.Ltz4dException;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.cli.CliContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ltz4d demo [--out DIR] [--pattern ring|glass]}: simulate a dataset with known fields
 * (the simulation service), run the amorphous pipeline end to end through the engine (vacuum
 * reference, thickness, reference ROI), then the correlators and the report when their bundles
 * are active, and compare B and strain with the ground truth.
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

    @Option(names = "--pattern", defaultValue = "glass",
            description = "Simulated pattern: ring (the ring model) or glass (a metallic glass's S(q)), when the simulator draws it "
                    + "(default: ${DEFAULT-VALUE}).")
    String pattern;

    /** The simulation's files by role (data, reference, truth/NAME). */
    private Map<String, Path> files = Map.of();

    public DemoCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        String sim = SimulateCommand.DEFAULT;
        Map<String, String> given = new LinkedHashMap<>();
        given.put("scan", scan);
        given.put("dose", Double.toString(dose));
        boolean knowsPattern = ctx.services().withSimulation(sim, s -> s.parameters().stream().anyMatch(p -> p.name().equals("pattern")));
        if (knowsPattern) given.put("pattern", pattern);
        else if (!pattern.equals("ring")) {
            throw new InvalidParameterException("pattern", "ring (the active simulator bundle draws no other pattern)", pattern);
        }
        Parameters simParams = Parameters.of(given);
        int[] shape = simParams.intList("scan", 2).orElseThrow();
        ctx.out().println("1/3 simulating " + shape[0] + "×" + shape[1] + " " + pattern + " patterns of "
                + SimulateCommand.value(ctx, sim, simParams, "detector").replace(",", "×") + " px at " + dose + " e⁻/pattern into " + out);
        files = SimulateCommand.simulate(ctx, sim, simParams, out);

        // analyse with the calibration the simulation used (its options' values or declared defaults)
        Map<String, String> p = new LinkedHashMap<>();
        for (String name : List.of("beam-kv", "pixel-mrad", "scan-step-nm", "thickness-nm")) {
            p.put(name, SimulateCommand.value(ctx, sim, simParams, name));
        }
        Path reference = files.get(Simulation.REFERENCE);
        if (reference != null) p.put("vacuum", reference.toString());
        else p.put("descan", "plane");
        p.put("reference-roi", referenceRoi(shape[0], shape[1]));
        // the ring fitter's profile carries the scattering factors' fall-off with q, which strain does not
        // deform: the ring model has none (slope 0); a glass's follows from its composition
        if (pattern.equals("ring")) p.put("ring-envelope-slope", "0");
        else {
            String composition = SimulateCommand.value(ctx, sim, simParams, "composition");
            if (!composition.isEmpty()) p.put("composition", composition);
        }
        ctx.out().println("2/3 analysing with pipeline 'amorphous' " + p);
        RunSummary s = ctx.engine().analyze(new AnalysisRequest(files.get(Simulation.DATA), "amorphous", Parameters.of(p), out),
                ctx.progress(), ctx.newRun());
        Summaries.print(ctx, s);

        List<String> correlators = CorrelateCommand.DEFAULT.stream().filter(n -> Plugins.names(ctx, "correlator").contains(n)).toList();
        if (!correlators.isEmpty()) {
            ctx.out().println("   correlating B with the strain axes " + correlators);
            Summaries.print(ctx, ctx.engine().correlate(s.results(), correlators, Parameters.of(Map.of("young-gpa", "150", "poisson", "0.3")),
                    out, ctx.progress()));
            try {
                ctx.out().println("report: " + ReportCommand.write(ctx, out));
            } catch (Ltz4dException e) {
                ctx.out().println("   (no report: " + e.getMessage() + ")");
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
    private static String referenceRoi(int scanY, int scanX) {
        return "0:" + scanY + ",0:" + Math.max(1, scanX / 5);
    }

    private void compare(MapSet maps, String path, String truth, String unit) {
        var m = maps.get(path);
        if (m.isEmpty()) {
            ctx.out().println("  " + path + ": not in the results");
            return;
        }
        Path file = files.get(Simulation.TRUTH + truth);
        if (file == null) {
            ctx.out().println("  " + path + ": the simulation wrote no truth map " + truth);
            return;
        }
        float[] t = readTruth(file);
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
