package org.ltz4d.simulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.DType;
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.api.param.ParameterSpec;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.api.units.Unit;

/**
 * What to simulate: an immutable description built with {@link #builder()}. Defaults give a
 * realistic 192×192 amorphous pattern (ring radius 55 px, Gaussian ring σ 5 px, 1.5·10⁵ electrons
 * per pattern, 300 kV, 0.16 mrad/px, 60 nm thick, a 1 % detector distortion at 30°, 4 px of descan)
 * over a 32×32 scan without fields.
 *
 * <p>Dose split: a fraction {@code beamFraction} of the electrons goes into the direct beam; of the
 * scattered rest, {@code ringFraction} into the ring, {@code pedestalFraction} into a flat pedestal
 * and the remainder into the decaying background — normalised on the unstrained, centred reference
 * pattern, so the amplitudes (counts per pixel) are the same in every frame of the scan. The vacuum
 * scan puts the whole dose into the direct beam.
 */
public final class SimulationSpec {

    /** How counts are stored in {@code data.npy} / {@code vacuum.npy}. */
    public enum Output {
        /** Poisson counts as uint16, clipped at 65535 (saturation). */
        UINT16,
        /** Poisson counts as float32 (no clipping). */
        FLOAT32
    }

    private final int scanY, scanX, detY, detX;
    private final double dose, ringRadiusPx, ringWidthPx, backgroundDecayPx;
    private final double beamFraction, ringFraction, pedestalFraction, beamRadiusPx, beamEdgePx;
    private final double centerOffsetX, centerOffsetY, distortion, distortionAngleDeg;
    private final Descan descan;
    private final double beamKv, pixelMrad, thicknessNm, scanStepNm;
    private final MagneticField magneticField;
    private final StrainField strainField;
    private final DensityField densityField;
    private final long seed;
    private final Output output;
    private final boolean writeVacuum;

    // derived once
    final double amplitude, pedestal, background, beamPeak, vacuumBeamPeak;

    private SimulationSpec(Builder b) {
        scanY = b.scanY; scanX = b.scanX; detY = b.detY; detX = b.detX;
        dose = b.dose; ringRadiusPx = b.ringRadiusPx; ringWidthPx = b.ringWidthPx; backgroundDecayPx = b.backgroundDecayPx;
        beamFraction = b.beamFraction; ringFraction = b.ringFraction; pedestalFraction = b.pedestalFraction;
        beamRadiusPx = b.beamRadiusPx; beamEdgePx = b.beamEdgePx;
        centerOffsetX = b.centerOffsetX; centerOffsetY = b.centerOffsetY;
        distortion = b.distortion; distortionAngleDeg = b.distortionAngleDeg; descan = b.descan;
        beamKv = b.beamKv; pixelMrad = b.pixelMrad; thicknessNm = b.thicknessNm; scanStepNm = b.scanStepNm;
        magneticField = b.magneticField; strainField = b.strainField; densityField = b.densityField;
        seed = b.seed; output = b.output; writeVacuum = b.writeVacuum;

        // Normalise the amplitudes on the reference pattern (no strain, density 1, no shift).
        double[] q = referenceForm();
        double cx = patternCenterX(), cy = patternCenterY();
        PatternParams ringOnly = new PatternParams(cx, cy, q[0], q[1], q[2], ringWidthPx / ringRadiusPx, 1, 0, 0,
                backgroundDecayPx / ringRadiusPx, cx, cy, beamRadiusPx, beamEdgePx, 0);
        PatternParams bgOnly = new PatternParams(cx, cy, q[0], q[1], q[2], ringWidthPx / ringRadiusPx, 0, 0, 1,
                backgroundDecayPx / ringRadiusPx, cx, cy, beamRadiusPx, beamEdgePx, 0);
        PatternParams beamOnly = new PatternParams(cx, cy, q[0], q[1], q[2], 1, 0, 0, 0, 1, cx, cy, beamRadiusPx,
                beamEdgePx, 1);
        double sRing = sum(ringOnly), sBg = sum(bgOnly), sBeam = sum(beamOnly);
        double scattered = (1 - beamFraction) * dose;
        amplitude = ringFraction * scattered / sRing;
        pedestal = pedestalFraction * scattered / ((double) detX * detY);
        background = (1 - ringFraction - pedestalFraction) * scattered / sBg;
        beamPeak = beamFraction * dose / sBeam;
        vacuumBeamPeak = dose / sBeam;
    }

    private double sum(PatternParams p) {
        double[] s = {0};
        p.render(detY, detX, (r, v) -> {
            for (int c = 0; c < detX; c++) s[0] += v[c];
        }, new double[detX]);
        return s[0];
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.scanY = scanY; b.scanX = scanX; b.detY = detY; b.detX = detX;
        b.dose = dose; b.ringRadiusPx = ringRadiusPx; b.ringWidthPx = ringWidthPx; b.backgroundDecayPx = backgroundDecayPx;
        b.beamFraction = beamFraction; b.ringFraction = ringFraction; b.pedestalFraction = pedestalFraction;
        b.beamRadiusPx = beamRadiusPx; b.beamEdgePx = beamEdgePx; b.centerOffsetX = centerOffsetX; b.centerOffsetY = centerOffsetY;
        b.distortion = distortion; b.distortionAngleDeg = distortionAngleDeg; b.descan = descan;
        b.beamKv = beamKv; b.pixelMrad = pixelMrad; b.thicknessNm = thicknessNm; b.scanStepNm = scanStepNm;
        b.magneticField = magneticField; b.strainField = strainField; b.densityField = densityField;
        b.seed = seed; b.output = output; b.writeVacuum = writeVacuum;
        return b;
    }

    public int scanY() { return scanY; }
    public int scanX() { return scanX; }
    public int detY() { return detY; }
    public int detX() { return detX; }
    public long frameCount() { return (long) scanY * scanX; }
    /** Electrons per pattern (expected total counts of the reference pattern). */
    public double dose() { return dose; }
    /** Ring radius r₀ of the reference pattern (px). */
    public double ringRadiusPx() { return ringRadiusPx; }
    /** Gaussian σ of the ring profile along the radius at r₀ (px). */
    public double ringWidthPx() { return ringWidthPx; }
    /** Decay length of the diffuse background at r₀ (px). */
    public double backgroundDecayPx() { return backgroundDecayPx; }
    public double beamFraction() { return beamFraction; }
    public double ringFraction() { return ringFraction; }
    public double pedestalFraction() { return pedestalFraction; }
    public double beamRadiusPx() { return beamRadiusPx; }
    public double beamEdgePx() { return beamEdgePx; }
    /** Pattern centre without descan or deflection: ((detX−1)/2 + offset) px. */
    public double patternCenterX() { return (detX - 1) / 2.0 + centerOffsetX; }
    public double patternCenterY() { return (detY - 1) / 2.0 + centerOffsetY; }
    /** Detector elliptic distortion δ: D = R(φ)·diag(1+δ, 1−δ)·R(φ)ᵀ. */
    public double distortion() { return distortion; }
    public double distortionAngleDeg() { return distortionAngleDeg; }
    public Descan descan() { return descan; }
    public double beamKv() { return beamKv; }
    public double pixelMrad() { return pixelMrad; }
    public double thicknessNm() { return thicknessNm; }
    public double scanStepNm() { return scanStepNm; }
    public MagneticField magneticField() { return magneticField; }
    public StrainField strainField() { return strainField; }
    public DensityField densityField() { return densityField; }
    public long seed() { return seed; }
    public Output output() { return output; }
    public DType dtype() { return output == Output.UINT16 ? DType.UINT16 : DType.FLOAT32; }
    /** Whether {@link Simulator#write} also writes {@code vacuum.npy} (default true). */
    public boolean writeVacuum() { return writeVacuum; }

    /** Ring amplitude A (counts per pixel at the ridge). */
    public double ringAmplitude() { return amplitude; }
    /** Flat pedestal (counts per pixel). */
    public double pedestalCounts() { return pedestal; }
    /** Decaying-background amplitude at the ring ridge (counts per pixel). */
    public double backgroundCounts() { return background; }
    /** Direct-beam peak (counts per pixel) in the sample scan. */
    public double beamPeakCounts() { return beamPeak; }
    /** Direct-beam peak (counts per pixel) in the vacuum scan. */
    public double vacuumBeamPeakCounts() { return vacuumBeamPeak; }

    /** The detector distortion D as {d11, d12, d22} (symmetric). */
    public double[] distortionMatrix() {
        double a = Math.toRadians(2 * distortionAngleDeg);
        return new double[] {1 + distortion * Math.cos(a), distortion * Math.sin(a), 1 - distortion * Math.cos(a)};
    }

    /**
     * The reference form Q_ref = (r₀²·D²)⁻¹ as {q11, q12, q22} (px⁻²): the ring without strain and
     * at reference density. Its inverse square root is r₀·D (DESIGN.md §4).
     */
    public double[] referenceForm() {
        double[] d = distortionMatrix();
        double[] m = {ringRadiusPx * d[0], ringRadiusPx * d[1], ringRadiusPx * d[1], ringRadiusPx * d[2]};
        return Simulator.formOf(m);
    }

    /** The calibration a reader would report for the simulated files. */
    public Calibration calibration() {
        return Calibration.builder().scanStepNm(scanStepNm, scanStepNm).detectorPixelMrad(pixelMrad).beamKv(beamKv).build();
    }

    /** Every parameter, for {@code simulation.json}. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scan_shape", new int[] {scanY, scanX});
        m.put("detector_shape", new int[] {detY, detX});
        m.put("dose_electrons_per_pattern", dose);
        m.put("ring_radius_px", ringRadiusPx);
        m.put("ring_width_px", ringWidthPx);
        m.put("background_decay_px", backgroundDecayPx);
        m.put("beam_fraction", beamFraction);
        m.put("ring_fraction", ringFraction);
        m.put("pedestal_fraction", pedestalFraction);
        m.put("beam_radius_px", beamRadiusPx);
        m.put("beam_edge_px", beamEdgePx);
        m.put("pattern_center_px", new double[] {patternCenterX(), patternCenterY()});
        m.put("distortion", distortion);
        m.put("distortion_angle_deg", distortionAngleDeg);
        m.put("distortion_matrix_d11_d12_d22", distortionMatrix());
        m.put("reference_form_q11_q12_q22_px-2", referenceForm());
        m.put("descan", descan.describe());
        m.put("magnetic_field", magneticField.describe());
        m.put("strain_field", strainField.describe());
        m.put("density_field", densityField.describe());
        m.put("seed", seed);
        m.put("dtype", dtype().numpyName());
        m.put("vacuum_written", writeVacuum);
        Map<String, Object> amp = new LinkedHashMap<>();
        amp.put("ring_amplitude_counts", amplitude);
        amp.put("pedestal_counts", pedestal);
        amp.put("background_counts_at_ring", background);
        amp.put("beam_peak_counts", beamPeak);
        amp.put("vacuum_beam_peak_counts", vacuumBeamPeak);
        m.put("model_amplitudes", amp);
        m.put("model", "mu(p) = pedestal + background*exp(-(rho-1)/decay) + amplitude*exp(-(rho-1)^2/(2 width^2))"
                + " + beam_peak/(1+exp((|p-b|-beam_radius)/beam_edge)); rho = sqrt((p-c)^T Q (p-c));"
                + " width = ring_width_px/ring_radius_px, decay = background_decay_px/ring_radius_px;"
                + " Q = (M M^T)^-1, M = r0 * density^(1/3) * D * (I+strain)^-T; c = b = pattern centre + descan + deflection;"
                + " deflection = (e*lambda*t/h)*(By, -Bx) rad / pixel");
        Map<String, Object> cal = new LinkedHashMap<>();
        cal.put("beam_kv", beamKv);
        cal.put("pixel_mrad", pixelMrad);
        cal.put("scan_step_nm", scanStepNm);
        cal.put("thickness_nm", thicknessNm);
        cal.put("deflection_px_per_tesla", Simulator.deflectionPxPerTesla(this));
        m.put("calibration", cal);
        return m;
    }

    /**
     * The parameters {@code ltz4d simulate} understands (CLI spelling without dashes); read them
     * with {@link #fromParameters}.
     */
    public static List<ParameterSpec> parameterSpecs() {
        List<ParameterSpec> l = new ArrayList<>();
        l.add(new ParameterSpec("scan", ParameterSpec.Type.INT_LIST, "scan shape Y,X (positions)", Unit.DIMENSIONLESS, "32,32", 1, 1e5, null));
        l.add(new ParameterSpec("detector", ParameterSpec.Type.INT_LIST, "detector shape H,W (px)", Unit.PIXEL, "192,192", 16, 4096, null));
        l.add(ParameterSpec.number("dose", "electrons per pattern (Poisson)", Unit.DIMENSIONLESS, 1.5e5, 1, 1e12));
        l.add(ParameterSpec.number("ring-radius-px", "radius of the first amorphous ring", Unit.PIXEL, 55.0, 3, 1e4));
        l.add(ParameterSpec.number("ring-width-px", "Gaussian sigma of the ring profile", Unit.PIXEL, 5.0, 0.3, 1e3));
        l.add(ParameterSpec.number("beam-kv", "beam energy", Unit.KILOVOLT, 300.0, 1, 5000));
        l.add(ParameterSpec.number("pixel-mrad", "detector pixel size", Unit.MILLIRADIAN, 0.16, 1e-6, 100));
        l.add(ParameterSpec.number("thickness-nm", "sample thickness", Unit.NANOMETRE, 60.0, 1e-3, 1e6));
        l.add(ParameterSpec.number("scan-step-nm", "scan step", Unit.NANOMETRE, 2.0, 1e-6, 1e9));
        l.add(ParameterSpec.choice("field", "magnetic induction map", "domains", "none", "uniform", "domains", "vortex"));
        l.add(ParameterSpec.number("field-tesla", "magnitude of B", Unit.TESLA, 1.0, -100, 100));
        l.add(ParameterSpec.number("field-angle-deg", "direction of a uniform B, from +x towards +y", Unit.DEGREE, 0.0, -360, 360));
        l.add(ParameterSpec.choice("strain", "strain map", "orientations", "none", "uniaxial", "orientations", "rotating"));
        l.add(ParameterSpec.number("strain-magnitude", "strain magnitude (negative = compression)", Unit.DIMENSIONLESS, 0.01, -0.5, 0.5));
        l.add(ParameterSpec.number("strain-angle-deg", "axis of a uniaxial strain", Unit.DEGREE, 0.0, -360, 360));
        l.add(ParameterSpec.choice("density", "relative density map", "blob", "uniform", "gradient", "blob"));
        l.add(ParameterSpec.number("density-amplitude", "relative density change", Unit.DIMENSIONLESS, 0.02, -0.9, 10));
        l.add(ParameterSpec.number("distortion", "detector elliptic distortion", Unit.DIMENSIONLESS, 0.01, 0, 0.5));
        l.add(ParameterSpec.number("distortion-angle-deg", "axis of the detector distortion", Unit.DEGREE, 30.0, -360, 360));
        l.add(ParameterSpec.number("descan-px", "size of the descan across the scan", Unit.PIXEL, 4.0, 0, 1e3));
        l.add(ParameterSpec.integer("seed", "random seed", 1, Integer.MIN_VALUE, Integer.MAX_VALUE));
        l.add(ParameterSpec.choice("dtype", "stored element type", "uint16", "uint16", "float32"));
        l.add(ParameterSpec.flag("no-vacuum", "do not write vacuum.npy (halves the disk space of large benchmarks)"));
        return List.copyOf(l);
    }

    /** A spec from {@code ltz4d simulate} options (see {@link #parameterSpecs()}). */
    public static SimulationSpec fromParameters(Parameters p) {
        for (ParameterSpec s : parameterSpecs()) p.checkAgainst(s);
        Builder b = builder();
        int[] scan = p.intList("scan", 2).orElse(new int[] {32, 32});
        int[] det = p.intList("detector", 2).orElse(new int[] {192, 192});
        if (scan[0] < 1 || scan[1] < 1) throw new InvalidParameterException("scan", "two positive integers Y,X", p.string("scan", ""));
        if (det[0] < 16 || det[1] < 16) throw new InvalidParameterException("detector", "two integers H,W of at least 16", p.string("detector", ""));
        b.scan(scan[0], scan[1]).detector(det[0], det[1]);
        b.dose(p.positive("dose", 1.5e5));
        b.ring(p.positive("ring-radius-px", 55), p.positive("ring-width-px", 5));
        b.beamKv(p.positive("beam-kv", 300)).pixelMrad(p.positive("pixel-mrad", 0.16));
        b.thicknessNm(p.positive("thickness-nm", 60)).scanStepNm(p.positive("scan-step-nm", 2));
        double t = p.number("field-tesla", 1.0);
        double fa = Math.toRadians(p.number("field-angle-deg", 0));
        b.magneticField(switch (p.choice("field", "domains", "none", "uniform", "domains", "vortex")) {
            case "none" -> MagneticField.none();
            case "uniform" -> MagneticField.uniform(t * Math.cos(fa), t * Math.sin(fa));
            case "vortex" -> MagneticField.vortex(t, 0.1);
            default -> MagneticField.domains(t, 4, 0.15);
        });
        double sm = p.number("strain-magnitude", 0.01);
        b.strainField(switch (p.choice("strain", "orientations", "none", "uniaxial", "orientations", "rotating")) {
            case "none" -> StrainField.none();
            case "uniaxial" -> StrainField.uniaxial(sm, p.number("strain-angle-deg", 0), 0.3);
            case "rotating" -> StrainField.rotating(sm);
            default -> StrainField.orientations(sm, 5);
        });
        double da = p.number("density-amplitude", 0.02);
        b.densityField(switch (p.choice("density", "blob", "uniform", "gradient", "blob")) {
            case "uniform" -> DensityField.uniform(1 + da);
            case "gradient" -> DensityField.gradient(da);
            default -> DensityField.blob(da);
        });
        b.distortion(p.number("distortion", 0.01), p.number("distortion-angle-deg", 30));
        b.descan(Descan.typical(p.number("descan-px", 4)));
        b.seed(p.integer("seed", 1));
        b.output("float32".equals(p.choice("dtype", "uint16", "uint16", "float32")) ? Output.FLOAT32 : Output.UINT16);
        b.vacuum(!p.flag("no-vacuum"));
        return b.build();
    }

    @Override
    public String toString() {
        return "SimulationSpec" + describe();
    }

    /** Mutable builder with the defaults described on {@link SimulationSpec}. */
    public static final class Builder {
        private int scanY = 32, scanX = 32, detY = 192, detX = 192;
        private double dose = 1.5e5, ringRadiusPx = 55, ringWidthPx = 5, backgroundDecayPx = 30;
        private double beamFraction = 0.25, ringFraction = 0.3, pedestalFraction = 0.1, beamRadiusPx = 4, beamEdgePx = 0.5;
        private double centerOffsetX = 0, centerOffsetY = 0, distortion = 0.01, distortionAngleDeg = 30;
        private Descan descan = Descan.typical(4);
        private double beamKv = 300, pixelMrad = 0.16, thicknessNm = 60, scanStepNm = 2;
        private MagneticField magneticField = MagneticField.none();
        private StrainField strainField = StrainField.none();
        private DensityField densityField = DensityField.uniform(1);
        private long seed = 1;
        private Output output = Output.UINT16;
        private boolean writeVacuum = true;

        private Builder() {
        }

        public Builder scan(int y, int x) {
            if (y < 1 || x < 1) throw new IllegalArgumentException("scan shape must be positive, got " + y + "×" + x);
            scanY = y; scanX = x;
            return this;
        }

        public Builder detector(int rows, int cols) {
            if (rows < 16 || cols < 16) throw new IllegalArgumentException("detector must be at least 16×16, got " + rows + "×" + cols);
            detY = rows; detX = cols;
            return this;
        }

        public Builder dose(double electrons) { dose = positive("dose", electrons); return this; }

        /** Ring radius r₀ and Gaussian σ of its profile, px. */
        public Builder ring(double radiusPx, double widthPx) {
            ringRadiusPx = positive("ring radius", radiusPx);
            ringWidthPx = positive("ring width", widthPx);
            return this;
        }

        public Builder backgroundDecayPx(double px) { backgroundDecayPx = positive("background decay", px); return this; }

        /** Dose fractions: direct beam; of the scattered rest, ring and flat pedestal. */
        public Builder fractions(double beam, double ring, double pedestal) {
            if (!(beam >= 0 && beam < 1 && ring > 0 && pedestal >= 0 && ring + pedestal <= 1)) {
                throw new IllegalArgumentException("fractions must satisfy 0 ≤ beam < 1, ring > 0, ring + pedestal ≤ 1");
            }
            beamFraction = beam; ringFraction = ring; pedestalFraction = pedestal;
            return this;
        }

        public Builder beam(double radiusPx, double edgePx) {
            beamRadiusPx = positive("beam radius", radiusPx);
            beamEdgePx = positive("beam edge", edgePx);
            return this;
        }

        /** Offset of the undeflected pattern centre from the detector centre, px. */
        public Builder centerOffset(double x, double y) { centerOffsetX = x; centerOffsetY = y; return this; }

        /** Detector elliptic distortion δ along the axis at angleDeg (D = R·diag(1+δ, 1−δ)·Rᵀ). */
        public Builder distortion(double delta, double angleDeg) {
            if (!(Math.abs(delta) < 0.5)) throw new IllegalArgumentException("distortion must be below 0.5, got " + delta);
            distortion = delta; distortionAngleDeg = angleDeg;
            return this;
        }

        public Builder descan(Descan d) { descan = Objects.requireNonNull(d); return this; }
        public Builder beamKv(double kv) { beamKv = positive("beam energy", kv); return this; }
        public Builder pixelMrad(double mrad) { pixelMrad = positive("pixel size", mrad); return this; }
        public Builder thicknessNm(double nm) { thicknessNm = positive("thickness", nm); return this; }
        public Builder scanStepNm(double nm) { scanStepNm = positive("scan step", nm); return this; }
        public Builder magneticField(MagneticField f) { magneticField = Objects.requireNonNull(f); return this; }
        public Builder strainField(StrainField f) { strainField = Objects.requireNonNull(f); return this; }
        public Builder densityField(DensityField f) { densityField = Objects.requireNonNull(f); return this; }
        public Builder seed(long s) { seed = s; return this; }
        public Builder output(Output o) { output = Objects.requireNonNull(o); return this; }
        /** Whether {@link Simulator#write} writes the vacuum scan too (default true). */
        public Builder vacuum(boolean write) { writeVacuum = write; return this; }

        public SimulationSpec build() {
            return new SimulationSpec(this);
        }

        private static double positive(String what, double v) {
            if (!(v > 0) || Double.isInfinite(v)) throw new IllegalArgumentException(what + " must be a positive number, got " + v);
            return v;
        }
    }
}
