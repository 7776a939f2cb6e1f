package org.ltz4d.calibration;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.data.DetectorCalibrator;
import org.ltz4d.api.param.Parameters;
import org.osgi.service.component.annotations.Component;

/**
 * {@code distortion}: the detector's radial distortion, the first ring's radius
 * r(φ) = r0·(1 + Σ a_n cos nφ + b_n sin nφ), n = 2, 3, 4, 6, measured by {@link RingHarmonics} on
 * the mean pattern (φ from +x towards +y, array coordinates, about the direct-beam centre); the
 * result is the calibration file {@code analyze --distortion-file} reads.
 */
@Component(service = DetectorCalibrator.class)
public final class DistortionCalibrator implements DetectorCalibrator {
    public static final String NAME = "distortion";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Result calibrate(Path file, Supplier<Dataset> open, Parameters p) {
        Calibrators.Mean mean = Calibrators.mean(open, Calibrators.frames(p));
        RingHarmonics.Result r;
        try {
            double[] b = DetectorCalibration.beam(mean.pattern(), mean.rows(), mean.cols());
            double r1 = DetectorCalibration.firstRing(mean.pattern(), mean.rows(), mean.cols(), b);
            r = RingHarmonics.measure(mean.pattern(), mean.rows(), mean.cols(), b[0], b[1], r1, 0.3, 72);
        } catch (IllegalArgumentException e) {
            throw Calibrators.notMeasurable(file, e);
        }
        List<String> lines = new ArrayList<>();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", "ltz4d-distortion");
        m.put("version", 1);
        m.put("source", file.toString());
        m.put("frames_averaged", mean.averaged());
        m.put("model", "r(phi) = r0 * (1 + sum_n a_n cos(n phi) + b_n sin(n phi)); phi from +x towards +y, array coordinates, about centre_px");
        m.put("units", Map.of("centre_px", "px", "r0_px", "px", "a", "1 (relative radius)", "b", "1 (relative radius)", "angle_deg", "deg"));
        m.put("centre_px", List.of(r.cx(), r.cy()));
        m.put("r0_px", r.r0());
        m.put("r0_sigma_px", r.r0Sigma());
        m.put("sectors", r.sectors());
        m.put("chi2_reduced", r.chi2Reduced());
        List<Map<String, Object>> h = new ArrayList<>();
        lines.add(String.format("ring r0 = %.3f ± %.3f px about (%.2f, %.2f) px, %d sectors, reduced χ² %.2f", r.r0(), r.r0Sigma(), r.cx(), r.cy(),
                r.sectors(), r.chi2Reduced()));
        for (int i = 0; i < RingHarmonics.ORDERS.length; i++) {
            int n = RingHarmonics.ORDERS[i];
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("n", n);
            e.put("a", r.a()[i]);
            e.put("b", r.b()[i]);
            e.put("a_sigma", r.aSigma()[i]);
            e.put("b_sigma", r.bSigma()[i]);
            e.put("amplitude", r.amplitude(n));
            e.put("angle_deg", r.angleDeg(n));
            h.add(e);
            lines.add(String.format("  %d-fold: %.4f %% at %.1f° (a = %.5f ± %.5f, b = %.5f ± %.5f)", n, 100 * r.amplitude(n), r.angleDeg(n),
                    r.a()[i], r.aSigma()[i], r.b()[i], r.bSigma()[i]));
        }
        m.put("harmonics", h);
        return new Result(m, lines);
    }
}
