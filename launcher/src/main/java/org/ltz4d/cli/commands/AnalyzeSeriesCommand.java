package org.ltz4d.cli.commands;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.engine.AnalysisRequest;
import org.ltz4d.api.engine.DatasetInfo;
import org.ltz4d.api.engine.RunSummary;
import org.ltz4d.api.error.InvalidInputException;
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.api.error.ShapeMismatchException;
import org.ltz4d.api.param.ParameterSpec;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.api.units.Unit;
import org.ltz4d.cli.CliContext;
import org.ltz4d.cli.internal.OptionTokens;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ltz4d analyze-series FILE... --pipeline NAME [options] --out DIR}: one pipeline over the
 * steps of an in-situ series with one shared reference and calibration, so the steps compare.
 * The reference step (first, or {@code --reference-step K}) is analysed first with the options as
 * given; its reference ring form (the median over {@code --reference-roi}, recorded in its
 * results) is then passed to every other step as {@code --reference-ellipse}, and {@code --vacuum}
 * and the calibration options are the same for every step. Writes {@code DIR/step-NNN/results.h5}
 * (as {@code analyze}), {@code DIR/series/results.h5} (the differences of the key maps against the
 * first step, with units), {@code DIR/B_series.gif} (B in the colour wheel, one frame a step, one
 * brightness scale) and {@code DIR/series.json} (per step mean |B| and mean strain, and how the
 * reference and calibration were shared). With {@code --descan} the reference step's surface is
 * every step's unless {@code --per-step-descan} is given.
 */
@Command(name = "analyze-series",
        description = {"Run one pipeline over an in-situ series (e.g. applied-field steps) with one shared reference and calibration:",
            "DIR/step-NNN/results.h5 per step, DIR/series/results.h5 (differences against the first step), DIR/B_series.gif,",
            "DIR/series.json. Every other --option is a parameter of the pipeline's plugins; with --pipeline NAME, --help lists them."},
        customSynopsis = "ltz4d analyze-series FILE FILE... --pipeline NAME [--reference-step K] [--PARAMETER VALUE ...] --out DIR")
public final class AnalyzeSeriesCommand extends AnalyzeCommand {
    static final String SERIES_DIR = "series";
    static final String GIF = "B_series.gif";
    static final String JSON = "series.json";
    /** Map groups whose differences the series file holds (those present). */
    static final List<String> GROUPS = List.of("magnetic/", "strain/", "density/");
    private static final String ROI = "reference-roi";
    private static final String ELLIPSE = "reference-ellipse";
    private static final String DESCAN = "descan";
    private static final String DESCAN_COEFFICIENTS = "descan-coefficients";
    private static final String VACUUM = "vacuum";
    private static final String ROTATION = "scan-rotation-deg";
    private static final String TRANSPOSE = "transpose";

    @Option(names = "--reference-step", defaultValue = "0",
            description = "Step (0-based) whose reference (ring form over --reference-roi) and calibration all steps share (default: ${DEFAULT-VALUE}).")
    int referenceStep;

    @Option(names = "--per-step-descan",
            description = "Fit --descan to each step separately instead of sharing the reference step's surface (a uniform field change is then removed with it).")
    boolean perStepDescan;

    @Option(names = "--frame-delay-ms", defaultValue = "500", description = "Time each step shows in the animation (ms; default: ${DEFAULT-VALUE}).")
    int frameDelayMs = 500;

    public AnalyzeSeriesCommand(CliContext ctx) {
        super(ctx);
    }

    /** The step folder of step {@code i}. */
    static Path stepDir(Path out, int i) {
        return out.resolve(String.format("step-%03d", i));
    }

    @Override
    int run(OptionTokens t) {
        List<Path> files = t.positional().stream().map(Path::of).toList();
        if (files.size() < 2) {
            throw new InvalidParameterException("FILE", "two or more dataset files, the steps of the series in order",
                    files.isEmpty() ? "none" : files.get(0).toString());
        }
        if (referenceStep < 0 || referenceStep >= files.size()) {
            throw new InvalidParameterException("reference-step", "a step from 0 to " + (files.size() - 1), Integer.toString(referenceStep));
        }
        if (frameDelayMs < 10 || frameDelayMs > 600_000) {
            throw new InvalidParameterException("frame-delay-ms", "10 to 600000 ms", Integer.toString(frameDelayMs));
        }
        Parameters given = t.parameters();
        checkAlike(files, given);

        // the reference step first, with the options as given; then its reference for every other step
        int n = files.size();
        RunSummary[] runs = new RunSummary[n];
        ctx.out().println("step " + referenceStep + " (reference): " + files.get(referenceStep));
        runs[referenceStep] = analyze(files.get(referenceStep), given, stepDir(out, referenceStep));
        Parameters shared = sharedReference(given, ctx.engine().readResults(runs[referenceStep].results()));
        for (int i = 0; i < n; i++) {
            if (i == referenceStep) continue;
            ctx.out().println("step " + i + ": " + files.get(i));
            runs[i] = analyze(files.get(i), shared, stepDir(out, i));
        }

        List<MapSet> maps = new ArrayList<>();
        for (RunSummary r : runs) maps.add(ctx.engine().readResults(r.results()));
        MapSet diffs = SeriesMaps.differences(maps, files);
        RunSummary s = ctx.engine().runCorrelators(diffs, List.of(), Parameters.empty(), out.resolve(SERIES_DIR), "results.h5", ctx.progress());
        ctx.out().println("differences against step 0: " + s.results() + " (" + diffs.size() + " maps)");
        if (SeriesMaps.hasB(maps)) {
            Path gif = out.resolve(GIF);
            SeriesMaps.writeAnimation(maps, frameDelayMs, gif);
            ctx.out().println("animation: " + gif + " (" + n + " frames)");
        } else {
            ctx.out().println("animation: none (the pipeline wrote no magnetic/Bx, magnetic/By)");
        }
        List<Map<String, Object>> summary = SeriesMaps.summary(maps, files);
        for (Map<String, Object> step : summary) ctx.out().println(SeriesMaps.line(step));
        writeJson(files, given, shared, summary, calibration(given, shared, maps));
        return 0;
    }

    private RunSummary analyze(Path file, Parameters p, Path dir) {
        RunSummary s = ctx.engine().analyze(new AnalysisRequest(file, pipeline, p, dir), ctx.progress(), ctx.newRun());
        Summaries.print(ctx, s);
        return s;
    }

    /** Every step must have the reference step's scan and detector shape and calibration ({@link #checkAlike(List, int)}). */
    private void checkAlike(List<Path> files, Parameters given) {
        List<DatasetInfo> infos = new ArrayList<>();
        for (Path f : files) infos.add(ctx.engine().info(f, given, false, ctx.progress()));
        checkAlike(infos, referenceStep);
    }

    /**
     * Throws a typed error naming the first step, and the field, that differs from step {@code ref}:
     * {@link ShapeMismatchException} for the scan or detector shape, {@link InvalidInputException}
     * for a calibration entry (pixel size, beam energy, scan step, rotation ...).
     */
    static void checkAlike(List<DatasetInfo> infos, int ref) {
        DatasetInfo r = infos.get(ref);
        String from = " as step " + ref + " (" + r.file().getFileName() + ")";
        Map<String, Object> a = r.calibration().asMap();
        for (DatasetInfo d : infos) {
            if (!d.navShape().equals(r.navShape())) {
                throw new ShapeMismatchException(d.file(), "scan shape", r.navList() + from, d.navList().toString());
            }
            if (!d.sigShape().equals(r.sigShape())) {
                throw new ShapeMismatchException(d.file(), "detector shape", r.sigList() + from, d.sigList().toString());
            }
            Map<String, Object> b = d.calibration().asMap();
            for (String k : union(a, b)) {
                if (!String.valueOf(a.get(k)).equals(String.valueOf(b.get(k)))) {
                    throw new InvalidInputException(d.file(), "calibration " + k, a.get(k) + from, String.valueOf(b.get(k)));
                }
            }
        }
    }

    private static List<String> union(Map<String, Object> a, Map<String, Object> b) {
        List<String> keys = new ArrayList<>(a.keySet());
        for (String k : b.keySet()) if (!keys.contains(k)) keys.add(k);
        return keys;
    }

    /**
     * The options of the other steps: the given ones, with the reference step's references made
     * explicit where the pipeline takes them: {@code --reference-roi} replaced by its median ring
     * form as {@code --reference-ellipse} (every step's strain and density against the same ring),
     * and with {@code --descan} its fitted surface as {@code --descan-coefficients} (every step's B
     * against the same descan, so a uniform field change between steps is kept). {@code --vacuum}
     * and the calibration options are shared as given.
     */
    Parameters sharedReference(Parameters given, MapSet reference) {
        List<String> known = parameters().stream().map(ParameterSpec::name).toList();
        Map<String, String> m = new LinkedHashMap<>(given.asMap());
        if (given.has(ROI) && !given.has(ELLIPSE)) {
            Optional<double[]> ell = reference.get("strain/exx").flatMap(d -> SeriesMaps.ellipse(d.attributes()));
            if (known.contains(ELLIPSE) && ell.isPresent()) {
                double[] e = ell.get();
                m.remove(ROI);
                m.put(ELLIPSE, e[0] + "," + e[1] + "," + e[2]);
                ctx.out().printf("shared reference: the ring form of step %d over --reference-roi %s = ellipse a = %.4f px, b = %.4f px, "
                        + "a at %.3f deg%n", referenceStep, given.string(ROI).orElse(""), e[0], e[1], e[2]);
            } else {
                ctx.err().println("ltz4d: warning: --reference-roi is applied to each step separately (pipeline '" + pipeline
                        + "' records no ring form to share)");
            }
        }
        if (given.has(DESCAN) && !given.has(DESCAN_COEFFICIENTS) && perStepDescan) {
            ctx.out().println("per-step descan (--per-step-descan): --descan " + given.string(DESCAN).orElse("") + " is fitted to each step");
        } else if (given.has(DESCAN) && !given.has(DESCAN_COEFFICIENTS)) {
            Optional<double[]> c = reference.get(SeriesMaps.BX).flatMap(d -> SeriesMaps.descan(d.attributes()));
            if (known.contains(DESCAN_COEFFICIENTS) && c.isPresent()) {
                String v = java.util.Arrays.stream(c.get()).mapToObj(Double::toString).collect(java.util.stream.Collectors.joining(","));
                m.put(DESCAN_COEFFICIENTS, v);
                ctx.out().println("shared reference: the descan surface of step " + referenceStep + " (x then y coefficients, px): " + v);
            } else {
                ctx.err().println("ltz4d: warning: --descan is fitted to each step separately (pipeline '" + pipeline
                        + "' records no descan surface to share): a uniform field change between steps is removed with it");
            }
        }
        if (given.string(ROTATION).map(v -> v.trim().equalsIgnoreCase("auto")).orElse(false)) {
            Optional<double[]> f = reference.get(SeriesMaps.BX).flatMap(d -> SeriesMaps.scanFrame(d.attributes()));
            if (f.isPresent()) {
                // one calibration for the series: the rotation solved on the reference step, given to every other step
                m.put(ROTATION, Double.toString(f.get()[0]));
                if (f.get()[1] != 0) m.put(TRANSPOSE, "true");
                else m.remove(TRANSPOSE);
                ctx.out().printf("shared calibration: the scan rotation solved on step %d = %.4f deg%s%n", referenceStep, f.get()[0],
                        f.get()[1] != 0 ? ", transposed" : "");
            } else {
                ctx.err().println("ltz4d: warning: --scan-rotation-deg auto is solved on each step separately (pipeline '" + pipeline
                        + "' records no solved scan frame on " + SeriesMaps.BX + ")");
            }
        }
        return Parameters.of(m);
    }

    /**
     * How the steps' references and calibration were shared, for series.json: the descan (the
     * reference step's surface given to every step, or fitted per step), the vacuum scan (one file
     * for every step; its beam fit is deterministic, so every step's reference centres are the same,
     * which the per-step reference scatter recorded here shows), the ring reference and the
     * calibration options (the same for every step, checked before the run).
     */
    Map<String, Object> calibration(Parameters given, Parameters shared, List<MapSet> maps) {
        Map<String, Object> c = new LinkedHashMap<>();
        if (!given.has(DESCAN)) {
            c.put("descan", "none");
        } else if (given.has(DESCAN_COEFFICIENTS)) {
            c.put("descan", "given (--descan-coefficients), the same for every step");
        } else if (shared.has(DESCAN_COEFFICIENTS)) {
            c.put("descan", "shared: the surface of step " + referenceStep + " for every step");
            c.put("descan_coefficients_px", shared.string(DESCAN_COEFFICIENTS).orElse(""));
        } else {
            c.put("descan", perStepDescan ? "per step (--per-step-descan)" : "per step (the pipeline records no surface to share)");
        }
        c.put("per_step_descan", perStepDescan);
        if (given.has(VACUUM)) {
            c.put("vacuum", "shared: " + given.string(VACUUM).orElse("") + " for every step (the same scan and beam fit, so the same "
                    + "reference centres)");
            List<Object> sig = new ArrayList<>();
            for (MapSet m : maps) sig.add(m.get(SeriesMaps.BX).map(d -> d.attributes().get("reference_sigma_px")).orElse(null));
            c.put("vacuum_reference_sigma_px_per_step", sig);
        } else {
            c.put("vacuum", "none");
        }
        c.put("reference", shared.has(ELLIPSE) ? "shared: the ring form of step " + referenceStep + " (" + shared.string(ELLIPSE).orElse("")
                + ")" : given.has(ROI) ? "per step (--reference-roi)" : "as given");
        if (given.string(ROTATION).map(v -> v.trim().equalsIgnoreCase("auto")).orElse(false)) {
            c.put("scan_rotation", shared.string(ROTATION).filter(v -> !v.trim().equalsIgnoreCase("auto"))
                    .map(v -> "shared: solved on step " + referenceStep + " (--scan-rotation-deg auto), given to every step")
                    .orElse("per step (--scan-rotation-deg auto; the pipeline records no solved frame to share)"));
            shared.string(ROTATION).filter(v -> !v.trim().equalsIgnoreCase("auto")).ifPresent(v -> c.put("scan_rotation_deg", Double.parseDouble(v)));
            c.put("transpose", shared.has(TRANSPOSE) && shared.flag(TRANSPOSE));
        }
        c.put("calibration_options", "the same for every step; every step's file calibration checked equal to step " + referenceStep + "'s");
        return c;
    }

    private void writeJson(List<Path> files, Parameters given, Parameters shared, List<Map<String, Object>> summary, Map<String, Object> calibration) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("pipeline", pipeline);
        json.put("reference_step", referenceStep);
        json.put("files", files.stream().map(Path::toString).toList());
        json.put("parameters_reference_step", given.asMap());
        json.put("parameters_other_steps", shared.asMap());
        json.put("differences", out.resolve(SERIES_DIR).resolve("results.h5").toString());
        json.put("steps", summary);
        json.put("calibration", calibration);
        Path file = out.resolve(JSON);
        try {
            Path tmp = Files.createTempFile(out, ".series", ".json.tmp");
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(tmp.toFile(), json);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file, e);
        }
    }

    /** The unit symbol of a map, "1" when dimensionless. */
    static String unit(DataMap m) {
        Unit u = m.unit();
        return u == null ? "1" : u.symbol();
    }
}
