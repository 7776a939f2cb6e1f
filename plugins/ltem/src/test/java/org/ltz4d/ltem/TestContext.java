package org.ltz4d.ltem;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ltz4d.api.analysis.AnalysisContext;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.param.Parameters;

/** A test double of the engine's {@link AnalysisContext}. */
final class TestContext implements AnalysisContext {
    final Calibration cal;
    final Parameters params;
    final Shape nav;
    final List<String> log = new ArrayList<>();

    TestContext(Calibration cal, Map<String, String> params, Shape nav) {
        this.cal = cal;
        this.params = Parameters.of(params);
        this.nav = nav;
    }

    @Override
    public Calibration calibration() {
        return cal;
    }

    @Override
    public Parameters parameters() {
        return params;
    }

    @Override
    public Shape navShape() {
        return nav;
    }

    @Override
    public MapSet analyzeReference(Path file, String fitter) {
        throw new UnsupportedOperationException("not in this test");
    }

    @Override
    public void log(String message) {
        log.add(message);
    }
}
