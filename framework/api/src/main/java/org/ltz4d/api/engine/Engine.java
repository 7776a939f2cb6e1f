package org.ltz4d.api.engine;

import java.nio.file.Path;
import java.util.List;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.param.ParameterSpec;
import org.ltz4d.api.param.Parameters;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The one service front-ends (CLI, shell, GUI) talk to. It finds readers, fitters, derivers,
 * correlators, pipelines and phase retrievals in the service registry as they come and go, and
 * runs them; plugins are never called directly by front-ends.
 * <p>
 * <b>Which plugin of a name.</b> Plugins are found by kind and name. When several services of one
 * kind share a name (say a lab's own {@code ring} fitter next to the shipped one), the engine uses
 * the first in the OSGi service order: the highest {@code service.ranking} (an {@code Integer}
 * property, 0 when absent), and among equal rankings the lowest {@code service.id}, i.e. the one
 * registered first. A plugin that wants to replace a shipped one registers with a ranking above 0.
 * {@link #plugins()} lists plugins by kind, name and that order. A run keeps the plugins it
 * resolved at its start; a fitter or deriver that goes away mid-run ends the run with an error
 * naming it (a correlator that fails is reported as a warning; a phase retrieval that fails fails
 * its run).
 * <p>
 * <b>Cancellation.</b> A run stops at the next block of frames after its {@link Cancellation} is
 * cancelled, or when the engine itself is stopped, with a
 * {@link org.ltz4d.api.error.CancelledException}; nothing is written then.
 */
@ProviderType
public interface Engine {

    /** Every plugin registered now. */
    List<PluginInfo> plugins();

    /** Parameters the engine itself takes (calibration overrides, threads, block size). */
    List<ParameterSpec> parameters();

    /**
     * Every parameter an analysis with this pipeline accepts: the engine's, the readers', the
     * pipeline's and those of each plugin its plan names for these parameters (for help texts,
     * GUIs and command-line parsing).
     */
    List<ParameterSpec> pipelineParameters(String pipeline, Parameters parameters);

    /**
     * Every stage the pipeline can run, whether or not given parameters enable it, with the
     * parameters of each (empty when the pipeline declares no stages).
     *
     * @since 1.1
     */
    List<StageInfo> stages(String pipeline);

    /** Every parameter the named correlators accept, with the engine's. */
    List<ParameterSpec> correlatorParameters(List<String> correlators);

    /**
     * Opens a file with the most confident reader. {@code options} are reader options and
     * calibration overrides (e.g. {@code scan-shape}, {@code beam-kv}).
     *
     * @throws org.ltz4d.api.error.InvalidInputException naming the file when no reader can open it
     */
    Dataset open(Path file, Parameters options);

    /** Shape, dtype, calibration and metadata of a file, and with {@code sum} the sum of all pixel values. */
    DatasetInfo info(Path file, Parameters options, boolean sum, ProgressListener progress);

    /** Runs a pipeline and writes {@code results.h5} and the figures into the request's folder. */
    RunSummary analyze(AnalysisRequest request, ProgressListener progress, Cancellation cancellation);

    /**
     * Runs fitters over a dataset and returns their results (NAV maps and merged SIG/SINGLE
     * buffers) without writing anything.
     */
    MapSet fit(Dataset dataset, List<String> fitters, Parameters parameters, ProgressListener progress,
            Cancellation cancellation);

    /**
     * Runs correlators on the maps of an existing {@code results.h5} and writes
     * {@code correlation.h5} and the figures into {@code outDir}.
     */
    RunSummary correlate(Path results, List<String> correlators, Parameters parameters, Path outDir,
            ProgressListener progress);

    /**
     * As {@link #correlate(Path, List, Parameters, Path, ProgressListener)}, writing
     * {@code outDir/resultsFileName}.
     */
    RunSummary correlate(Path results, List<String> correlators, Parameters parameters, Path outDir,
            String resultsFileName, ProgressListener progress);

    /**
     * Runs correlators (by name, in order) on given maps — for example the maps of a results file
     * — and writes {@code outDir/resultsFileName} (maps, with provenance) and the figures.
     * Calibration overrides come from {@code parameters}.
     */
    RunSummary runCorrelators(MapSet maps, List<String> correlators, Parameters parameters, Path outDir,
            String resultsFileName, ProgressListener progress);

    /**
     * Every parameter the named phase retrieval accepts, with the engine's.
     *
     * @throws org.ltz4d.api.error.PluginException naming the method and the installed ones when it is not installed
     * @since 1.2
     */
    List<ParameterSpec> phaseRetrievalParameters(String method);

    /**
     * Runs the phase retrieval {@code method} on given maps (for example Lorentz TEM images
     * {@code ltem/image_0, 1, ...}) and writes {@code outDir/results.h5} (the given maps and the
     * method's, with provenance) and its figures. Calibration overrides come from {@code parameters}. A method that fails
     * fails the run, and nothing is written.
     *
     * @throws org.ltz4d.api.error.PluginException naming the method and the installed ones when it is not installed
     * @since 1.2
     */
    RunSummary retrievePhase(MapSet input, String method, Parameters parameters, Path outDir, ProgressListener progress);

    /**
     * As {@link #retrievePhase(MapSet, String, Parameters, Path, ProgressListener)} on the maps of a
     * results file (for example a 4D-STEM deflection map), whose calibration travels with it
     * ({@code parameters} override it) and which is recorded as the input.
     *
     * @since 1.2
     */
    RunSummary retrievePhase(Path results, String method, Parameters parameters, Path outDir, ProgressListener progress);

    /** Reads the maps of a results file written by {@link #analyze} (or any compatible HDF5 file). */
    MapSet readResults(Path results);

    /**
     * As {@link #analyze(AnalysisRequest, ProgressListener, Cancellation)}, with the frames of every
     * fitter pass fitted by {@code blocks} (for example a cluster's executors) rather than on this
     * engine's threads; checks, set-up, derivers, correlators and the staged writing of the results
     * are this engine's, unchanged.
     *
     * @throws UnsupportedOperationException when this engine cannot hand out its passes
     * @since 1.3
     */
    default RunSummary analyze(AnalysisRequest request, ProgressListener progress, Cancellation cancellation, BlockFitter blocks) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot hand fitter passes to a BlockFitter");
    }

    /**
     * Fits frames {@code first .. first+count-1} of a pass handed out by
     * {@link #analyze(AnalysisRequest, ProgressListener, Cancellation, BlockFitter)}, in blocks of
     * {@code pass.blockFrames()} from {@code first}, with the installed reader and fitters of the
     * pass's names, from the set-ups the pass carries ({@link FitPass#setups()}; a fitter whose
     * set-up it does not carry computes its own); the dataset is kept open for the next range of
     * the same pass. A reader or fitter error names the file, the frame's scan position and the plugin.
     *
     * @throws UnsupportedOperationException when this engine cannot fit a range
     * @since 1.3
     */
    default FitBlock fitBlock(FitPass pass, long first, int count, Cancellation cancellation) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot fit a range of frames");
    }
}
