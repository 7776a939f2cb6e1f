package org.ltz4d.engine.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.ltz4d.api.analysis.AnalysisContext;
import org.ltz4d.api.analysis.Correlation;
import org.ltz4d.api.analysis.Correlator;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.Figure;
import org.ltz4d.api.analysis.Fitter;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.analysis.PhaseRetrieval;
import org.ltz4d.api.analysis.QuantityDeriver;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.engine.AnalysisRequest;
import org.ltz4d.api.engine.BlockFitter;
import org.ltz4d.api.engine.Cancellation;
import org.ltz4d.api.engine.FitBlock;
import org.ltz4d.api.engine.ProgressListener;
import org.ltz4d.api.engine.RunSummary;
import org.ltz4d.api.error.CancelledException;
import org.ltz4d.api.error.InvalidInputException;
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.api.error.MissingCalibrationException;
import org.ltz4d.api.error.PluginException;
import org.ltz4d.api.error.ShapeMismatchException;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.engine.internal.PluginRegistry.Entry;
import org.ltz4d.engine.internal.PluginRegistry.Kind;
import org.ltz4d.engine.internal.RunTracker.Run;
import org.ltz4d.engine.results.Hdf5Results;
import org.ltz4d.engine.results.MetadataSidecar;
import org.ltz4d.engine.results.Provenance;
import org.ltz4d.engine.results.ResultsWriter;

/**
 * Runs what the engine was asked for, once its parameters are checked: fitter passes through the
 * {@link FitRunner} (watching the registry: a fitter that goes away ends the run), derivers,
 * correlators or a phase retrieval, then the {@link ResultsWriter}. Every run is tracked
 * ({@link RunTracker}) so the caller's cancellation and the engine's shutdown reach it at once.
 */
public final class RunOrchestrator {
    private final PluginRegistry registry;
    private final ReaderSelection readers;
    private final RunTracker runs;
    private final Supplier<String> version;

    public RunOrchestrator(PluginRegistry registry, ReaderSelection readers, RunTracker runs, Supplier<String> version) {
        this.registry = registry;
        this.readers = readers;
        this.runs = runs;
        this.version = version;
    }

    /** The plugins of one analysis, resolved before anything is read. */
    public record Stages(Entry pipeline, Optional<Entry> reader, List<List<Entry>> passes, List<Entry> derivers,
            List<Entry> correlators) {
    }

    /** Fits, derives, correlates and writes {@code results.h5}; {@code withDefaults} are the checked parameters for provenance. */
    public RunSummary analyze(AnalysisRequest req, Dataset ds, Stages st, Map<String, String> withDefaults, List<String> warnings,
            ProgressListener progress, Cancellation cancel) {
        return analyze(req, ds, st, withDefaults, warnings, progress, cancel, null);
    }

    /** As {@link #analyze(AnalysisRequest, Dataset, Stages, Map, List, ProgressListener, Cancellation)}, the passes fitted by {@code remote} when not null. */
    public RunSummary analyze(AnalysisRequest req, Dataset ds, Stages st, Map<String, String> withDefaults, List<String> warnings,
            ProgressListener progress, Cancellation cancel, BlockFitter remote) {
        long t0 = System.nanoTime();
        Parameters params = req.parameters();
        Provenance prov = new Provenance(version.get());
        prov.bundle("pipeline", st.pipeline().name(), st.pipeline().origin().bundle(), st.pipeline().origin().version());
        Calibration cal = ds.calibration().overriddenBy(EngineParameters.calibrationOverrides(params));
        input(prov, "input", req.input()).put("pipeline", st.pipeline().name()).parameters(withDefaults)
                .put("calibration", cal.asMap()).put("format", ds.format())
                .put("nav_shape", ds.navShape().toArray()).put("sig_shape", ds.sigShape().toArray());
        if (!ds.metadata().isEmpty()) prov.metadata(Map.of("input_file", ds.metadata()));
        sidecar(params, prov);
        st.reader().ifPresent(r -> prov.bundle("reader", r.name(), r.origin().bundle(), r.origin().version()));
        for (List<Entry> p : st.passes()) for (Entry e : p) prov.bundle("fitter", e.name(), e.origin().bundle(), e.origin().version());
        try (Run run = runs.start(cancel)) {
            RunContext ctx = new RunContext(cal, params, ds.navShape(), progress, run.token(), prov);
            for (Entry e : st.derivers()) {
                QuantityDeriver d = (QuantityDeriver) e.plugin();
                e.guard(() -> {
                    d.check(ctx);
                    return null;
                });
            }
            MapSet maps = fitWatched(ds, cal, params, st.passes(), progress, run.token(), remote, req.input());
            maps = derive(maps, st.derivers(), ctx, progress, prov);
            return finish(maps, st.correlators(), ctx, req.outDir(), ResultsWriter.RESULTS_FILE, warnings, ds.frameCount(), t0);
        } catch (MissingCalibrationException ex) {
            if (ex.file() != null) throw ex;
            // the calibration is the input file's (with the user's overrides): name it
            throw new MissingCalibrationException(req.input(), ex.field(), ex.expected(), ex.found(), ex);
        }
    }

    /** Runs fitters over a dataset and returns their maps, writing nothing. */
    public MapSet fit(Dataset ds, List<Entry> fitters, Parameters params, ProgressListener progress, Cancellation cancel) {
        Calibration cal = ds.calibration().overriddenBy(EngineParameters.calibrationOverrides(params));
        return fitWatched(ds, cal, params, List.of(fitters), progress, cancel, null, null);
    }

    /** Fits frames {@code first .. first+count-1} of a dataset with one pass of fitters (a cluster executor's share). */
    public FitBlock fitBlock(Dataset ds, List<Entry> fitters, Parameters params, MapSet previous,
            java.util.Map<String, org.ltz4d.api.analysis.FitSetup> setups, long first, int count, int block, Cancellation cancel) {
        Calibration cal = ds.calibration().overriddenBy(EngineParameters.calibrationOverrides(params));
        try (Run run = runs.start(cancel)) {
            List<Fitter> fs = fitters.stream().map(e -> (Fitter) e.plugin()).toList();
            return new FitRunner(EngineParameters.threads(params), block).fitBlock(ds, cal, params, fs, previous, setups, first, count,
                    block, run.token());
        }
    }

    /** The sum of every pixel value, streamed through the frame runner like any fit. */
    public double sum(Dataset ds, Parameters options, ProgressListener progress) {
        PixelSum sum = new PixelSum();
        try (Run run = runs.start(null)) {
            new FitRunner(EngineParameters.threads(options), EngineParameters.blockFrames(options))
                    .run(ds, Calibration.none(), options, List.of(List.of(sum)), (s, d, t) -> progress.update("sum", d, t), run.token());
        }
        return sum.total();
    }

    /** Runs correlators on given maps and writes {@code outDir/fileName}; {@code input} (may be null) is recorded as provenance. */
    public RunSummary correlate(MapSet maps, List<Entry> correlators, Parameters params, Map<String, String> withDefaults,
            Path outDir, String fileName, ProgressListener progress, Path input) {
        long t0 = System.nanoTime();
        try (Run run = runs.start(null)) {
            RunContext ctx = mapsContext(maps, params, withDefaults, progress, run.token(), input);
            return finish(maps, correlators, ctx, outDir, fileName, new ArrayList<>(), 0, t0);
        }
    }

    /**
     * Runs one phase retrieval on given maps and writes them with its maps (which win on equal
     * paths) and figures to {@code outDir/results.h5}, so the results hold what the phase came
     * from; unlike a correlator's, its failure fails the run (nothing is written).
     */
    public RunSummary retrievePhase(MapSet input, Entry method, Parameters params, Map<String, String> withDefaults, Path outDir,
            ProgressListener progress, Path inputFile) {
        long t0 = System.nanoTime();
        try (Run run = runs.start(null)) {
            RunContext ctx = mapsContext(input, params, withDefaults, progress, run.token(), inputFile);
            PhaseRetrieval pr = (PhaseRetrieval) method.plugin();
            Correlation r = method.guard(() -> pr.retrieve(input, ctx));
            Outputs o = new Outputs(input);
            o.add(method, r, ctx);
            ctx.progress.update("phase", 1, 1);
            return write(o, ctx, outDir, ResultsWriter.RESULTS_FILE, new ArrayList<>(), 0, t0);
        }
    }

    /** The context of a run on given maps (no dataset): calibration from the parameters, provenance of the input. */
    private RunContext mapsContext(MapSet maps, Parameters params, Map<String, String> withDefaults, ProgressListener progress,
            Cancellation cancel, Path input) {
        Provenance prov = new Provenance(version.get());
        if (input != null) {
            input(prov, "input", input);
            prov.metadata(inheritedMetadata(input));
        }
        sidecar(params, prov);
        prov.parameters(withDefaults);
        Calibration cal = EngineParameters.calibrationOverrides(params);
        prov.put("calibration", cal.asMap());
        return new RunContext(cal, params, navShapeOf(maps), progress, cancel, prov);
    }

    /**
     * Records an input in the provenance: a local file by its path, one on remote storage
     * ({@code hdfs://} …) by positioned reads through a source of its scheme's provider. As for a
     * local file, a failure to read it is recorded ({@code error}), not thrown: the run has its data.
     */
    private Provenance input(Provenance prov, String role, Path file) {
        if (ReaderSelection.remote(file).isEmpty()) return prov.input(role, file);
        try (org.ltz4d.api.data.ByteSource source = readers.source(file)) {
            return prov.input(role, file, source);
        } catch (java.io.IOException e) {
            return prov; // closing a source that was only read: its values are recorded
        } catch (org.ltz4d.api.error.Ltz4dException e) {
            return prov.put(role, Map.of("name", String.valueOf(file.getFileName()), "path", file.toString(), "error", e.getMessage()));
        }
    }

    /** The metadata sidecar ({@code metadata} parameter), if given, into the provenance. */
    private static void sidecar(Parameters params, Provenance prov) {
        String file = params.string("metadata", "");
        if (!file.isBlank()) prov.metadata(MetadataSidecar.read(Path.of(file)));
    }

    /** The metadata recorded in a results file given as input (so correlations keep the sample and session); empty otherwise. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> inheritedMetadata(Path input) {
        if (!input.getFileName().toString().endsWith(".h5")) return Map.of();
        try {
            Object json = Hdf5Results.rootAttributes(input).get("provenance");
            if (json == null) return Map.of();
            Object m = new com.fasterxml.jackson.databind.ObjectMapper().readValue(json.toString(), Map.class).get("metadata");
            return m instanceof Map<?, ?> mm ? (Map<String, Object>) mm : Map.of();
        } catch (RuntimeException | java.io.IOException e) {
            return Map.of(); // not a results file of ours: nothing to inherit
        }
    }

    private static Shape navShapeOf(MapSet maps) {
        for (DataMap m : maps.maps()) if (m.shape().rank() == 2) return m.shape();
        return Shape.of(1, 1);
    }

    /** Runs the passes while watching the registry: a fitter that goes away cancels the run. */
    private MapSet fitWatched(Dataset ds, Calibration cal, Parameters params, List<List<Entry>> passes, ProgressListener progress,
            Cancellation cancel, BlockFitter remote, Path input) {
        Map<Object, Entry> used = new ConcurrentHashMap<>();
        for (List<Entry> p : passes) for (Entry e : p) used.put(e.plugin(), e);
        try (Run run = runs.start(cancel)) {
            Cancellation local = run.token();
            AtomicReference<Entry> gone = new AtomicReference<>();
            Consumer<Entry> watcher = e -> {
                if (used.containsKey(e.plugin()) && gone.compareAndSet(null, e)) {
                    local.cancel(e.kind().label + " '" + e.name() + "' (bundle " + e.origin().bundle()
                            + ") went away during the run; restart it and run again");
                }
            };
            registry.onRemoval(watcher);
            try {
                // a plugin may already be gone between resolution and here
                for (Entry e : used.values()) if (!registry.isRegistered(e.plugin())) watcher.accept(e);
                List<List<Fitter>> fitters = passes.stream().map(p -> p.stream().map(e -> (Fitter) e.plugin()).toList()).toList();
                return new FitRunner(EngineParameters.threads(params), EngineParameters.blockFrames(params), remote, input)
                        .run(ds, cal, params, fitters, progress, local);
            } catch (CancelledException e) {
                if (gone.get() != null) throw new PluginException(gone.get().name(), local.reason(), null);
                throw e;
            } finally {
                registry.removeListener(watcher);
            }
        }
    }

    private MapSet derive(MapSet maps, List<Entry> derivers, RunContext ctx, ProgressListener progress, Provenance prov) {
        int i = 0;
        for (Entry e : derivers) {
            ctx.checkNotCancelled();
            QuantityDeriver d = (QuantityDeriver) e.plugin();
            if (!registry.isRegistered(d)) throw new PluginException(e.name(), "deriver went away during the run", null);
            for (String need : d.requires()) {
                if (!maps.contains(need)) {
                    throw new PluginException(e.name(), "needs map /" + need + ", which no earlier stage produced (have: "
                            + String.join(", ", maps.paths()) + ")", null);
                }
            }
            MapSet in = maps;
            MapSet out = e.guard(() -> d.derive(in, ctx));
            maps = maps.plus(out);
            prov.bundle("deriver", e.name(), e.origin().bundle(), e.origin().version());
            progress.update("derive", ++i, derivers.size());
        }
        return maps;
    }

    /** Correlators, then writing everything atomically. */
    private RunSummary finish(MapSet maps, List<Entry> correlators, RunContext ctx, Path outDir, String fileName,
            List<String> warnings, long frames, long t0) {
        Outputs o = new Outputs(fileName.equals(ResultsWriter.RESULTS_FILE) ? maps : MapSet.empty());
        int i = 0;
        for (Entry e : correlators) {
            ctx.checkNotCancelled();
            Correlator c = (Correlator) e.plugin();
            List<String> missing = c.requires().stream().filter(r -> !maps.contains(r)).toList();
            if (!missing.isEmpty()) {
                warnings.add("correlator '" + e.name() + "' skipped: missing " + String.join(", ", missing));
                continue;
            }
            try {
                o.add(e, c.correlate(maps.plus(o.produced), ctx), ctx);
            } catch (InvalidParameterException ex) {
                throw ex; // the user's parameter is wrong: say so rather than silently skip
            } catch (InvalidInputException ex) {
                warnings.add("correlator '" + e.name() + "' skipped: " + ex.getMessage());
            } catch (RuntimeException | LinkageError ex) {
                warnings.add("correlator '" + e.name() + "' failed: " + ex);
            }
            ctx.progress.update("correlate", ++i, correlators.size());
        }
        return write(o, ctx, outDir, fileName, warnings, frames, t0);
    }

    /** What the correlators or a phase retrieval of a run produced so far. */
    private static final class Outputs {
        MapSet produced;
        final List<Figure> figures = new ArrayList<>();
        final Map<String, Object> stats = new LinkedHashMap<>();

        Outputs(MapSet produced) {
            this.produced = produced;
        }

        /** Adds a plugin's maps, figures and statistics (named {@code PLUGIN.KEY}) and records the plugin as provenance. */
        void add(Entry e, Correlation r, RunContext ctx) {
            produced = produced.plus(r.maps());
            figures.addAll(r.figures());
            r.statistics().forEach((k, v) -> stats.put(e.name() + "." + k, v));
            ctx.prov.bundle(e.kind().label, e.name(), e.origin().bundle(), e.origin().version());
        }
    }

    /** Writes the run's outputs atomically and sums it up. */
    private RunSummary write(Outputs o, RunContext ctx, Path outDir, String fileName, List<String> warnings, long frames, long t0) {
        Map<String, Object> stats = o.stats;
        long failed = countFailed(o.produced);
        if (frames > 0) {
            stats.put("frames", frames);
            stats.put("failed_positions", failed);
        }
        stats.put("warnings", warnings.size());
        ctx.prov.put("summary", stats).put("warnings", warnings);
        ctx.checkNotCancelled();
        ctx.progress.update("write", 0, 1);
        ResultsWriter.Written w = new ResultsWriter(version.get()).write(outDir, fileName, o.produced, o.figures, ctx.prov, ctx.cal);
        ctx.progress.update("write", 1, 1);
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new RunSummary(w.results(), frames, failed, seconds, w.figures(), stats, warnings);
    }

    private static long countFailed(MapSet maps) {
        return maps.get("fit/mask").map(m -> {
            long n = 0;
            for (int i = 0; i < m.size(); i++) if (m.get(i) != 0) n++;
            return n;
        }).orElse(0L);
    }

    /** The context derivers and correlators see. */
    private final class RunContext implements AnalysisContext {
        final Calibration cal;
        final Parameters params;
        final Shape nav;
        final ProgressListener progress;
        final Cancellation cancel;
        final Provenance prov;
        /** Reference runs of this run by (file, fitter): two derivers on one vacuum scan read it once. */
        private final Map<List<Object>, MapSet> references = new java.util.HashMap<>();

        RunContext(Calibration cal, Parameters params, Shape nav, ProgressListener progress, Cancellation cancel, Provenance prov) {
            this.cal = cal;
            this.params = params;
            this.nav = nav;
            this.progress = progress;
            this.cancel = cancel;
            this.prov = prov;
        }

        void checkNotCancelled() {
            if (cancel.isCancelled()) throw new CancelledException("run cancelled: " + cancel.reason());
        }

        @Override
        public Calibration calibration() { return cal; }

        @Override
        public Parameters parameters() { return params; }

        @Override
        public Shape navShape() { return nav; }

        @Override
        public MapSet analyzeReference(Path file, String fitter) {
            List<Object> key = List.of(file.toAbsolutePath().normalize(), fitter);
            MapSet done = references.get(key);
            if (done != null) return done;
            MapSet m = runReference(file, fitter);
            references.put(key, m);
            return m;
        }

        private MapSet runReference(Path file, String fitter) {
            Entry e = registry.require(Kind.FITTER, fitter, "reference " + file.getFileName());
            try (Dataset ref = readers.open(file, params)) {
                if (!ref.navShape().equals(nav)) {
                    throw new ShapeMismatchException(file, "scan shape", "the analysed scan's " + nav, ref.navShape().toString());
                }
                input(prov, "reference_" + fitter, file);
                Calibration rc = ref.calibration().overriddenBy(EngineParameters.calibrationOverrides(params));
                return fitWatched(ref, rc, params, List.of(List.of(e)), (s, d, t) -> progress.update("reference " + s, d, t), cancel, null, null);
            }
        }

        @Override
        public void log(String message) {
            progress.update(message, 0, 0);
        }
    }
}
