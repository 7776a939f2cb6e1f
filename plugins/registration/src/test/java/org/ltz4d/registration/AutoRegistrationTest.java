package org.ltz4d.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Simulated pairs of known transform: a smooth field seen by another instrument and by the scan. */
class AutoRegistrationTest {
    /** A field of Gaussian blobs, continuous in map pixel coordinates (so the simulation needs no interpolation). */
    record Field(double[] x, double[] y, double[] s, double[] a) {
        static Field random(long seed, int n, double size) {
            Random r = new Random(seed);
            double[] x = new double[n], y = new double[n], s = new double[n], a = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = -10 + r.nextDouble() * (size + 20);
                y[i] = -10 + r.nextDouble() * (size + 20);
                s[i] = 2.5 + 4 * r.nextDouble();
                a[i] = 0.5 + r.nextDouble();
            }
            return new Field(x, y, s, a);
        }

        double at(double px, double py) {
            return valueAndGradient(px, py)[0];
        }

        /** {value, ∂/∂x, ∂/∂y} at (px, py). */
        double[] valueAndGradient(double px, double py) {
            double v = 0, gx = 0, gy = 0;
            for (int i = 0; i < x.length; i++) {
                double dx = px - x[i], dy = py - y[i], e = a[i] * Math.exp(-(dx * dx + dy * dy) / (2 * s[i] * s[i]));
                v += e;
                gx -= e * dx / (s[i] * s[i]);
                gy -= e * dy / (s[i] * s[i]);
            }
            return new double[] {v, gx, gy};
        }
    }

    static Grid map(Field f, int n, double noise, Random r) {
        float[] v = new float[n * n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) v[i * n + j] = (float) (f.at(j, i) + noise * r.nextGaussian());
        return new Grid(n, n, v);
    }

    /** The scan's view: scan pixel p shows the field at T⁻¹(p); the scan centre sits over the map centre. */
    static Grid scan(Field f, int n, int mapSize, Transform2D t, double noise, Random r) {
        Transform2D inv = t.inverse();
        float[] v = new float[n * n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) {
            v[i * n + j] = (float) (f.at(inv.mapX(j, i), inv.mapY(j, i)) + noise * r.nextGaussian());
        }
        return new Grid(n, n, v);
    }

    static Transform2D centred(double thetaDeg, double scale, int mapSize, int scanSize, double offX, double offY) {
        Transform2D rs = Transform2D.similarity(thetaDeg, scale, 0, 0);
        double c = (mapSize - 1) / 2.0;
        double cs = (scanSize - 1) / 2.0;
        return Transform2D.similarity(thetaDeg, scale, cs - rs.mapX(c, c) + offX, cs - rs.mapY(c, c) + offY);
    }

    /**
     * Recovered to 0.2 px (the worst position over the map) and 0.05°; noise 1 % of the blob
     * amplitude; the scale known from the pixel sizes to a few per cent (the scan sees part of the map).
     */
    @ParameterizedTest
    @CsvSource({"17, 0.85, 3.3, -2.1, 1, 0.03", "-64, 1.2, -1.7, 4.4, 2, -0.04", "151, 0.7, 0.4, 0.9, 3, 0.0", "3, 1.0, 7.2, -5.5, 4, 0.02"})
    void recoversRotationScaleAndShift(double theta, double scale, double ox, double oy, long seed, double priorError) {
        int mapSize = 128;
        int scanSize = 64;
        Random r = new Random(seed);
        Field f = Field.random(seed, 90, mapSize);
        Transform2D truth = centred(theta, scale, mapSize, scanSize, ox, oy);
        Grid m = map(f, mapSize, 0.01, r);
        Grid s = scan(f, scanSize, mapSize, truth, 0.01, r);
        AutoRegistration.Result got = AutoRegistration.register(s, m, scale * (1 + priorError));
        double dTheta = Math.IEEEremainder(got.transform().rotationDeg() - theta, 360);
        double worst = 0;
        Transform2D t = got.transform();
        for (int[] p : new int[][] {{0, 0}, {mapSize - 1, 0}, {0, mapSize - 1}, {mapSize - 1, mapSize - 1}, {64, 64}}) {
            worst = Math.max(worst, Math.hypot(t.mapX(p[0], p[1]) - truth.mapX(p[0], p[1]), t.mapY(p[0], p[1]) - truth.mapY(p[0], p[1])));
        }
        System.out.printf("theta %.2f scale %.3f: dtheta %.4f deg, dscale %.2e, worst %.3f px, ncc %.4f, residual %.3f px%n", theta, scale,
                dTheta, got.transform().scale() / scale - 1, worst, got.ncc(), got.residualPx());
        assertEquals(0, dTheta, 0.05, "rotation");
        assertEquals(scale, got.transform().scale(), 1e-3 * scale, "scale");
        assertTrue(worst < 0.2, "worst position error over the map " + worst + " px");
        assertTrue(got.ncc() > 0.99, "ncc " + got.ncc());
    }
}
