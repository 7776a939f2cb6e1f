package org.ltz4d.simulator;

import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The Cramér–Rao bound of a simulated pattern over the first-ring annulus, for either pattern
 * model (ring or glass) with everything the detector does included (beam stop, point spread,
 * gain; hot and dead pixels left out). Seven parameters are free:
 *
 * <ol start="0">
 * <li>{@code cx}, {@code cy}: the pattern centre (px; the whole pattern, direct beam included, moves);</li>
 * <li>{@code exx}, {@code eyy}, {@code exy}: the strain the ring shows against the reference form
 *     (the {@code truth_exx …} maps: (I+ε)·ρ^(−1/3) − I), tensor components;</li>
 * <li>{@code amplitude}: a factor on the scattered signal (glass: the elastic term N⟨f²⟩ +
 *     N⟨f⟩²(S−1); ring: the ring's amplitude), 1 at the truth;</li>
 * <li>{@code background}: a factor on the smooth background (glass: the background term; ring: the
 *     decaying background), 1 at the truth.</li>
 * </ol>
 *
 * Fisher information of Poisson counts F = Σ_p ∂μ_p·∂μ_pᵀ/μ_p over the pixels whose normalised
 * radius r₀·sqrt((p−c)ᵀQ(p−c)) (true centre c and form Q; r₀ = ring-radius-px) lies in
 * [inner, outer] px; derivatives by central differences of the expected image
 * ({@link Simulator#expectedCounts}); the bound is F⁻¹. Saturation is not modelled (keep the
 * annulus below it).
 */
public final class CramerRao {
    /** Parameter names, in the order of {@link Bound#covariance()}. */
    public static final List<String> PARAMETERS = List.of("cx", "cy", "exx", "eyy", "exy", "amplitude", "background");
    private static final double[] STEP = {1e-3, 1e-3, 1e-5, 1e-5, 1e-5, 1e-3, 1e-3};

    private CramerRao() {
    }

    /**
     * The bound.
     *
     * @param covariance 7×7 row-major, in the units of {@link #PARAMETERS} (px, 1, relative)
     * @param pixels     pixels in the annulus that entered F
     * @param counts     expected counts in those pixels
     * @param pxPerTesla deflection per tesla ({@link Simulator#deflectionPxPerTesla})
     */
    public record Bound(double[] covariance, int pixels, double counts, double pxPerTesla) {
        /** √F⁻¹_kk of parameter k (see {@link CramerRao#PARAMETERS}). */
        public double sigma(int k) {
            return Math.sqrt(covariance[k * 7 + k]);
        }

        public double sigma(String name) {
            int k = PARAMETERS.indexOf(name);
            if (k < 0) throw new IllegalArgumentException("no parameter " + name + "; one of " + PARAMETERS);
            return sigma(k);
        }

        /** Bound on B_x (T): the deflection along −y, σ(cy)/(px per T). */
        public double sigmaBxTesla() {
            return sigma(1) / pxPerTesla;
        }

        /** Bound on B_y (T): σ(cx)/(px per T). */
        public double sigmaByTesla() {
            return sigma(0) / pxPerTesla;
        }
    }

    /** The bound at scan position (row y, column x) over the annulus [innerPx, outerPx] about the ring. */
    public static Bound annulus(SimulationSpec s, int y, int x, double innerPx, double outerPx) {
        if (!(innerPx >= 0 && outerPx > innerPx)) throw new IllegalArgumentException("annulus needs 0 ≤ inner < outer, got " + innerPx + ", " + outerPx);
        FrameTruth t = Simulator.truth(s, y, x);
        int rows = s.detY(), cols = s.detX(), px = rows * cols;
        double[] p0 = {t.ringCenterX(), t.ringCenterY(), t.exx(), t.eyy(), t.exy(), 1, 1};
        double[] scratch = new double[px];
        double[] mu = new double[px];
        image(s, t, p0, mu, scratch);
        // the annulus on the true form
        int[] idx = new int[px];
        int n = 0;
        double r0 = s.ringRadiusPx();
        DetectorEffects det = s.detectorEffects();
        double counts = 0;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double dx = c - t.ringCenterX(), dy = r - t.ringCenterY();
                double rho = r0 * Math.sqrt(t.q11() * dx * dx + 2 * t.q12() * dx * dy + t.q22() * dy * dy);
                int i = r * cols + c;
                if (rho < innerPx || rho > outerPx || det.isBad(i) || !(mu[i] > 0)) continue;
                idx[n++] = i;
                counts += mu[i];
            }
        }
        if (n < 8) throw new IllegalArgumentException("the annulus [" + innerPx + ", " + outerPx + "] px holds only " + n + " usable pixels");
        int np = PARAMETERS.size();
        double[][] d = new double[np][n];
        double[] plus = new double[px], minus = new double[px];
        for (int k = 0; k < np; k++) {
            double[] pp = p0.clone(), pm = p0.clone();
            pp[k] += STEP[k];
            pm[k] -= STEP[k];
            image(s, t, pp, plus, scratch);
            image(s, t, pm, minus, scratch);
            for (int j = 0; j < n; j++) d[k][j] = (plus[idx[j]] - minus[idx[j]]) / (2 * STEP[k]);
        }
        DMatrixRMaj f = new DMatrixRMaj(np, np);
        for (int a = 0; a < np; a++) {
            for (int b = a; b < np; b++) {
                double acc = 0;
                for (int j = 0; j < n; j++) acc += d[a][j] * d[b][j] / mu[idx[j]];
                f.set(a, b, acc);
                f.set(b, a, acc);
            }
        }
        // scale to unit diagonal for conditioning, invert, scale back
        double[] sc = new double[np];
        for (int a = 0; a < np; a++) sc[a] = 1 / Math.sqrt(f.get(a, a));
        for (int a = 0; a < np; a++) for (int b = 0; b < np; b++) f.set(a, b, f.get(a, b) * sc[a] * sc[b]);
        DMatrixRMaj inv = new DMatrixRMaj(np, np);
        if (!CommonOps_DDRM.invert(f, inv)) throw new IllegalStateException("singular Fisher matrix over the annulus");
        double[] cov = new double[np * np];
        for (int a = 0; a < np; a++) for (int b = 0; b < np; b++) cov[a * np + b] = inv.get(a, b) * sc[a] * sc[b];
        return new Bound(cov, n, counts, Simulator.deflectionPxPerTesla(s));
    }

    /** The expected image (detector effects included) at parameters p (see {@link #PARAMETERS}). */
    static void image(SimulationSpec s, FrameTruth t, double[] p, double[] dest, double[] scratch) {
        int rows = s.detY(), cols = s.detX();
        double[] e = {p[2], p[3], p[4]};
        if (s.pattern() == SimulationSpec.Pattern.GLASS) {
            GlassPattern g = t.glass();
            g.with(p[0], p[1], e, g.elastic() * p[5], g.background() * p[6]).render(rows, cols, dest, 0);
        } else {
            double[] q = ringForm(s, e);
            PatternParams o = t.pattern();
            PatternParams m = new PatternParams(p[0], p[1], q[0], q[1], q[2], o.width(), o.amplitude() * p[5], o.pedestal(),
                    o.background() * p[6], o.decay(), p[0], p[1], o.beamRadius(), o.beamEdge(), o.beamPeak());
            m.render(rows, cols, (r, vals) -> System.arraycopy(vals, 0, dest, r * cols, cols), new double[cols]);
        }
        s.detectorEffects().apply(dest, scratch);
    }

    /** The ring form Q = ((I+e)·D⁻¹)ᵀ·((I+e)·D⁻¹)/r₀² of a strain e = {exx, eyy, exy}: {q11, q12, q22}. */
    static double[] ringForm(SimulationSpec s, double[] e) {
        double[] di = s.distortionInverse();
        double a11 = 1 + e[0], a12 = e[2], a22 = 1 + e[1];
        double m11 = a11 * di[0] + a12 * di[2], m12 = a11 * di[1] + a12 * di[3];
        double m21 = a12 * di[0] + a22 * di[2], m22 = a12 * di[1] + a22 * di[3];
        double r2 = s.ringRadiusPx() * s.ringRadiusPx();
        return new double[] {(m11 * m11 + m21 * m21) / r2, (m11 * m12 + m21 * m22) / r2, (m12 * m12 + m22 * m22) / r2};
    }
}
