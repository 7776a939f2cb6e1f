package org.ltz4d.engine.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.api.param.ParameterSpec;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.api.units.Unit;

/** The parameters the engine itself takes: calibration overrides and execution settings. */
public final class EngineParameters {
    public static final List<ParameterSpec> SPECS = List.of(
            ParameterSpec.number("beam-kv", "Accelerating voltage (overrides the file)", Unit.KILOVOLT, null, 1, 3000),
            ParameterSpec.number("pixel-mrad", "Detector pixel as a scattering angle (overrides the file)", Unit.MILLIRADIAN, null, 1e-6, 1e3),
            ParameterSpec.number("pixel-inv-angstrom", "Detector pixel as s = θ/λ (overrides the file)", Unit.INVERSE_ANGSTROM, null, 1e-8, 10),
            new ParameterSpec("scan-step-nm", ParameterSpec.Type.DOUBLE_LIST, "Scan step, one value or y,x (overrides the file)",
                    Unit.NANOMETRE, null, 0, 0, List.of()),
            ParameterSpec.number("camera-length-mm", "Camera length (overrides the file)", Unit.MILLIMETRE, null, 1e-3, 1e6),
            new ParameterSpec("scan-rotation-deg", ParameterSpec.Type.STRING, "Rotation of detector axes against scan axes, from +x towards +y, "
                    + "in [-360, 360] deg; or auto: solved from the deflection field (minimum curl), with the transpose unless --transpose is given",
                    Unit.DEGREE, null, -360, 360, List.of()),
            ParameterSpec.flag("transpose", "Detector x and y are swapped against the scan"),
            ParameterSpec.integer("threads", "Worker threads (default: all cores)", null, 1, 4096),
            ParameterSpec.integer("block-frames", "Frames per streamed block (default: about 8 MiB per worker)", null, 1, 1 << 20),
            ParameterSpec.text("format", "Force a reader by name instead of probing", null),
            ParameterSpec.text("metadata", "Sidecar FILE.yaml|json: sample, instrument, user, session, identifiers (into the NeXus entry)", null));

    /** {@code correlate} only: results files whose maps join the correlation (e.g. maps registered by {@code ltz4d register}). */
    public static final ParameterSpec WITH = ParameterSpec.text("with",
            "Maps from other instruments to correlate too: FILE.h5[,FILE.h5] (DIR/registration.h5 of ltz4d register)", null);

    private EngineParameters() {
    }

    /**
     * {@code maps} plus the maps of every file of the {@code with} parameter (read by {@code reader});
     * a 2-D map of another shape than the scan is a typed error naming its file, a path already
     * present is an error too (nothing is silently replaced).
     */
    public static org.ltz4d.api.analysis.MapSet withRegistered(org.ltz4d.api.analysis.MapSet maps, Parameters p,
            java.util.function.Function<java.nio.file.Path, org.ltz4d.api.analysis.MapSet> reader) {
        org.ltz4d.api.data.Shape scan = null;
        for (org.ltz4d.api.analysis.DataMap m : maps.maps()) if (m.shape().rank() == 2) { scan = m.shape(); break; }
        org.ltz4d.api.analysis.MapSet out = maps;
        for (String w : p.string(WITH.name(), "").split(",")) {
            if (w.isBlank()) continue;
            java.nio.file.Path f = java.nio.file.Path.of(w.strip());
            org.ltz4d.api.analysis.MapSet extra = reader.apply(f);
            for (org.ltz4d.api.analysis.DataMap m : extra.maps()) {
                if (m.shape().rank() == 2 && scan != null && !m.shape().equals(scan)) {
                    throw new org.ltz4d.api.error.ShapeMismatchException(f, "/" + m.path(), "the scan's " + scan + " (register the map first)",
                            m.shape().toString());
                }
                if (out.contains(m.path())) {
                    throw new InvalidParameterException(WITH.name(), "maps whose paths the results do not have already", f + ": /" + m.path());
                }
            }
            out = out.plus(extra);
        }
        return out;
    }


    /** The calibration values the user gave; unset fields stay unset. */
    public static Calibration calibrationOverrides(Parameters p) {
        Calibration.Builder b = Calibration.builder();
        try {
            p.number("beam-kv").ifPresent(b::beamKv);
            p.number("pixel-mrad").ifPresent(b::detectorPixelMrad);
            p.number("pixel-inv-angstrom").ifPresent(b::detectorPixelInverseAngstrom);
            p.number("camera-length-mm").ifPresent(b::cameraLengthMm);
            scanRotation(p).ifPresent(b::scanRotationDeg);
            if (p.flag("transpose")) b.transpose(true);
            p.doubleList("scan-step-nm").ifPresent(s -> {
                if (s.length == 1) b.scanStepNm(s[0], s[0]);
                else if (s.length == 2) b.scanStepNm(s[0], s[1]);
                else throw new InvalidParameterException("scan-step-nm", "one value or y,x", p.string("scan-step-nm", ""));
            });
        } catch (IllegalArgumentException e) {
            throw new InvalidParameterException("calibration", e.getMessage(), null);
        }
        if (p.has("pixel-mrad") && p.has("pixel-inv-angstrom")) {
            throw new InvalidParameterException("pixel-mrad", "either --pixel-mrad or --pixel-inv-angstrom, not both", null);
        }
        return b.build();
    }

    /** The scan rotation the user gave in degrees; empty when not given or {@code auto} (solved later from the data). */
    static Optional<Double> scanRotation(Parameters p) {
        Optional<String> raw = p.string("scan-rotation-deg");
        if (raw.isEmpty() || raw.get().trim().equalsIgnoreCase("auto")) return Optional.empty();
        double d;
        try {
            d = Double.parseDouble(raw.get().trim());
        } catch (NumberFormatException e) {
            d = Double.NaN;
        }
        if (!(d >= -360 && d <= 360)) throw new InvalidParameterException("scan-rotation-deg", "a number in [-360, 360] deg, or auto", raw.get());
        return Optional.of(d);
    }

    /** Parameters that recreate the calibration stored as {@code calibration_*} root attributes of a results file. */
    public static Parameters calibrationFromAttributes(Map<String, Object> root) {
        Map<String, String> m = new LinkedHashMap<>();
        Object unit = root.get("calibration_detector_pixel_unit");
        Object px = root.get("calibration_detector_pixel");
        if (px != null) m.put(Unit.INVERSE_ANGSTROM.symbol().equals(String.valueOf(unit)) ? "pixel-inv-angstrom" : "pixel-mrad", str(px));
        copy(root, "calibration_beam_kv", "beam-kv", m);
        copy(root, "calibration_camera_length_mm", "camera-length-mm", m);
        copy(root, "calibration_scan_rotation_deg", "scan-rotation-deg", m);
        Object sy = root.get("calibration_scan_step_y_nm");
        Object sx = root.get("calibration_scan_step_x_nm");
        if (sy != null && sx != null) m.put("scan-step-nm", str(sy) + "," + str(sx));
        Object t = root.get("calibration_transpose");
        if (t != null && (t.toString().equals("1") || t.toString().equals("true"))) m.put("transpose", "true");
        return Parameters.of(m);
    }

    private static void copy(Map<String, Object> root, String key, String param, Map<String, String> m) {
        Object v = root.get(key);
        if (v != null) m.put(param, str(v));
    }

    private static String str(Object o) {
        if (o instanceof double[] d && d.length == 1) return Double.toString(d[0]);
        if (o instanceof int[] i && i.length == 1) return Integer.toString(i[0]);
        return String.valueOf(o);
    }

    public static int threads(Parameters p) {
        return p.integer("threads", Runtime.getRuntime().availableProcessors());
    }

    public static int blockFrames(Parameters p) {
        return p.integer("block-frames", 0);
    }
}
