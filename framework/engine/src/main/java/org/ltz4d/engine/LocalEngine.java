package org.ltz4d.engine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.ltz4d.api.analysis.Correlator;
import org.ltz4d.api.analysis.Fitter;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.analysis.PhaseRetrieval;
import org.ltz4d.api.analysis.Pipeline;
import org.ltz4d.api.analysis.Plan;
import org.ltz4d.api.analysis.QuantityDeriver;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.data.DatasetReader;
import org.ltz4d.api.engine.AnalysisRequest;
import org.ltz4d.api.engine.BlockFitter;
import org.ltz4d.api.engine.Cancellation;
import org.ltz4d.api.engine.FitBlock;
import org.ltz4d.api.engine.FitPass;
import org.ltz4d.api.engine.DatasetInfo;
import org.ltz4d.api.engine.Engine;
import org.ltz4d.api.engine.PluginInfo;
import org.ltz4d.api.engine.ProgressListener;
import org.ltz4d.api.engine.RunSummary;
import org.ltz4d.api.engine.StageInfo;
import org.ltz4d.api.error.CancelledException;
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.api.error.PluginException;
import org.ltz4d.api.param.ParameterSpec;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.engine.internal.EngineParameters;
import org.ltz4d.engine.internal.OpenDatasets;
import org.ltz4d.engine.internal.Origins;
import org.ltz4d.engine.internal.PipelineParameters;
import org.ltz4d.engine.internal.PluginRegistry;
import org.ltz4d.engine.internal.PluginRegistry.Entry;
import org.ltz4d.engine.internal.PluginRegistry.Kind;
import org.ltz4d.engine.internal.ReaderSelection;
import org.ltz4d.engine.internal.RunOrchestrator;
import org.ltz4d.engine.internal.RunTracker;
import org.ltz4d.engine.results.Hdf5Results;
import org.ltz4d.engine.results.ResultsWriter;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The local engine, the DS component behind {@link Engine}: finds plugins through dynamic service
 * references (a bundle installed, stopped, updated or removed while the runtime runs is picked up
 * at once), checks a run's parameters, and hands the work to {@link ReaderSelection} (which reader
 * opens a file) and {@link RunOrchestrator} (fit on all cores, derive, correlate or retrieve a
 * phase, write results with provenance). Runs in flight are cancelled when the component is
 * deactivated. Usable without OSGi too: construct it and {@link #register} plugins.
 */
@Component(service = Engine.class, immediate = true)
public class LocalEngine implements Engine {
    public static final String RESULTS_FILE = ResultsWriter.RESULTS_FILE;
    public static final String CORRELATION_FILE = "correlation.h5";
    /** How long {@link #deactivate} waits for cancelled runs to unwind. */
    static final long STOP_WAIT_MILLIS = 10_000;

    private final PluginRegistry registry = new PluginRegistry();
    private final PipelineParameters pipelineParameters = new PipelineParameters(registry);
    private final ReaderSelection readers = new ReaderSelection(registry);
    private final RunTracker runs = new RunTracker();
    private final OpenDatasets openDatasets = new OpenDatasets(4);
    private final AtomicLong plainJavaIds = new AtomicLong();
    private volatile String version = "dev";
    private final RunOrchestrator orchestrator = new RunOrchestrator(registry, readers, runs, () -> version);

    public LocalEngine() {
    }

    // ---- plugin registration (DS callbacks and plain Java) ----

    /** Registers a plugin outside OSGi (tests, embedding), with a made-up origin and service ranking 0. */
    public void register(Object plugin, String bundle, String version) {
        register(plugin, bundle, version, 0);
    }

    /**
     * Registers a plugin outside OSGi with a service ranking: of two plugins of one name, the
     * higher ranking is used, and among equal rankings the earlier registration.
     */
    public void register(Object plugin, String bundle, String version, int ranking) {
        registry.add(plugin, Origins.fixed(bundle, version, ranking, plainJavaIds.incrementAndGet()));
    }

    public void unregister(Object plugin) {
        registry.remove(plugin);
    }

    @Activate
    void activate(BundleContext ctx) {
        version = ctx.getBundle().getVersion().toString();
    }

    /** Cancels the runs in flight (their callers get a {@link CancelledException}) and waits a little for them to unwind. */
    @Deactivate
    void deactivate() {
        openDatasets.closeAll();
        runs.cancelAll("the ltz4d engine is stopping (its bundle was stopped, updated or refreshed)");
        try {
            runs.awaitIdle(STOP_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            updated = "updatedReader")
    void addReader(DatasetReader r, ServiceReference<DatasetReader> ref) { registry.add(r, Origins.of(ref)); }

    void updatedReader(DatasetReader r, ServiceReference<DatasetReader> ref) { registry.add(r, Origins.of(ref)); }

    void removeReader(DatasetReader r) { registry.remove(r); }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            updated = "updatedFitter")
    void addFitter(Fitter f, ServiceReference<Fitter> ref) { registry.add(f, Origins.of(ref)); }

    void updatedFitter(Fitter f, ServiceReference<Fitter> ref) { registry.add(f, Origins.of(ref)); }

    void removeFitter(Fitter f) { registry.remove(f); }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            updated = "updatedDeriver")
    void addDeriver(QuantityDeriver d, ServiceReference<QuantityDeriver> ref) { registry.add(d, Origins.of(ref)); }

    void updatedDeriver(QuantityDeriver d, ServiceReference<QuantityDeriver> ref) { registry.add(d, Origins.of(ref)); }

    void removeDeriver(QuantityDeriver d) { registry.remove(d); }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            updated = "updatedCorrelator")
    void addCorrelator(Correlator c, ServiceReference<Correlator> ref) { registry.add(c, Origins.of(ref)); }

    void updatedCorrelator(Correlator c, ServiceReference<Correlator> ref) { registry.add(c, Origins.of(ref)); }

    void removeCorrelator(Correlator c) { registry.remove(c); }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            updated = "updatedPipeline")
    void addPipeline(Pipeline p, ServiceReference<Pipeline> ref) { registry.add(p, Origins.of(ref)); }

    void updatedPipeline(Pipeline p, ServiceReference<Pipeline> ref) { registry.add(p, Origins.of(ref)); }

    void removePipeline(Pipeline p) { registry.remove(p); }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            updated = "updatedPhaseRetrieval")
    void addPhaseRetrieval(PhaseRetrieval p, ServiceReference<PhaseRetrieval> ref) { registry.add(p, Origins.of(ref)); }

    void updatedPhaseRetrieval(PhaseRetrieval p, ServiceReference<PhaseRetrieval> ref) { registry.add(p, Origins.of(ref)); }

    void removePhaseRetrieval(PhaseRetrieval p) { registry.remove(p); }

    /** Remote storage ({@code hdfs://} …) a runner provides: inputs of its scheme are opened through it. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addStorage(org.ltz4d.api.data.ByteSourceProvider p) { readers.addStorage(p); }

    void removeStorage(org.ltz4d.api.data.ByteSourceProvider p) { readers.removeStorage(p); }

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
        out.add(EngineParameters.WITH);
        out.add(org.ltz4d.engine.internal.Regions.ROI);
        out.add(org.ltz4d.engine.internal.Regions.MASK);
        for (String n : correlators) out.addAll(((Correlator) require(Kind.CORRELATOR, n, "correlate").plugin()).parameters());
        return PipelineParameters.distinct(out);
    }


    @Override
    public Dataset open(Path file, Parameters options) {
        return readers.open(file, options);
    }

    @Override
    public DatasetInfo info(Path file, Parameters options, boolean sum, ProgressListener progress) {
        try (Dataset ds = open(file, options)) {
            Calibration cal = ds.calibration().overriddenBy(EngineParameters.calibrationOverrides(options));
            double total = sum ? orchestrator.sum(ds, options, progress) : Double.NaN;
            return new DatasetInfo(file, ds.format(), ds.navShape(), ds.sigShape(), ds.dtype(), cal, ds.metadata(), total);
        }
    }

    @Override
    public RunSummary analyze(AnalysisRequest req, ProgressListener progress, Cancellation cancel) {
        return analyze(req, progress, cancel, null);
    }

    @Override
    public RunSummary analyze(AnalysisRequest req, ProgressListener progress, Cancellation cancel, BlockFitter blocks) {
        Parameters params = req.parameters();
        Entry pipeEntry = registry.find(Kind.PIPELINE, req.pipeline()).orElseThrow(() -> new InvalidParameterException("pipeline",
                installed(Kind.PIPELINE), req.pipeline()));
        Pipeline pipeline = (Pipeline) pipeEntry.plugin();
        Plan plan = guard(pipeEntry, () -> pipeline.plan(params));

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
            Optional<Entry> readerEntry = readers.readerOf(ds);
            List<ParameterSpec> known = new ArrayList<>(EngineParameters.SPECS);
            known.addAll(pipeline.parameters());
            readerEntry.ifPresent(r -> known.addAll(((DatasetReader) r.plugin()).parameters()));
            for (List<Entry> p : passes) for (Entry e : p) known.addAll(((Fitter) e.plugin()).parameters());
            for (Entry e : derivers) known.addAll(((QuantityDeriver) e.plugin()).parameters());
            for (Entry e : correlators) known.addAll(((Correlator) e.plugin()).parameters());
            pipelineParameters.check(pipeline, params, known);

            RunOrchestrator.Stages stages = new RunOrchestrator.Stages(pipeEntry, readerEntry, passes, derivers, correlators);
            return orchestrator.analyze(req, ds, stages, withDefaults(params, known), warnings, progress, cancel, blocks);
        }
    }

    @Override
    public MapSet fit(Dataset dataset, List<String> fitters, Parameters parameters, ProgressListener progress,
            Cancellation cancellation) {
        List<Entry> es = fitters.stream().map(n -> require(Kind.FITTER, n, "fit")).toList();
        return orchestrator.fit(dataset, es, parameters, progress, cancellation);
    }

    /**
     * Fits a range of a pass handed out by a driver's engine. The dataset stays open (and with it the
     * fitters' per-run set-up) for the next ranges of the same file and parameters: a few are kept,
     * the oldest closed when more come, all closed when the engine stops.
     */
    @Override
    public FitBlock fitBlock(FitPass pass, long first, int count, Cancellation cancel) {
        List<Entry> es = pass.fitters().stream().map(n -> require(Kind.FITTER, n, "fit")).toList();
        Dataset ds = openDatasets.open(pass.input(), pass.parameters(), this::open);
        if (first < 0 || count < 1 || first + count > ds.frameCount()) {
            throw new InvalidParameterException("frames", "a range within the " + ds.frameCount() + " frames of " + pass.input(),
                    first + ".." + (first + count - 1));
        }
        try {
            return orchestrator.fitBlock(ds, es, pass.parameters(), pass.previous(), pass.setups(), first, count,
                    pass.blockFrames(), cancel);
        } catch (PluginException e) {
            throw new PluginException(e.plugin(), "on " + pass.input() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public RunSummary correlate(Path results, List<String> correlators, Parameters parameters, Path outDir,
            ProgressListener progress) {
        return correlate(results, correlators, parameters, outDir, CORRELATION_FILE, progress);
    }

    @Override
    public RunSummary correlate(Path results, List<String> correlators, Parameters parameters, Path outDir,
            String resultsFileName, ProgressListener progress) {
        MapSet maps = EngineParameters.withRegistered(readResults(results), parameters, this::readResults);
        maps = org.ltz4d.engine.internal.Regions.restrict(maps, parameters);
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
        List<Entry> es = correlators.stream().map(n -> require(Kind.CORRELATOR, n, "correlate")).toList();
        List<ParameterSpec> known = new ArrayList<>(EngineParameters.SPECS);
        if (input != null) { // consumed by correlate(Path, ...); kept for the provenance
            known.add(EngineParameters.WITH);
            known.add(org.ltz4d.engine.internal.Regions.ROI);
            known.add(org.ltz4d.engine.internal.Regions.MASK);
        }
        for (Entry e : es) known.addAll(((Correlator) e.plugin()).parameters());
        checkParameters(parameters, known);
        return orchestrator.correlate(maps, es, parameters, withDefaults(parameters, known), outDir, resultsFileName, progress, input);
    }

    @Override
    public List<ParameterSpec> phaseRetrievalParameters(String method) {
        List<ParameterSpec> out = new ArrayList<>(EngineParameters.SPECS);
        out.addAll(((PhaseRetrieval) requirePhaseRetrieval(method).plugin()).parameters());
        return PipelineParameters.distinct(out);
    }

    @Override
    public RunSummary retrievePhase(MapSet input, String method, Parameters parameters, Path outDir, ProgressListener progress) {
        return retrievePhase(input, method, parameters, outDir, progress, null);
    }

    @Override
    public RunSummary retrievePhase(Path results, String method, Parameters parameters, Path outDir, ProgressListener progress) {
        Entry e = requirePhaseRetrieval(method);
        MapSet maps = readResults(results);
        // the calibration of the analysis travels with its results
        Parameters p = EngineParameters.calibrationFromAttributes(Hdf5Results.rootAttributes(results)).withAll(parameters);
        return retrievePhase(maps, e.name(), p, outDir, progress, results);
    }

    private RunSummary retrievePhase(MapSet input, String method, Parameters parameters, Path outDir, ProgressListener progress, Path inputFile) {
        Entry e = requirePhaseRetrieval(method);
        List<ParameterSpec> known = new ArrayList<>(EngineParameters.SPECS);
        known.addAll(((PhaseRetrieval) e.plugin()).parameters());
        checkParameters(parameters, known);
        return orchestrator.retrievePhase(input, e, parameters, withDefaults(parameters, known), outDir, progress, inputFile);
    }

    /** The phase retrieval of that name, or an error naming it and listing the installed ones with what each does. */
    private Entry requirePhaseRetrieval(String method) {
        return registry.find(Kind.PHASE_RETRIEVAL, method).orElseThrow(() -> {
            List<String> have = registry.all(Kind.PHASE_RETRIEVAL).stream()
                    .map(e -> e.name() + " (" + describe((PhaseRetrieval) e.plugin()) + ")").toList();
            return new PluginException(method, "phase retrieval is not installed or not active ("
                    + (have.isEmpty() ? "none is installed; see 'ltz4d plugins'" : "installed: " + String.join(", ", have)) + ")", null);
        });
    }

    private static String describe(PhaseRetrieval p) {
        try {
            return p.description();
        } catch (RuntimeException ex) {
            return "no description: " + ex;
        }
    }

    @Override
    public MapSet readResults(Path results) {
        return Hdf5Results.read(results);
    }

    // ---- helpers ----

    /** "one of: a, b" or "a pipeline, but none is installed". */
    private String installed(Kind kind) {
        return registry.installed(kind);
    }

    private Entry require(Kind kind, String name, String by) {
        return registry.require(kind, name, by);
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
        return e.guard(body);
    }
}
