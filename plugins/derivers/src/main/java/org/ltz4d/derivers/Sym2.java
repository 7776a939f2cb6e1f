package org.ltz4d.derivers;

/**
 * Closed-form operations on symmetric 2×2 matrices (a, b; b, c), allocation-free, for the
 * per-position hot loops (a general eigen-solver per position would allocate and be slower).
 * Results go to a caller-owned {@code out} array as (a, b, c).
 */
final class Sym2 {

    private Sym2() {
    }

    /**
     * The symmetric positive square root: for a positive definite M, √M = (M + s·I)/t with
     * s = √det M and t = √(tr M + 2s). Returns false (out untouched) when M is not positive
     * definite or not finite.
     */
    static boolean sqrt(double a, double b, double c, double[] out) {
        double det = a * c - b * b;
        double tr = a + c;
        if (!(det > 0) || !(tr > 0) || !Double.isFinite(det) || !Double.isFinite(tr)) return false;
        double s = Math.sqrt(det);
        double t = Math.sqrt(tr + 2 * s);
        out[0] = (a + s) / t;
        out[1] = b / t;
        out[2] = (c + s) / t;
        return true;
    }

    /** M^(-1/2) of a positive definite M; false when M is not positive definite. */
    static boolean inverseSqrt(double a, double b, double c, double[] out) {
        if (!sqrt(a, b, c, out)) return false;
        double ra = out[0];
        double rb = out[1];
        double rc = out[2];
        double det = ra * rc - rb * rb;
        out[0] = rc / det;
        out[1] = -rb / det;
        out[2] = ra / det;
        return true;
    }

    /** D·M·D for symmetric D = (da, db; db, dc) and M = (a, b; b, c). */
    static void sandwich(double da, double db, double dc, double a, double b, double c, double[] out) {
        // P = M·D
        double p11 = a * da + b * db;
        double p12 = a * db + b * dc;
        double p21 = b * da + c * db;
        double p22 = b * db + c * dc;
        out[0] = da * p11 + db * p21;
        out[1] = da * p12 + db * p22;
        out[2] = db * p12 + dc * p22;
    }

    /**
     * The form of the ellipse with semi-axes a, b, the a axis at {@code angleDeg} (from +x
     * towards +y): Q = R·diag(1/a², 1/b²)·Rᵀ, so that qᵀQq = 1 on the ellipse.
     */
    static void formOfEllipse(double a, double b, double angleDeg, double[] out) {
        double t = Math.toRadians(angleDeg);
        double ct = Math.cos(t);
        double st = Math.sin(t);
        double ia = 1 / (a * a);
        double ib = 1 / (b * b);
        out[0] = ia * ct * ct + ib * st * st;
        out[1] = (ia - ib) * ct * st;
        out[2] = ia * st * st + ib * ct * ct;
    }
}
