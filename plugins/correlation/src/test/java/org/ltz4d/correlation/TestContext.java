package org.ltz4d.correlation;

import java.nio.file.Path;
import java.util.Map;
import org.ltz4d.api.analysis.AnalysisContext;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.param.Parameters;

/** A minimal analysis context for unit tests. */
final class TestContext implements AnalysisContext {
    private final Calibration calibration;
    private final Parameters parameters;
    private final Shape shape;

    TestContext(Shape shape, Map<String, String> params, double stepNm) {
        this.shape = shape;
        this.parameters = Parameters.of(params);
        this.calibration = stepNm > 0 ? Calibration.builder().scanStepNm(stepNm, stepNm).build() : Calibration.none();
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
        return shape;
    }

    @Override
    public MapSet analyzeReference(Path file, String fitter) {
        throw new UnsupportedOperationException("not in unit tests");
    }

    @Override
    public void log(String message) {
    }
}
