package org.ltz4d.crystalline;

/**
 * In-place dense algebra for the 3×3/4×4 systems of the hot path. Hand-written rather than EJML
 * because these solves run thousands of times per frame and must not allocate.
 */
final class Small {
    private Small() {
    }

    /** Cholesky factor L (lower, row-major n×n) of symmetric positive a into l; false when not positive definite. */
    static boolean cholesky(double[] a, int n, double[] l) {
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i * n + j];
                for (int k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
                if (i == j) {
                    if (!(s > 0)) return false;
                    l[i * n + i] = Math.sqrt(s);
                } else {
                    l[i * n + j] = s / l[j * n + j];
                }
            }
            for (int j = i + 1; j < n; j++) l[i * n + j] = 0;
        }
        return true;
    }

    /** Solves L·Lᵀ·x = b in place of b. */
    static void cholSolve(double[] l, int n, double[] b) {
        for (int i = 0; i < n; i++) {
            double s = b[i];
            for (int k = 0; k < i; k++) s -= l[i * n + k] * b[k];
            b[i] = s / l[i * n + i];
        }
        for (int i = n - 1; i >= 0; i--) {
            double s = b[i];
            for (int k = i + 1; k < n; k++) s -= l[k * n + i] * b[k];
            b[i] = s / l[i * n + i];
        }
    }

    /** Diagonal element i of (L·Lᵀ)⁻¹, using scratch e (length n). */
    static double inverseDiag(double[] l, int n, int i, double[] e) {
        java.util.Arrays.fill(e, 0, n, 0);
        e[i] = 1;
        cholSolve(l, n, e);
        return e[i];
    }
}
