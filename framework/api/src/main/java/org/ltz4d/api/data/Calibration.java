package org.ltz4d.api.data;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;
import org.ltz4d.api.error.MissingCalibrationException;
import org.ltz4d.api.units.Electron;
import org.ltz4d.api.units.Quantity;
import org.ltz4d.api.units.Unit;

/**
 * Typed calibration of a 4D dataset (DESIGN.md §2): scan step (nm), detector pixel as an angle
 * (mrad) or a reciprocal length (Å⁻¹ as s = θ/λ, so q = 2π·s), beam energy (kV), camera length (mm),
 * and the rotation/transpose of the detector against the scan. Every value is optional: readers set
 * what the file says, the user overrides, and an analysis asks with a {@code require...} method,
 * which names the missing field. Immutable; build with {@link #builder()}.
 */
public final class Calibration {
    private static final Calibration NONE = new Builder().build();

    private final Double scanStepYNm;
    private final Double scanStepXNm;
    private final Quantity detectorPixel;
    private final Double beamKv;
    private final Double cameraLengthMm;
    private final Double scanRotationDeg;
    private final boolean transpose;

    private Calibration(Builder b) {
        this.scanStepYNm = b.scanStepYNm;
        this.scanStepXNm = b.scanStepXNm;
        this.detectorPixel = b.detectorPixel;
        this.beamKv = b.beamKv;
        this.cameraLengthMm = b.cameraLengthMm;
        this.scanRotationDeg = b.scanRotationDeg;
        this.transpose = b.transpose;
    }

    public static Calibration none() {
        return NONE;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.scanStepYNm = scanStepYNm;
        b.scanStepXNm = scanStepXNm;
        b.detectorPixel = detectorPixel;
        b.beamKv = beamKv;
        b.cameraLengthMm = cameraLengthMm;
        b.scanRotationDeg = scanRotationDeg;
        b.transpose = transpose;
        return b;
    }

    /** This calibration with every value that {@code override} sets taking precedence. */
    public Calibration overriddenBy(Calibration override) {
        Builder b = toBuilder();
        if (override.scanStepYNm != null) b.scanStepYNm = override.scanStepYNm;
        if (override.scanStepXNm != null) b.scanStepXNm = override.scanStepXNm;
        if (override.detectorPixel != null) b.detectorPixel = override.detectorPixel;
        if (override.beamKv != null) b.beamKv = override.beamKv;
        if (override.cameraLengthMm != null) b.cameraLengthMm = override.cameraLengthMm;
        if (override.scanRotationDeg != null) b.scanRotationDeg = override.scanRotationDeg;
        if (override.transpose) b.transpose = true;
        return b.build();
    }

    public OptionalDouble scanStepYNm() { return opt(scanStepYNm); }

    public OptionalDouble scanStepXNm() { return opt(scanStepXNm); }

    /** Detector pixel size in {@link Unit#MILLIRADIAN} or {@link Unit#INVERSE_ANGSTROM}, if known. */
    public java.util.Optional<Quantity> detectorPixel() { return java.util.Optional.ofNullable(detectorPixel); }

    public OptionalDouble beamKv() { return opt(beamKv); }

    public OptionalDouble cameraLengthMm() { return opt(cameraLengthMm); }

    /** Rotation of detector axes against scan axes, degrees from +x towards +y; 0 when unknown. */
    public double scanRotationDeg() { return scanRotationDeg == null ? 0.0 : scanRotationDeg; }

    /** Whether detector x/y are swapped against the scan before the rotation. */
    public boolean transpose() { return transpose; }

    public double requireBeamKv(String where) {
        if (beamKv == null) throw missing(where, "beam energy", "--beam-kv KV");
        return beamKv;
    }

    public double requireScanStepXNm(String where) {
        if (scanStepXNm == null) throw missing(where, "scan step", "--scan-step-nm NM");
        return scanStepXNm;
    }

    /**
     * The detector pixel as a scattering angle in mrad. A pixel given in Å⁻¹ (s) converts with the
     * beam's wavelength (θ = s·λ), which then must be known.
     */
    public double requireMradPerPixel(String where) {
        if (detectorPixel == null) throw missing(where, "detector pixel size", "--pixel-mrad P or --pixel-inv-angstrom P");
        if (detectorPixel.unit().equals(Unit.MILLIRADIAN)) return detectorPixel.value();
        double lambdaA = Electron.wavelengthAngstrom(requireBeamKv(where + " (to convert the pixel from 1/Å to mrad)"));
        return detectorPixel.value() * lambdaA * 1e3;
    }

    /** The detector pixel as s = θ/λ in Å⁻¹ (multiply by 2π for q). */
    public double requireInverseAngstromPerPixel(String where) {
        if (detectorPixel == null) throw missing(where, "detector pixel size", "--pixel-mrad P or --pixel-inv-angstrom P");
        if (detectorPixel.unit().equals(Unit.INVERSE_ANGSTROM)) return detectorPixel.value();
        double lambdaA = Electron.wavelengthAngstrom(requireBeamKv(where + " (to convert the pixel from mrad to 1/Å)"));
        return detectorPixel.value() * 1e-3 / lambdaA;
    }

    private static MissingCalibrationException missing(String where, String field, String how) {
        return new MissingCalibrationException(null, field, "a " + field + " for " + where + " from the file or " + how, "none");
    }

    private static OptionalDouble opt(Double d) {
        return d == null ? OptionalDouble.empty() : OptionalDouble.of(d);
    }

    /** Flat map of what is known, with units in the keys' companions, for JSON and HDF5 attributes. */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (scanStepYNm != null) m.put("scan_step_y_nm", scanStepYNm);
        if (scanStepXNm != null) m.put("scan_step_x_nm", scanStepXNm);
        if (detectorPixel != null) {
            m.put("detector_pixel", detectorPixel.value());
            m.put("detector_pixel_unit", detectorPixel.unit().symbol());
        }
        if (beamKv != null) m.put("beam_kv", beamKv);
        if (cameraLengthMm != null) m.put("camera_length_mm", cameraLengthMm);
        if (scanRotationDeg != null) m.put("scan_rotation_deg", scanRotationDeg);
        m.put("transpose", transpose);
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Calibration c && asMap().equals(c.asMap());
    }

    @Override
    public int hashCode() {
        return asMap().hashCode();
    }

    @Override
    public String toString() {
        return asMap().toString();
    }

    /** Mutable builder; {@link #build()} checks the values. */
    public static final class Builder {
        private Double scanStepYNm;
        private Double scanStepXNm;
        private Quantity detectorPixel;
        private Double beamKv;
        private Double cameraLengthMm;
        private Double scanRotationDeg;
        private boolean transpose;

        private Builder() {
        }

        public Builder scanStepNm(double y, double x) {
            this.scanStepYNm = positive("scan step y", y);
            this.scanStepXNm = positive("scan step x", x);
            return this;
        }

        public Builder detectorPixelMrad(double mrad) {
            this.detectorPixel = Quantity.of(positive("detector pixel", mrad), Unit.MILLIRADIAN);
            return this;
        }

        /** Detector pixel as s = θ/λ in Å⁻¹. */
        public Builder detectorPixelInverseAngstrom(double s) {
            this.detectorPixel = Quantity.of(positive("detector pixel", s), Unit.INVERSE_ANGSTROM);
            return this;
        }

        public Builder beamKv(double kv) {
            this.beamKv = positive("beam energy", kv);
            return this;
        }

        public Builder cameraLengthMm(double mm) {
            this.cameraLengthMm = positive("camera length", mm);
            return this;
        }

        public Builder scanRotationDeg(double deg) {
            if (!Double.isFinite(deg)) throw new IllegalArgumentException("scan rotation must be finite, got " + deg);
            this.scanRotationDeg = deg;
            return this;
        }

        public Builder transpose(boolean t) {
            this.transpose = t;
            return this;
        }

        public Calibration build() {
            return new Calibration(this);
        }

        private static double positive(String what, double v) {
            if (!(v > 0) || Double.isInfinite(v)) throw new IllegalArgumentException(what + " must be a positive number, got " + v);
            return v;
        }
    }

}
