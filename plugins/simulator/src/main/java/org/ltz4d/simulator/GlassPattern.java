package org.ltz4d.simulator;

/**
 * The expected-count model of one glass pattern before the detector (beam stop, point-spread,
 * gain, bad pixels: {@link DetectorEffects}), sampled at pixel centres (pixel i covers
 * [i−½, i+½)). With d = p − c (c the pattern centre: pattern centre + descan + deflection; the
 * whole pattern, direct beam included, moves with it):
 *
 * <pre>
 *   r_f = |D⁻¹·d|                  detector distortion only: the argument of f(q), the background and the beam
 *   r_S = |(I+e)·D⁻¹·d|            the argument of S(q); I+e = (I+ε)·ρ^(−1/3) (strain ε, density ρ)
 *   μ(p) = elastic · max(0, ⟨f²⟩(r_f) + contrast·⟨f⟩²(r_f)·(S(r_S) − 1))
 *        + background · bg(r_f)
 *        + beamPeak / (1 + exp((r_f − beamRadius)/beamEdge))
 * </pre>
 *
 * Radii are in px of the undistorted reference pattern, q = r·qPerPx. A feature of S at |u| = r₀
 * thus sits at d = D·(I+e)⁻¹·u, exactly the ring of DESIGN.md §4 (the truth form Q =
 * ((I+e)·D⁻¹)ᵀ·((I+e)·D⁻¹)/r₀² has ρ = 1 on the first maximum of S). The beam term is taken as 0
 * beyond beamRadius + 40·beamEdge.
 */
public final class GlassPattern {
    private final GlassModel m;
    private final double cx, cy;
    private final double s11, s12, s21, s22;
    private final double d11, d12, d21, d22;
    private final double elastic, contrast, background, beamPeak, beamRadius, beamEdge;
    /** Detector radial harmonics about the optical axis (ax, ay), or null: orders, amplitudes, angles (rad). */
    private int[] hOrders;
    private double[] hAmps, hAngles;
    private double ax, ay;
    private final double[] strain;

    /**
     * @param model      the tabulated radial functions
     * @param cx         pattern centre x (px)
     * @param cy         pattern centre y (px)
     * @param dInv       D⁻¹ row-major {a11, a12, a21, a22}
     * @param e          the strain the pattern shows, (I+ε)·ρ^(−1/3) − I, as {exx, eyy, exy}
     * @param elastic    counts per pixel per Å² of the elastic term
     * @param contrast   coherent contrast c (1 normally, less where the sample is thick)
     * @param background counts per pixel of the background at r = 0
     * @param beamPeak   direct-beam peak (counts per pixel)
     */
    public GlassPattern(GlassModel model, double cx, double cy, double[] dInv, double[] e, double elastic,
            double contrast, double background, double beamPeak, double beamRadius, double beamEdge) {
        this.m = model;
        this.cx = cx;
        this.cy = cy;
        d11 = dInv[0]; d12 = dInv[1]; d21 = dInv[2]; d22 = dInv[3];
        this.strain = e.clone();
        double a11 = 1 + e[0], a12 = e[2], a22 = 1 + e[1];
        s11 = a11 * d11 + a12 * d21; s12 = a11 * d12 + a12 * d22;
        s21 = a12 * d11 + a22 * d21; s22 = a12 * d12 + a22 * d22;
        this.elastic = elastic;
        this.contrast = contrast;
        this.background = background;
        this.beamPeak = beamPeak;
        this.beamRadius = beamRadius;
        this.beamEdge = beamEdge;
    }

    /** A copy with another centre, strain and scales (for derivatives, e.g. the Cramér–Rao bound). */
    public GlassPattern with(double cx, double cy, double[] e, double elastic, double background) {
        GlassPattern g = new GlassPattern(m, cx, cy, new double[] {d11, d12, d21, d22}, e, elastic, contrast, background, beamPeak,
                beamRadius, beamEdge);
        g.hOrders = hOrders;
        g.hAmps = hAmps;
        g.hAngles = hAngles;
        g.ax = ax;
        g.ay = ay;
        return g;
    }

    /**
     * A copy on a detector with radial distortion beyond the ellipse about the optical axis (ax, ay)
     * px: a point seen at radius ρ and azimuth φ from the axis comes from radius
     * ρ / (1 + Σ_k a_k·cos n_k(φ − φ_k)), applied before D⁻¹ (φ from +x towards +y). Amplitudes
     * relative; angles in degrees. No harmonics: this pattern itself.
     */
    public GlassPattern withDetectorHarmonics(double axisX, double axisY, int[] orders, double[] amplitudes, double[] anglesDeg) {
        boolean any = false;
        for (double a : amplitudes) any |= a != 0;
        if (!any) return this;
        GlassPattern g = with(cx, cy, strain, elastic, background);
        g.hOrders = orders.clone();
        g.hAmps = amplitudes.clone();
        g.hAngles = new double[anglesDeg.length];
        for (int i = 0; i < anglesDeg.length; i++) g.hAngles[i] = Math.toRadians(anglesDeg[i]);
        g.ax = axisX;
        g.ay = axisY;
        return g;
    }

    public GlassModel model() { return m; }
    public double cx() { return cx; }
    public double cy() { return cy; }
    public double elastic() { return elastic; }
    public double contrast() { return contrast; }
    public double background() { return background; }
    public double beamPeak() { return beamPeak; }

    /** 1 + Σ_k a_k·cos n_k(φ − φ_k) at (x, y), φ about the optical axis. */
    private double radialFactor(double x, double y) {
        double phi = Math.atan2(y - ay, x - ax), h = 1;
        for (int k = 0; k < hOrders.length; k++) h += hAmps[k] * Math.cos(hOrders[k] * (phi - hAngles[k]));
        return h;
    }

    /** Expected counts at the pixel centred on (x, y). */
    public double intensity(double x, double y) {
        if (hOrders != null) {
            double h = radialFactor(x, y);
            x = ax + (x - ax) / h;
            y = ay + (y - ay) / h;
        }
        double dx = x - cx, dy = y - cy;
        double ux = d11 * dx + d12 * dy, uy = d21 * dx + d22 * dy;
        double rf = Math.sqrt(ux * ux + uy * uy);
        double vx = s11 * dx + s12 * dy, vy = s21 * dx + s22 * dy;
        double rs = Math.sqrt(vx * vx + vy * vy);
        return value(rf, rs);
    }

    private double value(double rf, double rs) {
        final double inv = 1 / GlassModel.STEP;
        final int last = m.n - 1;
        double u = rf * inv;
        int i = (int) u;
        double f2, fm2, bg;
        if (i >= last) {
            f2 = m.f2[last]; fm2 = m.fm2[last]; bg = m.bg[last];
        } else {
            double t = u - i;
            f2 = m.f2[i] + (m.f2[i + 1] - m.f2[i]) * t;
            fm2 = m.fm2[i] + (m.fm2[i + 1] - m.fm2[i]) * t;
            bg = m.bg[i] + (m.bg[i + 1] - m.bg[i]) * t;
        }
        double w = rs * inv;
        int j = (int) w;
        double sm1 = j >= last ? m.sm1[last] : m.sm1[j] + (m.sm1[j + 1] - m.sm1[j]) * (w - j);
        double el = f2 + contrast * fm2 * sm1;
        double mu = elastic * (el > 0 ? el : 0) + background * bg;
        if (beamPeak != 0 && rf < beamRadius + 40 * beamEdge) mu += beamPeak / (1 + Math.exp((rf - beamRadius) / beamEdge));
        return mu;
    }

    /** Renders the expected counts of a rows × cols detector into {@code dest} from {@code offset}. */
    public void render(int rows, int cols, double[] dest, int offset) {
        if (hOrders != null) {
            for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) dest[offset + r * cols + c] = intensity(c, r);
            return;
        }
        for (int r = 0; r < rows; r++) {
            double dy = r - cy;
            double ux0 = d12 * dy, uy0 = d22 * dy, vx0 = s12 * dy, vy0 = s22 * dy;
            int o = offset + r * cols;
            for (int c = 0; c < cols; c++) {
                double dx = c - cx;
                double ux = d11 * dx + ux0, uy = d21 * dx + uy0;
                double vx = s11 * dx + vx0, vy = s21 * dx + vy0;
                dest[o + c] = value(Math.sqrt(ux * ux + uy * uy), Math.sqrt(vx * vx + vy * vy));
            }
        }
    }
}
