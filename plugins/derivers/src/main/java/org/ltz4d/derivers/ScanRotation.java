package org.ltz4d.derivers;

import org.ltz4d.api.param.Parameters;

/**
 * The scan rotation (and transpose) from the data ({@code --scan-rotation-deg auto}): the beam
 * deflection is the gradient of a phase (DESIGN.md §3), so in the right frame it has no curl (as in
 * DPC tools, e.g. py4DSTEM's centre-of-mass rotation solver; written here from that principle).
 * For the detector-frame field u (transposed or not), v = R(α)·u has
 * curl v = cos α·curl u + sin α·div u at every scan position, so Σ (curl v)² = (c, s)·M·(c, s)ᵀ
 * with M the 2×2 sum of (curl u, div u) products: the best α is M's eigenvector of the smaller
 * eigenvalue λ₁, in closed form. The sign (α vs α + 180°) is not determined by the curl: α is
 * reported in (−90°, 90°]. Its standard error, treating the residual curl as independent noise, is
 * σ_α = sqrt(λ₁ / ((N − 1)·λ₂)) (radians). The transpose is the one whose residual curl fraction
 * λ₁ / (λ₁ + λ₂) is smaller. Derivatives are central differences in nm (or in scan steps without
 * a scan-step calibration); positions whose neighbours are not finite are skipped.
 */
final class ScanRotation {
    static final String PARAM = "scan-rotation-deg";

    /** Rotation (degrees, from +x towards +y, in (−90°, 90°]), its standard error (degrees), the transpose and the residual curl fraction; also the other transpose's fraction. */
    record Result(double rotationDeg, double sigmaDeg, boolean transpose, double curlFraction, double otherCurlFraction, int positions) {
    }

    private ScanRotation() {
    }

    static boolean auto(Parameters p) {
        return p.string(PARAM).map(s -> s.trim().equalsIgnoreCase("auto")).orElse(false);
    }

    /**
     * Solves for the rotation of the detector-frame deflection (dx, dy) (any unit) over a
     * rows×cols scan of steps (stepY, stepX); {@code fixedTranspose} null = detect it.
     */
    static Result solve(float[] dx, float[] dy, int rows, int cols, double stepY, double stepX, Boolean fixedTranspose) {
        double[] a = fit(dx, dy, rows, cols, stepY, stepX, false);
        double[] b = fit(dx, dy, rows, cols, stepY, stepX, true);
        boolean t = fixedTranspose != null ? fixedTranspose : b[2] < a[2];
        double[] r = t ? b : a;
        double[] o = t ? a : b;
        if (r[4] < 3) throw new IllegalArgumentException("too few positions with finite neighbours (" + (int) r[4] + ") to solve the scan rotation");
        return new Result(r[0], r[1], t, r[2], o[2], (int) r[4]);
    }

    /** {angle deg, sigma deg, curl fraction, unused, positions}. */
    private static double[] fit(float[] dx, float[] dy, int rows, int cols, double stepY, double stepX, boolean transpose) {
        double scc = 0, scd = 0, sdd = 0;
        int n = 0;
        for (int r = 1; r < rows - 1; r++) {
            for (int c = 1; c < cols - 1; c++) {
                int l = r * cols + c - 1, rr = r * cols + c + 1, u = (r - 1) * cols + c, d = (r + 1) * cols + c;
                double xl = transpose ? dy[l] : dx[l], xr = transpose ? dy[rr] : dx[rr], xu = transpose ? dy[u] : dx[u], xd = transpose ? dy[d] : dx[d];
                double yl = transpose ? dx[l] : dy[l], yr = transpose ? dx[rr] : dy[rr], yu = transpose ? dx[u] : dy[u], yd = transpose ? dx[d] : dy[d];
                double dxux = (xr - xl) / (2 * stepX), dyux = (xd - xu) / (2 * stepY);
                double dxuy = (yr - yl) / (2 * stepX), dyuy = (yd - yu) / (2 * stepY);
                double curl = dxuy - dyux, div = dxux + dyuy;
                if (!Double.isFinite(curl) || !Double.isFinite(div)) continue;
                scc += curl * curl;
                scd += curl * div;
                sdd += div * div;
                n++;
            }
        }
        // eigen-decomposition of [[scc, scd], [scd, sdd]]
        double tr = 0.5 * (scc + sdd), det = scc * sdd - scd * scd;
        double disc = Math.sqrt(Math.max(tr * tr - det, 0));
        double l1 = Math.max(tr - disc, 0), l2 = tr + disc;
        // eigenvector of l1: (scd, l1 − scc) or (l1 − sdd, scd)
        double ex, ey;
        if (Math.abs(scc - l1) > Math.abs(sdd - l1)) {
            ex = scd;
            ey = l1 - scc;
        } else {
            ex = l1 - sdd;
            ey = scd;
        }
        double deg = (ex == 0 && ey == 0) ? 0 : Math.toDegrees(Math.atan2(ey, ex));
        deg = deg - 180 * Math.ceil((deg - 90) / 180); // into (−90, 90]
        if (deg <= -90) deg += 180;
        double sigma = l2 > 0 && n > 1 ? Math.toDegrees(Math.sqrt(l1 / ((n - 1) * l2))) : Double.NaN;
        double frac = l1 + l2 > 0 ? l1 / (l1 + l2) : Double.NaN;
        return new double[] {deg, sigma, frac, 0, n};
    }
}
