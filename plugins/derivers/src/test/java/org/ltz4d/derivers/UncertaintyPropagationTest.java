package org.ltz4d.derivers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.api.units.Electron;
import org.ltz4d.api.units.Unit;

/**
 * The derivers' uncertainty maps against Monte Carlo: fitted values drawn around a known truth
 * with a known, position-dependent covariance (as a fitter's inverse Fisher information gives
 * it), propagated through strain, density and B (reference ROI median, a noisy vacuum reference, a noisy
 * thickness map, a scan rotation). The z-scores (error/σ) must have a standard deviation of
 * 1 ± 0.1 (2400 positions: the sample standard deviation is known to about ±1.5 %).
 */
class UncertaintyPropagationTest {

    static final int ROWS = 40, COLS = 60, N = ROWS * COLS;
    static final Shape NAV = Shape.of(ROWS, COLS);

    @TempDir
    Path dir;

    /** z-score spread: sqrt(mean z²) after removing the mean; also checks every value is finite. */
    static double spread(float[] est, double[] truth, float[] sigma, String what) {
        double s = 0, s2 = 0;
        int n = 0;
        for (int i = 0; i < est.length; i++) {
            assertTrue(Float.isFinite(est[i]) && Float.isFinite(sigma[i]) && sigma[i] > 0, what + " at " + i);
            double z = (est[i] - truth[i]) / sigma[i];
            s += z;
            s2 += z * z;
            n++;
        }
        double mean = s / n;
        return Math.sqrt(s2 / n - mean * mean);
    }

    static DataMap map(String path, float[] v) {
        return DataMap.of(path, NAV, v, Unit.DIMENSIONLESS, "");
    }

    @Test
    void strainAndDensityZScoresHaveUnitSpread() {
        Random rnd = new Random(5);
        double r0 = 55; // ring radius, px
        double[] qref = new double[3];
        Sym2.formOfEllipse(r0 * 1.004, r0 * 0.998, 20, qref);
        float[][] q = new float[3][N];
        float[][] sig = new float[3][N];
        float[][] cor = new float[3][N];
        float[] a = new float[N], b = new float[N];
        double[][] qTrue = new double[N][];
        for (int i = 0; i < N; i++) {
            int r = i / COLS, c = i % COLS;
            // truth: unstrained in rows 0–9 (the reference ROI), a smooth strain field elsewhere
            double exx = r < 10 ? 0 : 0.01 * Math.sin(c / 9.0), eyy = r < 10 ? 0 : -0.006 * Math.cos(r / 7.0),
                    exy = r < 10 ? 0 : 0.004 * Math.sin((r + c) / 11.0);
            double[] t = formOf(qref, exx, exy, eyy);
            qTrue[i] = t;
            // covariance of the fit: σ varies by a factor of 3 over the scan, correlations up to ±0.6
            double s = 2e-8 * (0.6 + 1.2 * rnd.nextDouble());
            double[] sd = {s * (0.8 + 0.4 * rnd.nextDouble()), s * 0.5, s * (0.8 + 0.4 * rnd.nextDouble())};
            double[] rho = {0.6 * (2 * rnd.nextDouble() - 1), 0.4 * (2 * rnd.nextDouble() - 1), 0.3 * (2 * rnd.nextDouble() - 1)};
            double[] cov = {sd[0] * sd[0], rho[0] * sd[0] * sd[1], rho[1] * sd[0] * sd[2],
                    rho[0] * sd[0] * sd[1], sd[1] * sd[1], rho[2] * sd[1] * sd[2],
                    rho[1] * sd[0] * sd[2], rho[2] * sd[1] * sd[2], sd[2] * sd[2]};
            double[] d = draw(cov, rnd);
            for (int k = 0; k < 3; k++) {
                q[k][i] = (float) (t[k] + d[k]);
                sig[k][i] = (float) sd[k];
                cor[k][i] = (float) rho[k];
            }
            double tr = q[0][i] + q[2][i], dd = Math.hypot(q[0][i] - q[2][i], 2 * q[1][i]);
            a[i] = (float) (1 / Math.sqrt(0.5 * (tr - dd)));
            b[i] = (float) (1 / Math.sqrt(0.5 * (tr + dd)));
        }
        MapSet in = MapSet.of(map("ring/q11", q[0]), map("ring/q12", q[1]), map("ring/q22", q[2]), map("ring/a", a), map("ring/b", b),
                map("ring/sigma_q11", sig[0]), map("ring/sigma_q12", sig[1]), map("ring/sigma_q22", sig[2]),
                map("ring/corr_q11_q12", cor[0]), map("ring/corr_q11_q22", cor[1]), map("ring/corr_q12_q22", cor[2]));
        Calibration cal = Calibration.builder().beamKv(300).detectorPixelMrad(0.05).scanRotationDeg(17).build();
        Parameters p = Parameters.of(Map.of("reference-roi", "0:10,0:" + COLS));
        TestContext ctx = new TestContext(cal, p, NAV);
        MapSet strain = new StrainDeriver().derive(in, ctx);
        MapSet density = new DensityDeriver().derive(in, ctx);
        // truth through the same definitions, against the true reference form
        double[] dref = new double[3];
        assertTrue(Sym2.inverseSqrt(qref[0], qref[1], qref[2], dref));
        ScanFrame frame = ScanFrame.of(cal);
        double[][] truth = new double[4][N];
        double[] scratch = new double[3], e = new double[3];
        double detRef = qref[0] * qref[2] - qref[1] * qref[1];
        for (int i = 0; i < N; i++) {
            assertTrue(StrainDeriver.strain(qTrue[i][0], qTrue[i][1], qTrue[i][2], dref[0], dref[1], dref[2], frame, scratch, e));
            truth[0][i] = e[0];
            truth[1][i] = e[2];
            truth[2][i] = e[1];
            double det = qTrue[i][0] * qTrue[i][2] - qTrue[i][1] * qTrue[i][1];
            truth[3][i] = Math.pow(detRef / det, 0.75) - 1; // (A/A_ref)^(3/2) − 1, A ∝ det^(−1/2)
        }
        String[] names = {"exx", "eyy", "exy"};
        StringBuilder s = new StringBuilder();
        for (int k = 0; k < 3; k++) {
            double sd = spread(strain.require("strain/" + names[k]).toArray(), truth[k], strain.require("uncertainty/" + names[k]).toArray(), names[k]);
            s.append(names[k]).append(" z sd ").append(String.format("%.3f; ", sd));
            assertEquals(1, sd, 0.1, names[k] + ": " + s);
        }
        double sd = spread(density.require("density/relative").toArray(), truth[3], density.require("uncertainty/density").toArray(), "density");
        s.append("density z sd ").append(String.format("%.3f", sd));
        System.out.println(s);
        assertEquals(1, sd, 0.1, "density: " + s);
        // without the covariance maps there are no uncertainty maps (a fitter that gives none)
        MapSet bare = MapSet.of(map("ring/q11", q[0]), map("ring/q12", q[1]), map("ring/q22", q[2]), map("ring/a", a), map("ring/b", b));
        assertFalse(new StrainDeriver().derive(bare, ctx).contains("uncertainty/exx"));
        assertFalse(new DensityDeriver().derive(bare, ctx).contains("uncertainty/density"));
    }

    @Test
    void magneticZScoresIncludeTheThicknessMapsError() throws IOException {
        Random rnd = new Random(9);
        double kv = 300, mradPerPx = 0.02;
        double k = Electron.H / (Electron.E * Electron.wavelengthMetres(kv)); // T·m per rad
        float[] cx = new float[N], cy = new float[N], sx = new float[N], sy = new float[N], cor = new float[N];
        float[] t = new float[N], st = new float[N], vx = new float[N], vy = new float[N];
        double[] bxTrue = new double[N], byTrue = new double[N];
        double rot = 25, c = Math.cos(Math.toRadians(rot)), s = Math.sin(Math.toRadians(rot));
        for (int i = 0; i < N; i++) {
            int r = i / COLS, col = i % COLS;
            double tTrue = 60 + 20 * Math.sin(r / 8.0);
            double bx = 1.2 * Math.cos(col / 6.0), by = 0.8 * Math.sin(r / 5.0);
            bxTrue[i] = bx;
            byTrue[i] = by;
            // scan-frame deflection (θx, θy) = (t/k)·(By, −Bx), back to the detector frame (rotation by −rot)
            double thx = tTrue * 1e-9 / k * by, thy = -tTrue * 1e-9 / k * bx;
            double dx = c * thx + s * thy, dy = -s * thx + c * thy;
            double descanX = 100 + 0.3 * r - 0.2 * col, descanY = 90 - 0.1 * r + 0.25 * col;
            double ex = 0.01 + 0.03 * rnd.nextDouble(), ey = 0.01 + 0.03 * rnd.nextDouble(), rho = 0.5 * (2 * rnd.nextDouble() - 1);
            double[] d = draw(new double[] {ex * ex, rho * ex * ey, 0, rho * ex * ey, ey * ey, 0, 0, 0, 1e-300}, rnd);
            vx[i] = (float) (descanX + 0.02 * rnd.nextGaussian()); // the vacuum scan's beam centres: descan + noise
            vy[i] = (float) (descanY + 0.02 * rnd.nextGaussian());
            cx[i] = (float) (descanX + dx * 1e3 / mradPerPx + d[0]);
            cy[i] = (float) (descanY + dy * 1e3 / mradPerPx + d[1]);
            sx[i] = (float) ex;
            sy[i] = (float) ey;
            cor[i] = (float) rho;
            st[i] = (float) (0.03 * tTrue);
            t[i] = (float) (tTrue + st[i] * rnd.nextGaussian());
        }
        MapSet in = MapSet.of(map("ring/center_x", cx), map("ring/center_y", cy), map("ring/sigma_center_x", sx),
                map("ring/sigma_center_y", sy), map("ring/corr_center_xy", cor));
        Calibration cal = Calibration.builder().beamKv(kv).detectorPixelMrad(mradPerPx).scanRotationDeg(rot).build();
        Path vac = dir.resolve("vacuum.npy");
        Files.write(vac, new byte[] {0});
        MapSet vacuum = MapSet.of(DataMap.of("beam/center_x", NAV, vx, Unit.PIXEL, ""), DataMap.of("beam/center_y", NAV, vy, Unit.PIXEL, ""));
        Parameters p = Parameters.of(Map.of("vacuum", vac.toString(), "thickness-map", npy("t.npy", t).toString(),
                "thickness-sigma-map", npy("st.npy", st).toString()));
        MapSet out = new MagneticRingDeriver().derive(in, new TestContext(cal, p, NAV).reference(vac, vacuum));
        double zx = spread(out.require("magnetic/Bx").toArray(), bxTrue, out.require("uncertainty/Bx").toArray(), "Bx");
        double zy = spread(out.require("magnetic/By").toArray(), byTrue, out.require("uncertainty/By").toArray(), "By");
        System.out.printf("Bx z sd %.3f, By z sd %.3f%n", zx, zy);
        assertEquals(1, zx, 0.1);
        assertEquals(1, zy, 0.1);
        // leaving the thickness's error out underestimates σ: the z-scores spread wider
        Parameters noSigma = Parameters.of(Map.of("vacuum", vac.toString(), "thickness-map", dir.resolve("t.npy").toString()));
        MapSet out2 = new MagneticRingDeriver().derive(in, new TestContext(cal, noSigma, NAV).reference(vac, vacuum));
        double zx2 = spread(out2.require("magnetic/Bx").toArray(), bxTrue, out2.require("uncertainty/Bx").toArray(), "Bx");
        assertTrue(zx2 > 1.15, "without the thickness error: " + zx2);
    }

    /** The form of the reference form deformed by strain ε (detector frame): Q = (I+ε)⁻¹... inverted from (D·Q·D)^(1/2) = I + ε. */
    static double[] formOf(double[] qref, double exx, double exy, double eyy) {
        // Q = D⁻¹·(I+ε)²·D⁻¹ with D = Q_ref^(−1/2), i.e. D⁻¹ = Q_ref^(1/2)
        double[] r = new double[3];
        assertTrue(Sym2.sqrt(qref[0], qref[1], qref[2], r));
        double a = 1 + exx, b = exy, cc = 1 + eyy;
        double s11 = a * a + b * b, s12 = a * b + b * cc, s22 = b * b + cc * cc;
        double[] out = new double[3];
        Sym2.sandwich(r[0], r[1], r[2], s11, s12, s22, out);
        return out;
    }

    /** A normal draw of covariance {@code cov} (3×3 row-major) by Cholesky. */
    static double[] draw(double[] cov, Random rnd) {
        double l11 = Math.sqrt(cov[0]);
        double l21 = cov[3] / l11, l31 = cov[6] / l11;
        double l22 = Math.sqrt(cov[4] - l21 * l21);
        double l32 = (cov[7] - l31 * l21) / l22;
        double l33 = Math.sqrt(Math.max(0, cov[8] - l31 * l31 - l32 * l32));
        double g1 = rnd.nextGaussian(), g2 = rnd.nextGaussian(), g3 = rnd.nextGaussian();
        return new double[] {l11 * g1, l21 * g1 + l22 * g2, l31 * g1 + l32 * g2 + l33 * g3};
    }

    Path npy(String name, float[] v) throws IOException {
        String h = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + ROWS + ", " + COLS + "), }";
        h = h + " ".repeat((64 - (10 + h.length() + 1) % 64) % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + h.length() + 4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.ISO_8859_1)).put((byte) 1).put((byte) 0);
        b.putShort((short) h.length()).put(h.getBytes(StandardCharsets.ISO_8859_1));
        for (float x : v) b.putFloat(x);
        Path p = dir.resolve(name);
        Files.write(p, b.array());
        return p;
    }
}
