package org.ltz4d.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.ltz4d.api.analysis.AnalysisContext;
import org.ltz4d.api.analysis.Correlation;
import org.ltz4d.api.analysis.Correlator;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.Figure;
import org.ltz4d.api.analysis.Fitter;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.analysis.Pipeline;
import org.ltz4d.api.analysis.Plan;
import org.ltz4d.api.analysis.QuantityDeriver;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.data.DatasetReader;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.engine.AnalysisRequest;
import org.ltz4d.api.engine.Cancellation;
import org.ltz4d.api.engine.DatasetInfo;
import org.ltz4d.api.engine.Engine;
import org.ltz4d.api.engine.PluginInfo;
import org.ltz4d.api.engine.ProgressListener;
import org.ltz4d.api.engine.RunSummary;
import org.ltz4d.api.engine.StageInfo;
import org.ltz4d.api.error.CancelledException;
import org.ltz4d.api.error.InvalidInputException;
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.api.error.Ltz4dException;
import org.ltz4d.api.error.PluginException;
import org.ltz4d.api.error.ShapeMismatchException;
import org.ltz4d.api.error.UnsupportedFormatException;
import org.ltz4d.api.param.ParameterSpec;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.engine.internal.EngineParameters;
import org.ltz4d.engine.internal.FitRunner;
import org.ltz4d.engine.internal.PipelineParameters;
import org.ltz4d.engine.internal.PluginRegistry;
import org.ltz4d.engine.internal.PluginRegistry.Entry;
import org.ltz4d.engine.internal.PluginRegistry.Kind;
import org.ltz4d.engine.results.AtomicOutput;
import org.ltz4d.engine.results.Hdf5Results;
import org.ltz4d.engine.results.Provenance;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The local engine: finds plugins through dynamic service references (a bundle installed,
 * stopped, updated or removed while the runtime runs is picked up at once), runs pipelines over
 * streamed datasets on all cores, survives plugins that throw, and writes results with
 * provenance. Usable without OSGi too: construct it and {@link #register} plugins.
 */
@Component(service = Engine.class, immediate = true)
public class LocalEngine implements Engine {
    public static final String RESULTS_FILE = "results.h5";
    public static final String CORRELATION_FILE = "correlation.h5";

    private final PluginRegistry registry = new PluginRegistry();
    private final PipelineParameters pipelineParameters = new PipelineParameters(registry);
    private final ObjectMapper json = new ObjectMapper();
    private volatile String version = "dev";

    public LocalEngine() {
    }

    // ---- plugin registration (DS callbacks and plain Java) ----

    /** Registers a plugin outside OSGi (tests, embedding), with a made-up origin. */
    public void register(Object plugin, String bundle, String version) {
        registry.add(plugin, fixedOrigin(bundle, version));
    }

    public void unregister(Object plugin) {
        registry.remove(plugin);
    }

    private static PluginRegistry.Origin fixedOrigin(String bundle, String version) {
        return new PluginRegistry.Origin() {
            public String bundle() { return bundle; }
            public String version() { return version; }
            public String state() { return "active"; }
        };
    }

    private static PluginRegistry.Origin origin(ServiceReference<?> ref) {
        Bundle b = ref.getBundle();
        if (b == null) return fixedOrigin("(unregistered)", "");
        String bsn = b.getSymbolicName();
        String v = b.getVersion().toString();
        return new PluginRegistry.Origin() {
            public String bundle() { return bsn; }
            public String version() { return v; }
            public String state() { return stateName(b.getState()); }
        };
    }

    static String stateName(int s) {
        return switch (s) {
            case Bundle.ACTIVE -> "active";
            case Bundle.RESOLVED -> "resolved";
            case Bundle.INSTALLED -> "installed";
            case Bundle.STARTING -> "starting";
            case Bundle.STOPPING -> "stopping";
            case Bundle.UNINSTALLED -> "uninstalled";
            default -> "unknown";
        };
    }

    @org.osgi.service.component.annotations.Activate
    void activate(org.osgi.framework.BundleContext ctx) {
        version = ctx.getBundle().getVersion().toString();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addReader(DatasetReader r, ServiceReference<DatasetReader> ref) { registry.add(r, origin(ref)); }

    void removeReader(DatasetReader r) { registry.remove(r); }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addFitter(Fitter f, ServiceReference<Fitter> ref) { registry.add(f, origin(ref)); }

    void removeFitter(Fitter f) { registry.remove(f); }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addDeriver(QuantityDeriver d, ServiceReference<QuantityDeriver> ref) { registry.add(d, origin(ref)); }

    void removeDeriver(QuantityDeriver d) { registry.remove(d); }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addCorrelator(Correlator c, ServiceReference<Correlator> ref) { registry.add(c, origin(ref)); }

    void removeCorrelator(Correlator c) { registry.remove(c); }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addPipeline(Pipeline p, ServiceReference<Pipeline> ref) { registry.add(p, origin(ref)); }

    void removePipeline(Pipeline p) { registry.remove(p); }

    // ---- Engine ----

    @Override
    public List<PluginInfo> plugins() {
        return registry.all().stream().map(Entry::info).toList();
    }

    @Override
    public List<ParameterSpec> parameters() {
        return EngineParameters.SPECS;
    }

    @Override
    public List<ParameterSpec> pipelineParameters(String pipelineName, Parameters params) {
        return pipelineParameters.accepted(pipelineName, params);
    }

    @Override
    public List<StageInfo> stages(String pipelineName) {
        return pipelineParameters.stages(pipelineName);
    }

    @Override
    public List<ParameterSpec> correlatorParameters(List<String> correlators) {
        List<ParameterSpec> out = new ArrayList<>(EngineParameters.SPECS);
        for (String n : correlators) out.addAll(((Correlator) require(Kind.CORRELATOR, n, "correlate").plugin()).parameters());
        return distinct(out);
    }

    private static List<ParameterSpec> distinct(List<ParameterSpec> specs) {
        Map<String, ParameterSpec> m = new LinkedHashMap<>();
        for (ParameterSpec s : specs) m.putIfAbsent(s.name(), s);
        return List.copyOf(m.values());
    }

    @Override
    public Dataset open(Path file, Parameters options) {
        if (!Files.exists(file)) throw new InvalidInputException(file, "file", "an existing file", "no such file");
        if (Files.isDirectory(file)) throw new InvalidInputException(file, "file", "a data file", "a folder");
        ByteBuffer head = ByteBuffer.allocate(4096);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (head.hasRemaining() && ch.read(head) > 0) {
                // fill the probe buffer
            }
        } catch (IOException e) {
            throw new InvalidInputException(file, "file", "a readable file", e.getMessage(), e);
        }
        head.flip();
        List<Entry> readers = registry.all(Kind.READER);
        if (readers.isEmpty()) throw new UnsupportedFormatException(file, "format", "a reader plugin", "no reader is installed");
        String forced = options.string("format").orElse(null);
        Entry best = null;
        double bestScore = 0;
        for (Entry e : readers) {
            DatasetReader r = (DatasetReader) e.plugin();
            double s;
            if (forced != null) {
                s = e.name().equals(forced) ? 1 : 0;
            } else {
                try {
                    s = r.probe(file, head.asReadOnlyBuffer());
                } catch (RuntimeException ex) {
                    s = 0; // a probe must not throw; a broken reader simply does not claim the file
                }
            }
            if (s > bestScore) {
                bestScore = s;
                best = e;
            }
        }
        if (best == null) {
            throw new UnsupportedFormatException(file, "format",
                    forced != null ? "a reader named '" + forced + "'" : "a format one of the installed readers ("
                            + String.join(", ", readers.stream().map(Entry::name).toList()) + ") recognises",
                    "none claims it");
        }
        DatasetReader reader = (DatasetReader) best.plugin();
        Dataset ds;
        try {
            ds = reader.open(file, options);
        } catch (Ltz4dException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new PluginException(best.name(), "failed to open " + file + ": " + e, e);
        }
        if (ds.navShape().rank() != 2 || ds.sigShape().rank() != 2) {
            ds.close();
            throw new ShapeMismatchException(file, "shape", "nav (scan_y, scan_x) and sig (det_y, det_x) of rank 2",
                    "nav " + ds.navShape() + ", sig " + ds.sigShape());
        }
        return ds;
    }

    @Override
    public DatasetInfo info(Path file, Parameters options, boolean sum, ProgressListener progress) {
        try (Dataset ds = open(file, options)) {
            Calibration cal = ds.calibration().overriddenBy(EngineParameters.calibrationOverrides(options));
            double total = Double.NaN;
            if (sum) total = sum(ds, options, progress);
            return new DatasetInfo(file, ds.format(), ds.navShape(), ds.sigShape(), ds.dtype(), cal, ds.metadata(), total);
        }
    }

    private double sum(Dataset ds, Parameters options, ProgressListener progress) {
        int threads = EngineParameters.threads(options);
        long frames = ds.frameCount();
        int px = ds.framePixels();
        int block = (int) Math.max(1, Math.min(1024, (8L << 20) / (4L * px)));
        long nBlocks = (frames + block - 1) / block;
        AtomicLong next = new AtomicLong();
        AtomicLong done = new AtomicLong();
        DoubleAdder total = new DoubleAdder();
        List<Thread> ts = new ArrayList<>();
        List<RuntimeException> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int t = 0; t < Math.min(threads, nBlocks); t++) {
            Thread th = new Thread(() -> {
                float[] buf = new float[block * px];
                long b;
                try {
                    while ((b = next.getAndIncrement()) < nBlocks) {
                        long first = b * block;
                        int n = (int) Math.min(block, frames - first);
                        ds.readFrames(first, n, buf, 0);
                        double s = 0;
                        for (int i = 0; i < n * px; i++) s += buf[i];
                        total.add(s);
                        progress.update("sum", done.addAndGet(n), frames);
                    }
                } catch (RuntimeException e) {
                    errors.add(e);
                }
            }, "ltz4d-sum");
            th.setDaemon(true);
            th.start();
            ts.add(th);
        }
        for (Thread th : ts) {
            try {
                th.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancelledException("interrupted");
            }
        }
        if (!errors.isEmpty()) throw errors.get(0);
        return total.sum();
    }

    @Override
    public RunSummary analyze(AnalysisRequest req, ProgressListener progress, Cancellation cancel) {
        long t0 = System.nanoTime();
        Parameters params = req.parameters();
        Entry pipeEntry = registry.find(Kind.PIPELINE, req.pipeline()).orElseThrow(() -> new InvalidParameterException("pipeline",
                installed(Kind.PIPELINE), req.pipeline()));
        Pipeline pipeline = (Pipeline) pipeEntry.plugin();
        Plan plan = guard(pipeEntry, () -> pipeline.plan(params));
        Provenance prov = new Provenance(version);
        prov.bundle("pipeline", pipeEntry.name(), pipeEntry.origin().bundle(), pipeEntry.origin().version());

        // resolve every stage before reading anything, so a missing plugin fails fast
        List<List<Entry>> passes = new ArrayList<>();
        for (List<String> pass : plan.passes()) {
            List<Entry> es = new ArrayList<>();
            for (String n : pass) es.add(require(Kind.FITTER, n, pipeline.name()));
            passes.add(es);
        }
        List<Entry> derivers = plan.derivers().stream().map(n -> require(Kind.DERIVER, n, pipeline.name())).toList();
        List<Entry> correlators = new ArrayList<>();
        List<String> warnings = pipelineParameters.skipped(pipeline, params);
        for (String n : plan.correlators()) {
            registry.find(Kind.CORRELATOR, n).ifPresentOrElse(correlators::add,
                    () -> warnings.add("correlator '" + n + "' is not installed: its figures are missing"));
        }

        try (Dataset ds = open(req.input(), params)) {
            Entry readerEntry = readerOf(ds);
            List<ParameterSpec> known = new ArrayList<>(EngineParameters.SPECS);
            known.addAll(pipeline.parameters());
            if (readerEntry != null) known.addAll(((DatasetReader) readerEntry.plugin()).parameters());
            for (List<Entry> p : passes) for (Entry e : p) known.addAll(((Fitter) e.plugin()).parameters());
            for (Entry e : derivers) known.addAll(((QuantityDeriver) e.plugin()).parameters());
            for (Entry e : correlators) known.addAll(((Correlator) e.plugin()).parameters());
            pipelineParameters.check(pipeline, params, known);

            Calibration cal = ds.calibration().overriddenBy(EngineParameters.calibrationOverrides(params));
            prov.input("input", req.input()).put("pipeline", pipeline.name()).parameters(withDefaults(params, known))
                    .put("calibration", cal.asMap()).put("format", ds.format())
                    .put("nav_shape", ds.navShape().toArray()).put("sig_shape", ds.sigShape().toArray());
            if (readerEntry != null) prov.bundle("reader", readerEntry.name(), readerEntry.origin().bundle(), readerEntry.origin().version());
            for (List<Entry> p : passes) for (Entry e : p) prov.bundle("fitter", e.name(), e.origin().bundle(), e.origin().version());

            MapSet maps = fitWatched(ds, cal, params, passes, progress, cancel);

            RunContext ctx = new RunContext(cal, params, ds.navShape(), progress, cancel, prov);
            maps = derive(maps, derivers, ctx, progress, prov);
            return finish(maps, correlators, ctx, req.outDir(), RESULTS_FILE, prov, warnings, ds.frameCount(), t0, progress);
        }
    }

    @Override
    public MapSet fit(Dataset dataset, List<String> fitters, Parameters parameters, ProgressListener progress,
            Cancellation cancellation) {
        List<Entry> es = fitters.stream().map(n -> require(Kind.FITTER, n, "fit")).toList();
        Calibration cal = dataset.calibration().overriddenBy(EngineParameters.calibrationOverrides(parameters));
        return fitWatched(dataset, cal, parameters, List.of(es), progress, cancellation);
    }

    /** Runs the passes while watching the registry: a fitter that goes away cancels the run. */
    private MapSet fitWatched(Dataset ds, Calibration cal, Parameters params, List<List<Entry>> passes,
            ProgressListener progress, Cancellation cancel) {
        Map<Object, Entry> used = new ConcurrentHashMap<>();
        for (List<Entry> p : passes) for (Entry e : p) used.put(e.plugin(), e);
        Cancellation local = new Cancellation();
        java.util.concurrent.atomic.AtomicReference<Entry> gone = new java.util.concurrent.atomic.AtomicReference<>();
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
            Thread relay = relay(cancel, local);
            try {
                List<List<Fitter>> fitters = passes.stream().map(p -> p.stream().map(e -> (Fitter) e.plugin()).toList()).toList();
                return new FitRunner(EngineParameters.threads(params), EngineParameters.blockFrames(params))
                        .run(ds, cal, params, fitters, progress, local);
            } catch (CancelledException e) {
                if (gone.get() != null) throw new PluginException(gone.get().name(), local.reason(), null);
                throw e;
            } finally {
                relay.interrupt();
            }
        } finally {
            registry.removeListener(watcher);
        }
    }

    /** Forwards the caller's cancellation to the run's own token. */
    private static Thread relay(Cancellation from, Cancellation to) {
        Thread t = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    if (from.isCancelled()) {
                        to.cancel(from.reason());
                        return;
                    }
                    Thread.sleep(20);
                }
            } catch (InterruptedException e) {
                // run finished
            }
        }, "ltz4d-cancel-relay");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private MapSet derive(MapSet maps, List<Entry> derivers, RunContext ctx, ProgressListener progress, Provenance prov) {
        int i = 0;
        for (Entry e : derivers) {
            QuantityDeriver d = (QuantityDeriver) e.plugin();
            if (!registry.isRegistered(d)) throw new PluginException(e.name(), "deriver went away during the run", null);
            for (String need : d.requires()) {
                if (!maps.contains(need)) {
                    throw new PluginException(e.name(), "needs map /" + need + ", which no earlier stage produced (have: "
                            + String.join(", ", maps.paths()) + ")", null);
                }
            }
            MapSet in = maps;
            MapSet out = guard(e, () -> d.derive(in, ctx));
            maps = maps.plus(out);
            prov.bundle("deriver", e.name(), e.origin().bundle(), e.origin().version());
            progress.update("derive", ++i, derivers.size());
        }
        return maps;
    }

    @Override
    public RunSummary correlate(Path results, List<String> correlators, Parameters parameters, Path outDir,
            ProgressListener progress) {
        return correlate(results, correlators, parameters, outDir, CORRELATION_FILE, progress);
    }

    @Override
    public RunSummary correlate(Path results, List<String> correlators, Parameters parameters, Path outDir,
            String resultsFileName, ProgressListener progress) {
        MapSet maps = readResults(results);
        Parameters p = parameters;
        // the calibration of the analysis travels with its results
        Map<String, Object> root = Hdf5Results.rootAttributes(results);
        p = EngineParameters.calibrationFromAttributes(root).withAll(p);
        return runCorrelators(maps, correlators, p, outDir, resultsFileName, progress, results);
    }

    @Override
    public RunSummary runCorrelators(MapSet maps, List<String> correlators, Parameters parameters, Path outDir,
            String resultsFileName, ProgressListener progress) {
        return runCorrelators(maps, correlators, parameters, outDir, resultsFileName, progress, null);
    }

    private RunSummary runCorrelators(MapSet maps, List<String> correlators, Parameters parameters, Path outDir,
            String resultsFileName, ProgressListener progress, Path input) {
        long t0 = System.nanoTime();
        List<Entry> es = correlators.stream().map(n -> require(Kind.CORRELATOR, n, "correlate")).toList();
        List<ParameterSpec> known = new ArrayList<>(EngineParameters.SPECS);
        for (Entry e : es) known.addAll(((Correlator) e.plugin()).parameters());
        checkParameters(parameters, known);
        Provenance prov = new Provenance(version);
        if (input != null) prov.input("input", input);
        prov.parameters(withDefaults(parameters, known));
        Calibration cal = EngineParameters.calibrationOverrides(parameters);
        prov.put("calibration", cal.asMap());
        Shape nav = navShapeOf(maps);
        RunContext ctx = new RunContext(cal, parameters, nav, progress, new Cancellation(), prov);
        return finish(maps, es, ctx, outDir, resultsFileName, prov, new ArrayList<>(), 0, t0, progress);
    }

    private static Shape navShapeOf(MapSet maps) {
        for (DataMap m : maps.maps()) if (m.shape().rank() == 2) return m.shape();
        return Shape.of(1, 1);
    }

    /** Correlators, then writing everything atomically. */
    private RunSummary finish(MapSet maps, List<Entry> correlators, RunContext ctx, Path outDir, String fileName,
            Provenance prov, List<String> warnings, long frames, long t0, ProgressListener progress) {
        List<Figure> figures = new ArrayList<>();
        Map<String, Object> stats = new LinkedHashMap<>();
        MapSet produced = fileName.equals(RESULTS_FILE) ? maps : MapSet.empty();
        int i = 0;
        for (Entry e : correlators) {
            Correlator c = (Correlator) e.plugin();
            List<String> missing = c.requires().stream().filter(r -> !maps.contains(r)).toList();
            if (!missing.isEmpty()) {
                warnings.add("correlator '" + e.name() + "' skipped: missing " + String.join(", ", missing));
                continue;
            }
            try {
                Correlation r = c.correlate(maps.plus(produced), ctx);
                produced = produced.plus(r.maps());
                figures.addAll(r.figures());
                r.statistics().forEach((k, v) -> stats.put(e.name() + "." + k, v));
                prov.bundle("correlator", e.name(), e.origin().bundle(), e.origin().version());
            } catch (InvalidParameterException ex) {
                throw ex; // the user's parameter is wrong: say so rather than silently skip
            } catch (InvalidInputException ex) {
                warnings.add("correlator '" + e.name() + "' skipped: " + ex.getMessage());
            } catch (RuntimeException | LinkageError ex) {
                warnings.add("correlator '" + e.name() + "' failed: " + ex);
            }
            progress.update("correlate", ++i, correlators.size());
        }
        long failed = countFailed(produced);
        if (frames > 0) {
            stats.put("frames", frames);
            stats.put("failed_positions", failed);
        }
        stats.put("warnings", warnings.size());
        prov.put("summary", stats).put("warnings", warnings);
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("software", "ltz4d");
        root.put("ltz4d_version", version);
        try {
            root.put("provenance", json.writerWithDefaultPrettyPrinter().writeValueAsString(prov.toMap()));
        } catch (JsonProcessingException ex) {
            throw new Ltz4dException("cannot serialise provenance: " + ex.getMessage(), ex);
        }
        ctx.calibration().asMap().forEach((k, v) -> root.put("calibration_" + k, v));
        List<Path> figurePaths = new ArrayList<>();
        Path results;
        progress.update("write", 0, 1);
        try (AtomicOutput out = new AtomicOutput(outDir)) {
            Hdf5Results.write(out.stage(fileName), produced, root);
            Map<String, String> captions = new LinkedHashMap<>();
            for (Figure f : figures) {
                try {
                    Files.write(out.stage(f.fileName()), f.content());
                    captions.put(f.fileName(), f.caption());
                } catch (IOException ex) {
                    throw new InvalidInputException(outDir, f.fileName(), "a writable output folder", ex.getMessage(), ex);
                }
            }
            if (!captions.isEmpty()) {
                // captions for reports and GUIs: figures.json (one per results file name)
                String name = "figures" + (fileName.equals(RESULTS_FILE) ? "" : "_" + fileName.replace(".h5", "")) + ".json";
                try {
                    json.writerWithDefaultPrettyPrinter().writeValue(out.stage(name).toFile(), captions);
                } catch (IOException ex) {
                    throw new InvalidInputException(outDir, name, "a writable output folder", ex.getMessage(), ex);
                }
            }
            List<Path> written = out.commit();
            results = out.target(fileName);
            for (Path p : written) if (!p.equals(results) && !p.toString().endsWith(".json")) figurePaths.add(p);
        }
        progress.update("write", 1, 1);
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new RunSummary(results, frames, failed, seconds, figurePaths, stats, warnings);
    }

    private static long countFailed(MapSet maps) {
        return maps.get("fit/mask").map(m -> {
            long n = 0;
            for (int i = 0; i < m.size(); i++) if (m.get(i) != 0) n++;
            return n;
        }).orElse(0L);
    }

    @Override
    public MapSet readResults(Path results) {
        return Hdf5Results.read(results);
    }

    // ---- helpers ----

    private Entry readerOf(Dataset ds) {
        for (Entry e : registry.all(Kind.READER)) if (e.name().equals(ds.format())) return e;
        return null;
    }

    /** "one of: a, b" or "a pipeline, but none is installed". */
    private String installed(Kind kind) {
        List<String> names = registry.all(kind).stream().map(Entry::name).toList();
        return names.isEmpty() ? "a " + kind.label + ", but none is installed (see 'ltz4d plugins')"
                : "one of: " + String.join(", ", names);
    }

    private Entry require(Kind kind, String name, String by) {
        return registry.find(kind, name).orElseThrow(() -> new PluginException(name, kind.label + " needed by '" + by
                + "' is not installed or not active (installed " + kind.label + "s: "
                + String.join(", ", registry.all(kind).stream().map(Entry::name).toList()) + ")", null));
    }

    private static void checkParameters(Parameters params, List<ParameterSpec> known) {
        List<String> unknown = params.unknown(known);
        if (!unknown.isEmpty()) {
            throw new InvalidParameterException(unknown.get(0), "a parameter this pipeline knows ("
                    + String.join(", ", known.stream().map(ParameterSpec::name).distinct().sorted().toList()) + ")", null);
        }
        for (ParameterSpec s : known) params.checkAgainst(s);
    }

    private static Map<String, String> withDefaults(Parameters params, List<ParameterSpec> known) {
        Map<String, String> m = new LinkedHashMap<>();
        for (ParameterSpec s : known) if (s.defaultValue() != null) m.put(s.name(), s.defaultValue());
        m.putAll(params.asMap());
        return m;
    }

    private static <T> T guard(Entry e, java.util.function.Supplier<T> body) {
        return PipelineParameters.guard(e, body);
    }

    /** The context derivers and correlators see. */
    private final class RunContext implements AnalysisContext {
        private final Calibration cal;
        private final Parameters params;
        private final Shape nav;
        private final ProgressListener progress;
        private final Cancellation cancel;
        private final Provenance prov;

        RunContext(Calibration cal, Parameters params, Shape nav, ProgressListener progress, Cancellation cancel, Provenance prov) {
            this.cal = cal;
            this.params = params;
            this.nav = nav;
            this.progress = progress;
            this.cancel = cancel;
            this.prov = prov;
        }

        @Override
        public Calibration calibration() { return cal; }

        @Override
        public Parameters parameters() { return params; }

        @Override
        public Shape navShape() { return nav; }

        @Override
        public MapSet analyzeReference(Path file, String fitter) {
            Entry e = require(Kind.FITTER, fitter, "reference " + file.getFileName());
            try (Dataset ref = open(file, params)) {
                if (!ref.navShape().equals(nav)) {
                    throw new ShapeMismatchException(file, "scan shape", "the analysed scan's " + nav, ref.navShape().toString());
                }
                prov.input("reference_" + fitter, file);
                Calibration rc = ref.calibration().overriddenBy(EngineParameters.calibrationOverrides(params));
                return fitWatched(ref, rc, params, List.of(List.of(e)), (s, d, t) -> progress.update("reference " + s, d, t), cancel);
            }
        }

        @Override
        public void log(String message) {
            progress.update(message, 0, 0);
        }
    }
}
