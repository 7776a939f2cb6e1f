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
import org.ltz4d.api.units.Electron;
import org.ltz4d.api.units.Unit;
import org.ltz4d.scattering.Composition;
import org.ltz4d.scattering.ScatteringFactors;

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
 *
 * <p>With {@link Pattern#GLASS} the pattern is that of a metallic glass instead (see
 * {@link GlassModel} and {@link GlassPattern}): I(q) = N⟨f²⟩ + N⟨f⟩²(S(q) − 1) + a smooth
 * background, a direct beam of {@code beamFraction} of the electrons (default 0.5), and of the
 * scattered rest {@code backgroundFraction} (0.3) in the background — again normalised on the
 * reference pattern. Either pattern can be seen through {@link DetectorEffects} (beam stop,
 * point spread, gain, hot and dead pixels, saturation; none by default) and, for glass, a scan with
 * a vacuum hole and a thick corner ({@link #sampleClass}).
 */
public final class SimulationSpec {

    /** Which pattern model. */
    public enum Pattern {
        /** A Gaussian ring on a decaying background ({@link PatternParams}); the default. */
        RING,
        /** A metallic glass: scattering factors × S(q) + background ({@link GlassPattern}). */
        GLASS
    }

    /** Default composition of the glass pattern (at.%). */
    public static final String DEFAULT_COMPOSITION = "Fe85.2Si0.5B9.5P4Cu0.8";
    /** Where the beam stop's arm points (from +x towards +y), degrees. */
    public static final double BEAM_STOP_ANGLE_DEG = 60;
    /** Share of the dose in the direct beam at a vacuum (hole) position; the rest is a weak tail. */
    public static final double HOLE_BEAM_FRACTION = 0.98;

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
    /** Detector radial distortion beyond the ellipse: 3- and 6-fold relative amplitudes and angles (deg). */
    private final double distortion3, distortion3AngleDeg, distortion6, distortion6AngleDeg;
    private final Descan descan;
    private final double beamKv, pixelMrad, thicknessNm, scanStepNm;
    private final MagneticField magneticField;
    private final StrainField strainField;
    private final DensityField densityField;
    private final long seed;
    private final Output output;
    private final boolean writeVacuum;
    private final Pattern pattern;
    private final String composition, scattering;
    private final GlassModel.Sq sq;
    private final double packingFraction, backgroundFraction, saturationCounts, beamStopRadiusPx, gainSigma, psfPx;
    private final boolean beamStop, hole;
    private final int hotPixels, deadPixels;
    private final double thickCorner;
    private final AtomicModel atomicModel;

    // derived once
    final double amplitude, pedestal, background, beamPeak, vacuumBeamPeak;
    final GlassModel glass;
    final DetectorEffects detector;
    /** Glass: per unit elastic / background / beam shape, summed over the reference pattern. */
    private final double sumElastic, sumSelf, sumBackground, sumBeam;

    private SimulationSpec(Builder b) {
        scanY = b.scanY; scanX = b.scanX; detY = b.detY; detX = b.detX;
        dose = b.dose; ringRadiusPx = b.ringRadiusPx; ringWidthPx = b.ringWidthPx; backgroundDecayPx = b.backgroundDecayPx;
        pattern = b.pattern;
        beamFraction = Double.isNaN(b.beamFraction) ? (pattern == Pattern.GLASS ? 0.5 : 0.25) : b.beamFraction;
        ringFraction = b.ringFraction; pedestalFraction = b.pedestalFraction;
        beamRadiusPx = b.beamRadiusPx; beamEdgePx = b.beamEdgePx;
        centerOffsetX = b.centerOffsetX; centerOffsetY = b.centerOffsetY;
        distortion = b.distortion; distortionAngleDeg = b.distortionAngleDeg; descan = b.descan;
        distortion3 = b.distortion3; distortion3AngleDeg = b.distortion3AngleDeg; distortion6 = b.distortion6; distortion6AngleDeg = b.distortion6AngleDeg;
        beamKv = b.beamKv; pixelMrad = b.pixelMrad; thicknessNm = b.thicknessNm; scanStepNm = b.scanStepNm;
        magneticField = b.magneticField; strainField = b.strainField; densityField = b.densityField;
        seed = b.seed; output = b.output; writeVacuum = b.writeVacuum;
        composition = b.composition; scattering = b.scattering; sq = b.sq; packingFraction = b.packingFraction;
        backgroundFraction = b.backgroundFraction; saturationCounts = b.saturationCounts; beamStop = b.beamStop;
        beamStopRadiusPx = Double.isNaN(b.beamStopRadiusPx) ? 2 * b.beamRadiusPx + b.descanPx() + 2 : b.beamStopRadiusPx;
        gainSigma = b.gainSigma; psfPx = b.psfPx; hotPixels = b.hotPixels; deadPixels = b.deadPixels;
        hole = b.hole; thickCorner = b.thickCorner; atomicModel = b.atomicModel;
        if (pattern == Pattern.RING && (distortion3 != 0 || distortion6 != 0)) {
            throw new IllegalArgumentException("3- and 6-fold detector distortion need the glass pattern");
        }
        if (pattern == Pattern.RING && (hole || thickCorner > 1)) {
            throw new IllegalArgumentException("sample defects (hole, thick corner) need the glass pattern");
        }
        detector = new DetectorEffects(detY, detX, patternCenterX(), patternCenterY(), beamStop ? beamStopRadiusPx : 0,
                BEAM_STOP_ANGLE_DEG, psfPx, gainSigma, hotPixels, deadPixels, saturationCounts, seed);

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
        if (pattern == Pattern.GLASS) {
            ScatteringFactors.Kind kind = ScatteringFactors.Kind.parse(scattering);
            Composition comp = Composition.parse("composition", composition, ScatteringFactors.of(kind).symbols());
            double maxR = 1.6 * Math.hypot(detX, detY) / (1 - Math.abs(distortion)) + 8;
            glass = new GlassModel(comp, kind, sq, packingFraction, atomicModel, qPerPx(), ringRadiusPx, maxR);
            double[] dInv = distortionInverse();
            double[] buf = new double[detX * detY];
            double[] none = new double[3];
            sumElastic = sum(onDetector(new GlassPattern(glass, cx, cy, dInv, none, 1, 1, 0, 0, beamRadiusPx, beamEdgePx)), buf);
            sumSelf = sum(onDetector(new GlassPattern(glass, cx, cy, dInv, none, 1, 0, 0, 0, beamRadiusPx, beamEdgePx)), buf);
            sumBackground = sum(onDetector(new GlassPattern(glass, cx, cy, dInv, none, 0, 1, 1, 0, beamRadiusPx, beamEdgePx)), buf);
            sumBeam = sum(onDetector(new GlassPattern(glass, cx, cy, dInv, none, 0, 1, 0, 1, beamRadiusPx, beamEdgePx)), buf);
            beamPeak = beamFraction * dose / sumBeam;
            vacuumBeamPeak = dose / sumBeam;
        } else {
            glass = null;
            sumElastic = sumSelf = sumBackground = sumBeam = Double.NaN;
            beamPeak = beamFraction * dose / sBeam;
            vacuumBeamPeak = dose / sBeam;
        }
    }

    private double sum(GlassPattern p, double[] buf) {
        p.render(detY, detX, buf, 0);
        double t = 0;
        for (double v : buf) t += v;
        return t;
    }

    /** Å⁻¹ per detector pixel: q = 2π·θ/λ with θ = pixel_mrad·10⁻³ rad, λ in Å. */
    public double qPerPx() {
        return 2 * Math.PI * pixelMrad * 1e-3 / (Electron.wavelengthMetres(beamKv) * 1e10);
    }

    /** D⁻¹ row-major {a11, a12, a21, a22}. */
    double[] distortionInverse() {
        double[] d = distortionMatrix();
        double det = d[0] * d[2] - d[1] * d[1];
        return new double[] {d[2] / det, -d[1] / det, -d[1] / det, d[0] / det};
    }

    /**
     * What the scan shows at (row y, column x): 1 sample, 0 vacuum (the {@code hole}: a disk of
     * radius 0.12·min(Y, X) positions about (0.35·(X−1), 0.6·(Y−1))), 2 thick (the
     * {@code thick-corner}: positions within 0.3 of the upper right corner in coordinates
     * normalised to the scan, u = x/(X−1), v = y/(Y−1): (1 − u)² + v² &lt; 0.3²).
     */
    public int sampleClass(int y, int x) {
        if (hole) {
            double r = Math.max(1, 0.12 * Math.min(scanX, scanY));
            double dx = x - 0.35 * (scanX - 1), dy = y - 0.6 * (scanY - 1);
            if (dx * dx + dy * dy <= r * r) return 0;
        }
        if (thickCorner > 1) {
            double u = scanX > 1 ? x / (scanX - 1.0) : 0.5, v = scanY > 1 ? y / (scanY - 1.0) : 0.5;
            if ((1 - u) * (1 - u) + v * v < 0.09) return 2;
        }
        return 1;
    }

    /**
     * The glass pattern's amplitudes for a sample class (see {@link #sampleClass}): {elastic (counts
     * per px per Å²), coherent contrast, background (counts per px at r = 0), beam peak (counts per
     * px)}. Sample: beam fraction b, of the scattered rest a fraction bg in the background. Vacuum:
     * {@link #HOLE_BEAM_FRACTION} in the beam, the rest in the background shape (a weak tail), no
     * elastic part. Thick (factor k): beam fraction b^k, background fraction 1 − (1 − bg)/k,
     * contrast exp(−(k − 1)/2).
     */
    double[] glassAmplitudes(int sampleClass) {
        double b, bg, c;
        switch (sampleClass) {
            case 0 -> { b = HOLE_BEAM_FRACTION; bg = 1; c = 0; }
            case 2 -> { b = Math.pow(beamFraction, thickCorner); bg = 1 - (1 - backgroundFraction) / thickCorner; c = Math.exp(-(thickCorner - 1) / 2); }
            default -> { b = beamFraction; bg = backgroundFraction; c = 1; }
        }
        double scattered = (1 - b) * dose;
        double elasticSum = sumSelf + c * (sumElastic - sumSelf); // the contrast changes the elastic term's total
        return new double[] {(1 - bg) * scattered / elasticSum, c, bg * scattered / sumBackground, b * dose / sumBeam};
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
        b.distortion3 = distortion3; b.distortion3AngleDeg = distortion3AngleDeg; b.distortion6 = distortion6; b.distortion6AngleDeg = distortion6AngleDeg;
        b.beamKv = beamKv; b.pixelMrad = pixelMrad; b.thicknessNm = thicknessNm; b.scanStepNm = scanStepNm;
        b.magneticField = magneticField; b.strainField = strainField; b.densityField = densityField;
        b.seed = seed; b.output = output; b.writeVacuum = writeVacuum;
        b.pattern = pattern; b.composition = composition; b.scattering = scattering; b.sq = sq;
        b.packingFraction = packingFraction; b.backgroundFraction = backgroundFraction; b.saturationCounts = saturationCounts;
        b.beamStop = beamStop; b.beamStopRadiusPx = beamStopRadiusPx; b.gainSigma = gainSigma; b.psfPx = psfPx;
        b.hotPixels = hotPixels; b.deadPixels = deadPixels; b.hole = hole; b.thickCorner = thickCorner;
        b.atomicModel = atomicModel;
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

    /** The glass pattern on this detector: with its 3- and 6-fold radial distortion about the undeflected pattern centre. */
    GlassPattern onDetector(GlassPattern g) {
        return g.withDetectorHarmonics(patternCenterX(), patternCenterY(), new int[] {3, 6}, new double[] {distortion3, distortion6},
                new double[] {distortion3AngleDeg, distortion6AngleDeg});
    }
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

    public Pattern pattern() { return pattern; }
    /** Composition of the glass pattern (at.%, as given). */
    public String composition() { return composition; }
    /** Scattering-factor table of the glass pattern: lobato or kirkland. */
    public String scattering() { return scattering; }
    public GlassModel.Sq sq() { return sq; }
    /** Percus–Yevick packing fraction η. */
    public double packingFraction() { return packingFraction; }
    /** Glass: share of the scattered electrons in the smooth background. */
    public double backgroundFraction() { return backgroundFraction; }
    /** Counts are clipped here (+∞: no saturation besides uint16's 65535). */
    public double saturationCounts() { return detector.saturationCounts(); }
    public boolean beamStop() { return beamStop; }
    public double beamStopRadiusPx() { return beamStopRadiusPx; }
    public double gainSigma() { return gainSigma; }
    public double psfPx() { return psfPx; }
    public int hotPixelCount() { return hotPixels; }
    public int deadPixelCount() { return deadPixels; }
    public boolean hole() { return hole; }
    /** Thickness factor of the thick corner (1: none). */
    public double thickCorner() { return thickCorner; }
    /** The glass pattern's radial functions (null for the ring pattern). */
    public GlassModel glassModel() { return glass; }
    /** The detector's fixed effects (beam stop, point spread, gain, bad pixels, saturation). */
    public DetectorEffects detectorEffects() { return detector; }

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
        m.put("distortion_3fold", distortion3);
        m.put("distortion_3fold_angle_deg", distortion3AngleDeg);
        m.put("distortion_6fold", distortion6);
        m.put("distortion_6fold_angle_deg", distortion6AngleDeg);
        m.put("distortion_harmonics_model", "a point seen at radius rho, azimuth phi (from +x towards +y) about the undeflected pattern centre "
                + "comes from radius rho / (1 + a3 cos 3(phi - phi3) + a6 cos 6(phi - phi6)), applied before D^-1");
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
        m.put("pattern", pattern.name().toLowerCase(java.util.Locale.ROOT));
        if (pattern == Pattern.GLASS) {
            Map<String, Object> g = new LinkedHashMap<>();
            g.put("composition", composition);
            g.put("scattering", scattering);
            g.put("sq", sq == GlassModel.Sq.DEBYE ? "debye" : "percus-yevick");
            g.put("q_per_px_inv_angstrom", qPerPx());
            g.put("first_peak_q_inv_angstrom", glass.firstPeakQ());
            if (sq == GlassModel.Sq.DEBYE) {
                g.put("atomic_model_atoms", glass.atomicModel().n());
                g.put("atomic_model_density_per_cubic_angstrom_before_dilation", glass.atomicModel().density());
                g.put("atomic_model_dilation", glass.dilation());
            } else {
                g.put("packing_fraction", packingFraction);
                g.put("sphere_diameter_angstrom", glass.sphereDiameterAngstrom());
            }
            g.put("background_fraction", backgroundFraction);
            double[] a = glassAmplitudes(1);
            g.put("elastic_counts_per_px_per_square_angstrom", a[0]);
            g.put("background_counts_at_center", a[2]);
            g.put("beam_peak_counts", a[3]);
            g.put("hole", hole);
            g.put("thick_corner_factor", thickCorner);
            g.put("model", "mu(p) = elastic*max(0, <f^2>(r_f) + contrast*<f>^2(r_f)*(S(r_S)-1)) + background*bg(r_f)"
                    + " + beam_peak/(1+exp((r_f-beam_radius)/beam_edge)); r_f = |D^-1 (p-c)|, r_S = |(I+e) D^-1 (p-c)|,"
                    + " I+e = (I+strain)*density^(-1/3); q = r*q_per_px; bg(r) = 0.5/(1+(r/(0.3 r0))^2) + 0.5*exp(-r^2/(2 (1.2 r0)^2));"
                    + " S(q) first maximum at q = ring_radius_px*q_per_px; c = pattern centre + descan + deflection");
            m.put("glass", g);
        }
        Map<String, Object> det = new LinkedHashMap<>();
        det.put("beam_stop", beamStop);
        if (beamStop) {
            det.put("beam_stop_radius_px", beamStopRadiusPx);
            det.put("beam_stop_arm_angle_deg", BEAM_STOP_ANGLE_DEG);
            det.put("beam_stop_arm_half_width_px", 0.35 * beamStopRadiusPx);
        }
        det.put("psf_sigma_px", psfPx);
        det.put("gain_sigma", gainSigma);
        det.put("hot_pixels", hotPixels);
        det.put("dead_pixels", deadPixels);
        det.put("saturation_counts", Double.isInfinite(saturationCounts()) ? null : saturationCounts());
        det.put("order", "expected image x beam-stop transmission, Gaussian point spread, x gain, hot/dead pixels; Poisson; clip at saturation");
        m.put("detector_effects", det);
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
        l.add(ParameterSpec.number("distortion-3fold", "detector 3-fold radial distortion (relative radius; glass pattern)", Unit.DIMENSIONLESS, 0.0, -0.05, 0.05));
        l.add(ParameterSpec.number("distortion-3fold-angle-deg", "azimuth of a maximum of the 3-fold distortion", Unit.DEGREE, 0.0, -360, 360));
        l.add(ParameterSpec.number("distortion-6fold", "detector 6-fold radial distortion (relative radius; glass pattern)", Unit.DIMENSIONLESS, 0.0, -0.05, 0.05));
        l.add(ParameterSpec.number("distortion-6fold-angle-deg", "azimuth of a maximum of the 6-fold distortion", Unit.DEGREE, 0.0, -360, 360));
        l.add(ParameterSpec.number("descan-px", "size of the descan across the scan", Unit.PIXEL, 4.0, 0, 1e3));
        l.add(ParameterSpec.integer("seed", "random seed", 1, Integer.MIN_VALUE, Integer.MAX_VALUE));
        l.add(ParameterSpec.choice("dtype", "stored element type", "uint16", "uint16", "float32"));
        l.add(ParameterSpec.flag("no-vacuum", "do not write vacuum.npy (halves the disk space of large benchmarks)"));
        l.add(ParameterSpec.choice("pattern", "pattern model: ring (Gaussian ring on a decaying background) or glass (scattering factors x S(q) + background)", "ring", "ring", "glass"));
        l.add(ParameterSpec.text("composition", "glass: composition in at.% (normalised)", DEFAULT_COMPOSITION));
        l.add(ParameterSpec.choice("scattering", "glass: electron scattering factor parametrisation", "lobato", "lobato", "kirkland"));
        l.add(ParameterSpec.choice("sq", "glass: S(q) from Percus-Yevick hard spheres or the Debye sum of an atomic model", "percus-yevick", "percus-yevick", "debye"));
        l.add(ParameterSpec.number("packing-fraction", "glass: hard-sphere packing fraction of the Percus-Yevick S(q)", Unit.DIMENSIONLESS, 0.5, 0.05, 0.58));
        l.add(ParameterSpec.number("background-fraction", "glass: share of the scattered electrons in the smooth inelastic/multiple-scattering background", Unit.DIMENSIONLESS, 0.3, 0, 0.95));
        l.add(ParameterSpec.number("beam-fraction", "share of the electrons in the direct beam (default 0.5 for glass, 0.25 for ring)", Unit.DIMENSIONLESS, null, 0, 0.99));
        l.add(ParameterSpec.number("beam-radius-px", "radius of the direct beam's soft-edged disk", Unit.PIXEL, 4.0, 0.3, 1e3));
        l.add(ParameterSpec.number("saturation-counts", "detector saturation: counts are clipped here (default: none besides uint16's 65535)", Unit.COUNTS, null, 1, 1e12));
        l.add(ParameterSpec.flag("beam-stop", "an opaque beam stop over the direct beam with an arm to the detector edge (soft edge)"));
        l.add(ParameterSpec.number("beam-stop-radius-px", "radius of the beam stop (default 2 x beam radius + descan + 2 px)", Unit.PIXEL, null, 0.5, 1e4));
        l.add(ParameterSpec.integer("hot-pixels", "number of hot pixels (fixed per dataset)", 0, 0, 1_000_000));
        l.add(ParameterSpec.integer("dead-pixels", "number of dead pixels (fixed per dataset)", 0, 0, 1_000_000));
        l.add(ParameterSpec.number("gain-sigma", "relative spread of the fixed per-pixel gain", Unit.DIMENSIONLESS, 0.0, 0, 1));
        l.add(ParameterSpec.number("psf-px", "Gaussian sigma of the detector point spread (applied to the expected image)", Unit.PIXEL, 0.0, 0, 100));
        l.add(ParameterSpec.flag("hole", "glass: a vacuum hole in the scan (only the direct beam and a weak tail there); truth_sample.npy = 0"));
        l.add(ParameterSpec.number("thick-corner", "glass: thickness factor of the scan's upper right corner (1 = none; truth_sample.npy = 2 there)", Unit.DIMENSIONLESS, 1.0, 1, 100));
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
        b.harmonicDistortion(p.number("distortion-3fold", 0), p.number("distortion-3fold-angle-deg", 0), p.number("distortion-6fold", 0),
                p.number("distortion-6fold-angle-deg", 0));
        b.descan(Descan.typical(p.number("descan-px", 4)));
        b.seed(p.integer("seed", 1));
        b.output("float32".equals(p.choice("dtype", "uint16", "uint16", "float32")) ? Output.FLOAT32 : Output.UINT16);
        b.vacuum(!p.flag("no-vacuum"));
        boolean glassPattern = "glass".equals(p.choice("pattern", "ring", "ring", "glass"));
        b.pattern(glassPattern ? Pattern.GLASS : Pattern.RING);
        String scat = p.choice("scattering", "lobato", "lobato", "kirkland");
        String comp = p.string("composition", DEFAULT_COMPOSITION);
        Composition.parse("composition", comp, ScatteringFactors.of(ScatteringFactors.Kind.parse(scat)).symbols()); // checks it
        b.composition(comp).scattering(scat);
        b.sq("debye".equals(p.choice("sq", "percus-yevick", "percus-yevick", "debye")) ? GlassModel.Sq.DEBYE : GlassModel.Sq.PERCUS_YEVICK);
        double eta = p.number("packing-fraction", 0.5);
        if (!(eta >= 0.05 && eta <= 0.58)) throw new InvalidParameterException("packing-fraction", "a packing fraction in [0.05, 0.58]", String.valueOf(eta));
        b.packingFraction(eta);
        double bgf = p.number("background-fraction", 0.3);
        if (!(bgf >= 0 && bgf <= 0.95)) throw new InvalidParameterException("background-fraction", "a fraction in [0, 0.95]", String.valueOf(bgf));
        b.backgroundFraction(bgf);
        if (p.has("beam-fraction")) {
            double bf = p.number("beam-fraction", 0.5);
            if (!(bf >= 0 && bf <= 0.99)) throw new InvalidParameterException("beam-fraction", "a fraction in [0, 0.99]", String.valueOf(bf));
            b.beamFraction(bf);
        }
        b.beam(p.positive("beam-radius-px", 4), 0.5);
        if (p.has("saturation-counts")) b.saturation(p.positive("saturation-counts", 65535));
        b.beamStop(p.flag("beam-stop"), p.number("beam-stop-radius-px", Double.NaN));
        int hot = p.integer("hot-pixels", 0), dead = p.integer("dead-pixels", 0);
        if (hot < 0 || dead < 0 || (long) hot + dead > (long) det[0] * det[1] / 4) {
            throw new InvalidParameterException(hot < 0 || hot > (long) det[0] * det[1] / 4 ? "hot-pixels" : "dead-pixels",
                    "counts ≥ 0 with hot + dead ≤ a quarter of the detector's pixels", hot + " + " + dead);
        }
        b.badPixels(hot, dead);
        b.gainSigma(p.number("gain-sigma", 0)).psfPx(p.number("psf-px", 0));
        boolean hole = p.flag("hole");
        double thick = p.number("thick-corner", 1);
        if (!(thick >= 1 && thick <= 100)) throw new InvalidParameterException("thick-corner", "a thickness factor in [1, 100] (1 = none)", String.valueOf(thick));
        if (!glassPattern && (hole || thick > 1)) {
            throw new InvalidParameterException(hole ? "hole" : "thick-corner", "--pattern glass (sample defects exist for the glass pattern only)", "--pattern ring");
        }
        b.hole(hole).thickCorner(thick);
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
        private double distortion3 = 0, distortion3AngleDeg = 0, distortion6 = 0, distortion6AngleDeg = 0;
        private Descan descan = Descan.typical(4);
        private double beamKv = 300, pixelMrad = 0.16, thicknessNm = 60, scanStepNm = 2;
        private MagneticField magneticField = MagneticField.none();
        private StrainField strainField = StrainField.none();
        private DensityField densityField = DensityField.uniform(1);
        private long seed = 1;
        private Output output = Output.UINT16;
        private boolean writeVacuum = true;
        private Pattern pattern = Pattern.RING;
        private String composition = DEFAULT_COMPOSITION, scattering = "lobato";
        private GlassModel.Sq sq = GlassModel.Sq.PERCUS_YEVICK;
        private double packingFraction = 0.5, backgroundFraction = 0.3, saturationCounts = Double.POSITIVE_INFINITY;
        private boolean beamStop, hole;
        private double beamStopRadiusPx = Double.NaN, gainSigma, psfPx, thickCorner = 1;
        private int hotPixels, deadPixels;
        private AtomicModel atomicModel;

        private Builder() {
            beamFraction = Double.NaN; // by pattern: 0.25 ring, 0.5 glass
        }

        /** Rough size of the descan (px): the largest half-sum of a component's non-constant coefficients. */
        double descanPx() {
            double m = 0;
            for (double[] c : new double[][] {descan.x(), descan.y()}) {
                double t = 0;
                for (int i = 1; i < 6; i++) t += Math.abs(c[i]);
                m = Math.max(m, t / 2);
            }
            return m;
        }

        /** Ring (default) or glass pattern. */
        public Builder pattern(Pattern p) { pattern = Objects.requireNonNull(p); return this; }

        /** Glass: composition in at.% such as {@code Fe85.2Si0.5B9.5P4Cu0.8} (checked when built). */
        public Builder composition(String c) { composition = Objects.requireNonNull(c); return this; }

        /** Glass: scattering factors, {@code lobato} (default) or {@code kirkland}. */
        public Builder scattering(String kind) {
            if (!"lobato".equals(kind) && !"kirkland".equals(kind)) throw new IllegalArgumentException("scattering must be lobato or kirkland, got " + kind);
            scattering = kind;
            return this;
        }

        /** Glass: S(q) from Percus–Yevick (default) or the Debye sum of an atomic model. */
        public Builder sq(GlassModel.Sq kind) { sq = Objects.requireNonNull(kind); return this; }

        /** Glass with {@code sq} Debye: this atomic model instead of the default one (3,000 atoms, see {@link GlassModel}). */
        public Builder atomicModel(AtomicModel m) { atomicModel = m; return this; }

        /** Glass: Percus–Yevick packing fraction η in (0, 0.6). */
        public Builder packingFraction(double eta) {
            if (!(eta > 0 && eta < 0.6)) throw new IllegalArgumentException("packing fraction must be in (0, 0.6), got " + eta);
            packingFraction = eta;
            return this;
        }

        /** Glass: share of the scattered electrons in the smooth background, [0, 1). */
        public Builder backgroundFraction(double f) {
            if (!(f >= 0 && f < 1)) throw new IllegalArgumentException("background fraction must be in [0, 1), got " + f);
            backgroundFraction = f;
            return this;
        }

        /** Share of the electrons in the direct beam, [0, 1) (default 0.25 for ring, 0.5 for glass). */
        public Builder beamFraction(double f) {
            if (!(f >= 0 && f < 1)) throw new IllegalArgumentException("beam fraction must be in [0, 1), got " + f);
            beamFraction = f;
            return this;
        }

        /** Counts are clipped at this value (detector saturation). */
        public Builder saturation(double counts) { saturationCounts = positive("saturation", counts); return this; }

        /** An opaque beam stop (radius NaN: 2·beam radius + descan + 2 px) with an arm to the detector edge. */
        public Builder beamStop(boolean on, double radiusPx) {
            if (!Double.isNaN(radiusPx)) positive("beam-stop radius", radiusPx);
            beamStop = on;
            beamStopRadiusPx = radiusPx;
            return this;
        }

        /** Numbers of hot and dead pixels (fixed per dataset). */
        public Builder badPixels(int hot, int dead) {
            if (hot < 0 || dead < 0) throw new IllegalArgumentException("hot and dead pixel counts must be ≥ 0");
            hotPixels = hot;
            deadPixels = dead;
            return this;
        }

        /** Relative spread of the fixed per-pixel gain (0: none). */
        public Builder gainSigma(double s) {
            if (!(s >= 0 && s <= 1)) throw new IllegalArgumentException("gain sigma must be in [0, 1], got " + s);
            gainSigma = s;
            return this;
        }

        /** Gaussian σ (px) of the point spread, applied to the expected image (0: none). */
        public Builder psfPx(double sigma) {
            if (!(sigma >= 0 && sigma <= 100)) throw new IllegalArgumentException("psf sigma must be in [0, 100] px, got " + sigma);
            psfPx = sigma;
            return this;
        }

        /** Glass: a vacuum hole in the scan ({@link SimulationSpec#sampleClass}). */
        public Builder hole(boolean on) { hole = on; return this; }

        /** Glass: thickness factor k ≥ 1 of the scan's upper right corner (1: none). */
        public Builder thickCorner(double k) {
            if (!(k >= 1 && k <= 100)) throw new IllegalArgumentException("thick-corner factor must be in [1, 100], got " + k);
            thickCorner = k;
            return this;
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

        /** Detector 3- and 6-fold radial distortion (relative amplitudes, |a| &lt; 0.05) with the azimuths of their maxima (deg); glass pattern only. */
        public Builder harmonicDistortion(double a3, double angle3Deg, double a6, double angle6Deg) {
            if (!(Math.abs(a3) < 0.05) || !(Math.abs(a6) < 0.05)) {
                throw new IllegalArgumentException("3- and 6-fold distortion must be below 0.05, got " + a3 + " and " + a6);
            }
            distortion3 = a3; distortion3AngleDeg = angle3Deg; distortion6 = a6; distortion6AngleDeg = angle6Deg;
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
