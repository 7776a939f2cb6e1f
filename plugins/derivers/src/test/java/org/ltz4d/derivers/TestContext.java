package org.ltz4d.derivers;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ltz4d.api.analysis.AnalysisContext;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.param.Parameters;

/** A test double of the engine's AnalysisContext: fixed calibration/parameters, canned reference runs. */
final class TestContext implements AnalysisContext {

    final Calibration calibration;
    final Parameters parameters;
    final Shape nav;
    final Map<String, MapSet> references = new HashMap<>();
    final List<String> referenceCalls = new ArrayList<>();
    final List<String> log = new ArrayList<>();

    TestContext(Calibration calibration, Parameters parameters, Shape nav) {
        this.calibration = calibration;
        this.parameters = parameters;
        this.nav = nav;
    }

    TestContext reference(Path file, MapSet maps) {
        references.put(file.toString(), maps);
        return this;
    }

    @Override
    public Calibration calibration() {
        return calibration;
    }

    @Override
    public Parameters parameters() {
        return parameters;
    }

    @Override
    public Shape navShape() {
        return nav;
    }

    @Override
    public MapSet analyzeReference(Path file, String fitter) {
        referenceCalls.add(fitter + " " + file);
        MapSet m = references.get(file.toString());
        if (m == null) throw new AssertionError("no canned reference for " + file);
        return m;
    }

    @Override
    public void log(String message) {
        log.add(message);
    }
}
