package org.ltz4d.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltz4d.api.analysis.AnalysisContext;
import org.ltz4d.api.analysis.Correlation;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.Figure;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.analysis.PhaseRetrieval;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.engine.ProgressListener;
import org.ltz4d.api.engine.RunSummary;
import org.ltz4d.api.error.InvalidInputException;
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.api.error.PluginException;
import org.ltz4d.api.param.ParameterSpec;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.api.units.Unit;
import org.ltz4d.engine.results.Hdf5Results;

/** Phase retrievals: a plugin kind of its own, run by name, its maps and figures written to results.h5. */
class PhaseRetrievalTest {
    @TempDir
    Path dir;

    LocalEngine engine;
    final Scaled scaled = new Scaled();

    /** "Retrieves" a phase of {@code gain}·image_0 − 1 and draws it; fails on a zero image. */
    static final class Scaled implements PhaseRetrieval {
        @Override public String name() { return "scaled"; }
        @Override public String description() { return "gain times image 0"; }

        @Override
        public List<ParameterSpec> parameters() {
            return List.of(ParameterSpec.number("gain", "phase per count", Unit.RADIAN, 2.0, 0, 100));
        }

        @Override
        public Correlation retrieve(MapSet input, AnalysisContext ctx) {
            DataMap im = input.require("img/image_0");
            double gain = ctx.parameters().number("gain", 2.0);
            float[] v = new float[im.size()];
            for (int i = 0; i < v.length; i++) v[i] = (float) (gain * im.get(i) - 1);
            if (v[0] == -1) throw new InvalidInputException(null, im.path(), "a non-zero image", "zeros");
            ctx.log("scaled: " + ctx.calibration().beamKv().orElse(Double.NaN) + " kV");
            return new Correlation(MapSet.of(DataMap.of("img/phase", im.shape(), v, Unit.RADIAN, "phase")),
                    List.of(new Figure("scaled_phase.png", "the phase", Figure.PNG, new byte[] {1, 2})), Map.of("gain_used", gain));
        }
    }

    @BeforeEach
    void setUp() {
        engine = new LocalEngine();
        engine.register(scaled, "test.phase", "1.2.0");
        engine.register(new TestPlugins.FigureCorrelator(), "test.correlators", "1.0.0");
    }

    private static MapSet image(float value) {
        float[] v = new float[12];
        java.util.Arrays.fill(v, value);
        return MapSet.of(DataMap.of("img/image_0", Shape.of(3, 4), v, Unit.COUNTS, "image"));
    }

    @Test
    void aRegisteredPhaseRetrievalIsListedRunByNameAndWritesResultsAndFigures() throws Exception {
        assertTrue(engine.plugins().stream().anyMatch(p -> p.kind().equals("phase-retrieval") && p.name().equals("scaled")
                && p.bundle().equals("test.phase")), engine.plugins().toString());
        assertTrue(engine.phaseRetrievalParameters("scaled").stream().anyMatch(s -> s.name().equals("gain")));
        assertTrue(engine.phaseRetrievalParameters("scaled").stream().anyMatch(s -> s.name().equals("beam-kv")), "with the engine's");

        Path out = dir.resolve("out");
        RunSummary s = engine.retrievePhase(image(1), "scaled", Parameters.of(Map.of("gain", "3", "beam-kv", "300")), out,
                ProgressListener.NONE);
        assertEquals(out.resolve("results.h5"), s.results());
        assertEquals(List.of(out.resolve("scaled_phase.png")), s.figures());
        assertTrue(Files.exists(out.resolve("figures.json")), "captions");
        assertEquals(3.0, s.statistics().get("scaled.gain_used"));
        MapSet back = Hdf5Results.read(s.results());
        assertEquals(java.util.Set.of("img/image_0", "img/phase"), back.paths(), "the input and the method's maps");
        assertEquals(2.0, back.require("img/phase").get(5), 1e-6);
        assertEquals(Unit.RADIAN, back.require("img/phase").unit());
        Map<String, Object> root = Hdf5Results.rootAttributes(s.results());
        assertEquals(300.0, ((Number) root.get("calibration_beam_kv")).doubleValue(), 0);
        String prov = root.get("provenance").toString();
        assertTrue(prov.contains("\"role\" : \"phase-retrieval\"") && prov.contains("test.phase") && prov.contains("\"gain\" : \"3\""), prov);

        // the same on the maps of that results file: its calibration travels along, the file is the recorded input
        engine.register(new PhaseRetrieval() {
            @Override public String name() { return "again"; }
            @Override public String description() { return "img/phase as image"; }

            @Override
            public Correlation retrieve(MapSet in, AnalysisContext ctx) {
                assertEquals(300.0, ctx.calibration().beamKv().orElseThrow(), 0);
                DataMap phase = in.require("img/phase");
                return new Correlation(MapSet.of(DataMap.of("img/phase2", phase.shape(), phase.toArray(), Unit.RADIAN, "again")),
                        List.of(), Map.of());
            }
        }, "test.phase", "1.2.0");
        RunSummary again = engine.retrievePhase(s.results(), "again", Parameters.empty(), dir.resolve("again"), ProgressListener.NONE);
        assertEquals(2.0, Hdf5Results.read(again.results()).require("img/phase2").get(0), 1e-6);
        assertTrue(Hdf5Results.rootAttributes(again.results()).get("provenance").toString().contains(s.results().toString()));
    }

    @Test
    void aMissingMethodNamesTheInstalledOnesAndACorrelatorIsNotOne() {
        PluginException e = assertThrows(PluginException.class,
                () -> engine.retrievePhase(image(1), "tie", Parameters.empty(), dir.resolve("x"), ProgressListener.NONE));
        assertEquals("tie", e.plugin());
        assertTrue(e.getMessage().contains("installed: scaled (gain times image 0)"), e.getMessage());
        assertThrows(PluginException.class, () -> engine.phaseRetrievalParameters("fig"), "a correlator is not a phase retrieval");
        engine.unregister(scaled);
        PluginException none = assertThrows(PluginException.class,
                () -> engine.retrievePhase(image(1), "scaled", Parameters.empty(), dir.resolve("x"), ProgressListener.NONE));
        assertTrue(none.getMessage().contains("none is installed"), none.getMessage());
        assertFalse(Files.exists(dir.resolve("x")));
    }

    @Test
    void aFailingMethodOrAWrongParameterFailsTheRunAndWritesNothing() {
        Path out = dir.resolve("out");
        InvalidInputException bad = assertThrows(InvalidInputException.class,
                () -> engine.retrievePhase(image(0), "scaled", Parameters.empty(), out, ProgressListener.NONE));
        assertTrue(bad.getMessage().contains("img/image_0"), bad.getMessage());
        InvalidParameterException p = assertThrows(InvalidParameterException.class,
                () -> engine.retrievePhase(image(1), "scaled", Parameters.of(Map.of("gain", "-1")), out, ProgressListener.NONE));
        assertEquals("gain", p.parameter());
        assertThrows(InvalidParameterException.class,
                () -> engine.retrievePhase(image(1), "scaled", Parameters.of(Map.of("gian", "1")), out, ProgressListener.NONE));
        assertFalse(Files.exists(out.resolve("results.h5")));
    }
}
