package org.ltz4d.derivers;

import org.ltz4d.api.data.Calibration;

/**
 * The map from detector coordinates to scan coordinates (DESIGN.md §2): detector x/y are first
 * swapped when {@link Calibration#transpose()} is set, then rotated by
 * {@link Calibration#scanRotationDeg()} (from +x towards +y). So with a rotation of 90° a
 * deflection along detector +x is reported along scan +y. Vectors map as v' = R·T·v, symmetric
 * tensors as E' = (R·T)·E·(R·T)ᵀ.
 */
final class ScanFrame {

    final double rotationDeg;
    final boolean transpose;
    private final double c;
    private final double s;

    ScanFrame(double rotationDeg, boolean transpose) {
        this.rotationDeg = rotationDeg;
        this.transpose = transpose;
        double r = Math.toRadians(rotationDeg);
        // exact values for the common right angles, so that 90° maps x to y without rounding
        double cc = Math.cos(r);
        double ss = Math.sin(r);
        double q = rotationDeg / 90.0;
        if (q == Math.rint(q)) {
            int k = (int) (((long) q % 4 + 4) % 4);
            cc = k == 0 ? 1 : k == 2 ? -1 : 0;
            ss = k == 1 ? 1 : k == 3 ? -1 : 0;
        }
        this.c = cc;
        this.s = ss;
    }

    static ScanFrame of(Calibration cal) {
        return new ScanFrame(cal.scanRotationDeg(), cal.transpose());
    }

    boolean identity() {
        return c == 1 && s == 0 && !transpose;
    }

    /** Scan-frame x of detector vector (dx, dy). */
    double x(double dx, double dy) {
        double ux = transpose ? dy : dx;
        double uy = transpose ? dx : dy;
        return c * ux - s * uy;
    }

    /** Scan-frame y of detector vector (dx, dy). */
    double y(double dx, double dy) {
        double ux = transpose ? dy : dx;
        double uy = transpose ? dx : dy;
        return s * ux + c * uy;
    }

    /**
     * Rotates the symmetric tensor (xx, xy, yy) into the scan frame, writing xx, xy, yy into
     * {@code out[0..2]}.
     */
    void tensor(double xx, double xy, double yy, double[] out) {
        if (transpose) {
            double t = xx;
            xx = yy;
            yy = t;
        }
        // R E Rᵀ with R = [[c, -s], [s, c]]
        double cc = c * c;
        double ss = s * s;
        double cs = c * s;
        out[0] = cc * xx - 2 * cs * xy + ss * yy;
        out[2] = ss * xx + 2 * cs * xy + cc * yy;
        out[1] = cs * (xx - yy) + (cc - ss) * xy;
    }
}
