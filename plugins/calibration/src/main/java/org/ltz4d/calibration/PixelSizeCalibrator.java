package org.ltz4d.calibration;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Supplier;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.data.DetectorCalibrator;
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.api.param.Parameters;
import org.osgi.service.component.annotations.Component;

/**
 * {@code q}: the detector pixel size (Å⁻¹ as s = θ/λ, q = 2π·s; and mrad at the beam energy) from
 * rings of known position in the mean pattern — a glass's first peak ({@code ring-q}, Å⁻¹ as
 * q = 2π·s) or polycrystalline gold ({@code standard=au}: 111, 200, 220, 311, a = 4.0782 Å) —
 * each ring measured by {@link RingHarmonics}. {@code beam-kv} (kV) overrides the file's beam
 * energy for the mrad value.
 */
@Component(service = DetectorCalibrator.class)
public final class PixelSizeCalibrator implements DetectorCalibrator {
    public static final String NAME = "q";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Result calibrate(Path file, Supplier<Dataset> open, Parameters p) {
        String ringQText = p.string("ring-q").orElse(null);
        String standard = p.string("standard").orElse(null);
        String kvText = p.string("beam-kv").orElse(null);
        if ((ringQText == null) == (standard == null)) {
            throw new InvalidParameterException("ring-q", "either --ring-q Q or --standard au", ringQText == null ? "neither" : "both");
        }
        Double ringQ = ringQText == null ? null : number("ring-q", ringQText);
        Double beamKv = kvText == null ? null : number("beam-kv", kvText);
        if (ringQ != null && !(ringQ > 0 && ringQ < 100)) throw new InvalidParameterException("ring-q", "a q in (0, 100) 1/Å", ringQText);
        if (standard != null && !standard.equalsIgnoreCase("au")) throw new InvalidParameterException("standard", "au", standard);
        if (beamKv != null && !(beamKv >= 1 && beamKv <= 3000)) throw new InvalidParameterException("beam-kv", "a number in [1, 3000] kV", kvText);
        Calibrators.Mean mean = Calibrators.mean(open, Calibrators.frames(p));
        DetectorCalibration.PixelSize ps;
        try {
            ps = ringQ != null ? DetectorCalibration.fromRingQ(mean.pattern(), mean.rows(), mean.cols(), ringQ)
                    : DetectorCalibration.fromGold(mean.pattern(), mean.rows(), mean.cols());
        } catch (IllegalArgumentException e) {
            throw Calibrators.notMeasurable(file, e);
        }
        OptionalDouble kv = beamKv != null ? OptionalDouble.of(beamKv) : mean.fileBeamKv();
        List<String> lines = new ArrayList<>();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", "ltz4d-detector-pixel");
        m.put("source", file.toString());
        m.put("frames_averaged", mean.averaged());
        m.put("pixel_inv_angstrom", ps.sPerPx());
        m.put("pixel_inv_angstrom_sigma", ps.sigma());
        m.put("pixel_unit", "1/Å per pixel as s = θ/λ (q = 2π·s)");
        lines.add(String.format("pixel: %.6g ± %.2g 1/Å (s = θ/λ; q = 2π·s) per px", ps.sPerPx(), ps.sigma()));
        if (kv.isPresent()) {
            m.put("beam_kv", kv.getAsDouble());
            m.put("pixel_mrad", ps.mradPerPx(kv.getAsDouble()));
            m.put("pixel_mrad_sigma", ps.mradSigma(kv.getAsDouble()));
            lines.add(String.format("pixel: %.6g ± %.2g mrad per px at %.0f kV", ps.mradPerPx(kv.getAsDouble()), ps.mradSigma(kv.getAsDouble()),
                    kv.getAsDouble()));
        } else {
            lines.add("pixel in mrad: needs the beam energy (--beam-kv KV, none in the file)");
        }
        List<Map<String, Object>> rings = new ArrayList<>();
        for (DetectorCalibration.Ring g : ps.rings()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("ring", g.label());
            r.put("s_inv_angstrom", g.s());
            r.put("radius_px", g.measured().r0());
            r.put("radius_sigma_px", g.measured().r0Sigma());
            rings.add(r);
            lines.add(String.format("  ring %s: s = %.5f 1/Å, r = %.3f ± %.3f px", g.label(), g.s(), g.measured().r0(), g.measured().r0Sigma()));
        }
        m.put("rings", rings);
        if (!Double.isNaN(ps.chi2Reduced())) m.put("chi2_reduced", ps.chi2Reduced());
        return new Result(m, lines);
    }

    private static double number(String name, String text) {
        try {
            return Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            throw new InvalidParameterException(name, "a number", text);
        }
    }
}
