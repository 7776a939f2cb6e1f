package org.ltz4d.simulator;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.ltz4d.scattering.Composition;
import org.ltz4d.scattering.ScatteringFactors;

/**
 * The radial functions of a metallic-glass pattern (DESIGN.md "What real patterns look like"),
 * tabulated once per dataset on a grid of the undistorted, unstrained detector radius r (px), with
 * q = r·qPerPx (q = 2π·θ/λ in Å⁻¹, θ = r·pixel_mrad):
 *
 * <pre>
 *   elastic(q)    = ⟨f²⟩(q) + c·⟨f⟩²(q)·(S(q) − 1)      per atom, f the electron scattering factors (Å)
 *   background(q) = ½/(1 + (r/(0.3·r₀))²) + ½·exp(−r²/(2·(1.2·r₀)²))   smooth inelastic + multiple scattering
 * </pre>
 *
 * S(q) is either Percus–Yevick hard spheres (packing fraction η, sphere diameter σ chosen so the
 * first maximum of S falls at q₁ = r₀·qPerPx, r₀ = ring-radius-px) or the Debye sum of an
 * {@link AtomicModel} whose distances are scaled by {@link #dilation()} so that its first maximum
 * falls at q₁ too. c is the coherent contrast (1; less in a thick region). Strain and density act
 * on the argument of S only (see {@link GlassPattern}).
 */
public final class GlassModel {

    /** Where S(q) comes from. */
    public enum Sq {
        /** Percus–Yevick hard spheres. */
        PERCUS_YEVICK,
        /** The Debye sum of an atomic model. */
        DEBYE
    }

    /** Table step along the radius (px). */
    static final double STEP = 0.125;

    private static final Map<String, AtomicModel> MODELS = new ConcurrentHashMap<>();

    private final Composition composition;
    private final ScatteringFactors.Kind scattering;
    private final Sq kind;
    private final double packingFraction;
    private final double qPerPx;
    private final double ringRadiusPx;
    private final double sphereDiameter;
    private final double dilation;
    private final AtomicModel model;
    final int n;
    /** ⟨f²⟩, ⟨f⟩², S − 1 and the background shape at r = i·STEP px. */
    final double[] f2, fm2, sm1, bg;

    GlassModel(Composition composition, ScatteringFactors.Kind scattering, Sq kind, double packingFraction,
            AtomicModel atomicModel, double qPerPx, double ringRadiusPx, double maxRadiusPx) {
        this.composition = composition;
        this.scattering = scattering;
        this.kind = kind;
        this.packingFraction = packingFraction;
        this.qPerPx = qPerPx;
        this.ringRadiusPx = ringRadiusPx;
        double q1 = ringRadiusPx * qPerPx;
        n = (int) Math.ceil(maxRadiusPx / STEP) + 2;
        f2 = new double[n];
        fm2 = new double[n];
        sm1 = new double[n];
        bg = new double[n];
        ScatteringFactors sf = ScatteringFactors.of(scattering);
        double[] avg = new double[2];
        double[] q = new double[n];
        double rl = 0.3 * ringRadiusPx, rg = 1.2 * ringRadiusPx;
        for (int i = 0; i < n; i++) {
            double r = i * STEP;
            q[i] = r * qPerPx;
            composition.averages(sf, q[i], avg);
            f2[i] = avg[1];
            fm2[i] = avg[0] * avg[0];
            bg[i] = 0.5 / (1 + (r / rl) * (r / rl)) + 0.5 * Math.exp(-r * r / (2 * rg * rg));
        }
        if (kind == Sq.PERCUS_YEVICK) {
            if (!(packingFraction > 0 && packingFraction < 0.6)) {
                throw new IllegalArgumentException("packing fraction must be in (0, 0.6), got " + packingFraction);
            }
            sphereDiameter = PercusYevick.firstPeakX(packingFraction) / q1;
            dilation = Double.NaN;
            model = null;
            for (int i = 0; i < n; i++) sm1[i] = PercusYevick.s(q[i] * sphereDiameter, packingFraction) - 1;
        } else {
            model = atomicModel != null ? atomicModel : defaultModel(composition);
            double qm = firstPeak(model);
            dilation = qm / q1;
            sphereDiameter = Double.NaN;
            double[] s = model.structureFactor(q, dilation);
            for (int i = 0; i < n; i++) sm1[i] = Math.max(0, s[i]) - 1;
        }
    }

    /**
     * The default atomic model of {@code --sq debye}: 3,000 atoms at 0.085 Å⁻³, soft-sphere
     * diameter 2.5 Å, 0.06 Å static displacements, species at random in the composition's
     * fractions, seed 42 (built once per JVM and composition, about a second).
     */
    static AtomicModel defaultModel(Composition c) {
        double[] fr = c.fractions().values().stream().mapToDouble(Double::doubleValue).toArray();
        return MODELS.computeIfAbsent(c.toString(), k -> new AtomicModel(3000, 0.085, 2.5, 0.06, fr, 42, 0.005));
    }

    /** Position (Å⁻¹) of the first maximum of the model's S(q) at dilation 1 (1 … 6 Å⁻¹, 0.002 grid, parabola). */
    static double firstPeak(AtomicModel m) {
        double h = 0.002;
        int k = (int) Math.round(5.0 / h);
        double[] q = new double[k];
        for (int i = 0; i < k; i++) q[i] = 1 + i * h;
        double[] s = m.structureFactor(q, 1.0);
        int best = 1;
        for (int i = 1; i < k - 1; i++) if (s[i] > s[best]) best = i;
        double den = s[best - 1] - 2 * s[best] + s[best + 1];
        double d = den < 0 ? 0.5 * (s[best - 1] - s[best + 1]) / den : 0;
        return q[best] + d * h;
    }

    private double lookup(double[] t, double rPx) {
        double u = rPx / STEP;
        if (!(u < n - 1)) return t[n - 1];
        int i = (int) u;
        double f = u - i;
        return t[i] + (t[i + 1] - t[i]) * f;
    }

    /** Å⁻¹ per detector pixel (q = 2π·θ/λ). */
    public double qPerPx() { return qPerPx; }
    /** The first maximum of S(q) (Å⁻¹) on the reference pattern: ring-radius-px·qPerPx. */
    public double firstPeakQ() { return ringRadiusPx * qPerPx; }
    public Sq kind() { return kind; }
    public double packingFraction() { return packingFraction; }
    /** Hard-sphere diameter σ (Å) of the Percus–Yevick S(q); NaN for the Debye model. */
    public double sphereDiameterAngstrom() { return sphereDiameter; }
    /** Factor on the atomic model's distances (Debye); NaN for Percus–Yevick. */
    public double dilation() { return dilation; }
    /** The atomic model (Debye), or null. */
    public AtomicModel atomicModel() { return model; }
    /** The composition, e.g. {@code Fe85.2Si0.5B9.5P4Cu0.8}. */
    public String composition() { return composition.toString(); }
    public String scattering() { return scattering.name().toLowerCase(java.util.Locale.ROOT); }

    /** S(q) of the reference (unstrained) structure at q in Å⁻¹ (table interpolation). */
    public double structureFactor(double q) { return 1 + lookup(sm1, q / qPerPx); }
    /** ⟨f²⟩ (Å²) at q in Å⁻¹. */
    public double meanSquareF(double q) { return lookup(f2, q / qPerPx); }
    /** ⟨f⟩² (Å²) at q in Å⁻¹. */
    public double squareMeanF(double q) { return lookup(fm2, q / qPerPx); }
    /** The background shape (1 at q = 0) at q in Å⁻¹. */
    public double backgroundShape(double q) { return lookup(bg, q / qPerPx); }

    /**
     * The model's own reduced pair distribution G(r) = 4πrρ₀(g(r) − 1) in Å⁻² (Debye only): from
     * the atomic model's pair histogram at this dilation, smoothed by a Gaussian of {@code smooth} Å.
     */
    public double[] pairDistribution(double[] r, double smooth) {
        if (model == null) throw new IllegalStateException("G(r) needs the Debye model (sq debye)");
        return model.gDirect(r, dilation, smooth);
    }
}
