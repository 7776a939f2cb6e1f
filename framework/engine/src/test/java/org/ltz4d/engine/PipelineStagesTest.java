package org.ltz4d.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.analysis.Pipeline;
import org.ltz4d.api.analysis.Plan;
import org.ltz4d.api.analysis.Stage;
import org.ltz4d.api.engine.AnalysisRequest;
import org.ltz4d.api.engine.Cancellation;
import org.ltz4d.api.engine.ProgressListener;
import org.ltz4d.api.engine.RunSummary;
import org.ltz4d.api.engine.StageInfo;
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.api.error.StageNotEnabledException;
import org.ltz4d.api.param.ParameterSpec;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.engine.results.Hdf5Results;

/** Stages of a pipeline: help lists every stage's parameters, the check names what enables a stage, a skipped stage warns once. */
class PipelineStagesTest {
    @TempDir
    Path dir;

    LocalEngine engine;

    /** Totals always; {@code scaled} (deriver {@code scale} with {@code --factor}, correlator {@code fig}) needs {@code --scale}. */
    static final class StagedPipeline implements Pipeline {
        static final Stage TOTALS = Stage.always("totals", "sum and twice the sum", List.of("sum", "double"));
        static final Stage SCALED = Stage.needs("scaled", "scaled totals and a figure", List.of("scale", "fig"), "--scale",
                p -> p.flag("scale"));

        @Override public String name() { return "staged"; }
        @Override public String description() { return "a pipeline with an expected stage that needs an option"; }
        @Override public List<ParameterSpec> parameters() { return List.of(ParameterSpec.flag("scale", "scale the totals")); }
        @Override public List<Stage> stages() { return List.of(TOTALS, SCALED); }

        @Override
        public Plan plan(Parameters p) {
            boolean scaled = SCALED.isEnabled(p);
            return new Plan(List.of(List.of("sum", "double")), scaled ? List.of("scale") : List.of(), scaled ? List.of("fig") : List.of());
        }
    }

    @BeforeEach
    void setUp() {
        engine = TestPlugins.engineWithTestPlugins();
        engine.register(new StagedPipeline(), "test.pipelines", "1.0.0");
    }

    private Path mem(String shape) throws Exception {
        return Files.createFile(dir.resolve(shape + ".mem"));
    }

    private RunSummary analyze(Map<String, String> params) throws Exception {
        return engine.analyze(new AnalysisRequest(mem("3x4"), "staged", Parameters.of(params), dir.resolve("out")), ProgressListener.NONE,
                new Cancellation());
    }

    @Test
    void stagesListEveryStageWithItsParametersWhateverTheOptions() {
        List<StageInfo> stages = engine.stages("staged");
        assertEquals(List.of("totals", "scaled"), stages.stream().map(StageInfo::name).toList());
        assertEquals("", stages.get(0).enabledBy());
        assertEquals(List.of(), stages.get(0).parameters());
        assertEquals("--scale", stages.get(1).enabledBy());
        assertEquals(List.of("scale", "fig"), stages.get(1).plugins());
        assertEquals(List.of("factor"), stages.get(1).parameters().stream().map(ParameterSpec::name).toList());
        // what a run accepts still follows the options
        assertFalse(engine.pipelineParameters("staged", Parameters.empty()).stream().anyMatch(s -> s.name().equals("factor")));
        assertTrue(engine.pipelineParameters("staged", Parameters.single("scale", "true")).stream().anyMatch(s -> s.name().equals("factor")));
        // a pipeline that declares no stages has none
        engine.register(TestPlugins.pipeline("flat", new Plan(List.of(List.of("sum")), List.of(), List.of())), "test.pipelines", "1.0.0");
        assertEquals(List.of(), engine.stages("flat"));
        InvalidParameterException e = assertThrows(InvalidParameterException.class, () -> engine.stages("nope"));
        assertEquals("parameter --pipeline: expected one of: flat, staged, found 'nope'", e.getMessage());
    }

    @Test
    void aParameterOfAStageTheOptionsDoNotEnableNamesWhatEnablesIt() {
        StageNotEnabledException e = assertThrows(StageNotEnabledException.class, () -> analyze(Map.of("factor", "3")));
        assertEquals("--factor is used for scaled, which needs --scale", e.getMessage());
        assertEquals("factor", e.parameter());
        assertEquals("scaled", e.stage());
        assertFalse(Files.exists(dir.resolve("out/results.h5")));
    }

    @Test
    void aTrulyUnknownParameterIsRejectedListingEveryParameterOfThePipeline() {
        InvalidParameterException e = assertThrows(InvalidParameterException.class, () -> analyze(Map.of("factr", "3")));
        assertFalse(e instanceof StageNotEnabledException);
        TreeSet<String> known = new TreeSet<>();
        engine.parameters().forEach(s -> known.add(s.name()));
        known.addAll(List.of("scale", "factor"));
        assertEquals("parameter --factr: expected a parameter this pipeline knows (" + String.join(", ", known) + ")", e.getMessage());
    }

    @Test
    void aSkippedExpectedStageIsOneWarningAndTheRestRuns() throws Exception {
        RunSummary s = analyze(Map.of());
        assertEquals(List.of("scaled skipped: it needs --scale"), s.warnings());
        MapSet maps = Hdf5Results.read(s.results());
        assertTrue(maps.contains("virtual/total"));
        assertFalse(maps.contains("virtual/scaled"));
        String prov = Hdf5Results.rootAttributes(s.results()).get("provenance").toString();
        assertTrue(prov.contains("scaled skipped: it needs --scale"), prov);
    }

    @Test
    void anEnabledStageRunsWithItsParametersAndNoWarning() throws Exception {
        RunSummary s = analyze(Map.of("scale", "true", "factor", "2"));
        assertEquals(List.of(), new ArrayList<>(s.warnings()));
        assertTrue(Hdf5Results.read(s.results()).contains("virtual/scaled"));
    }
}
