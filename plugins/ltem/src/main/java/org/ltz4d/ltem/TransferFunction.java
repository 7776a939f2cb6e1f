package org.ltz4d.ltem;

/**
 * The wave transfer function H(q) = exp(−iχ(q))·E_s(q)·E_t(q) of {@link Optics} on a {@link Grid},
 * and the logarithmic derivatives of the spatial envelope that the adjoint needs:
 * ∂H/∂z = H·(∂lnE_s/∂z − iπλ|q|²) and ∂H/∂α = H·∂lnE_s/∂α. See {@link Optics} for the signs.
 */
final class TransferFunction {
    private final Grid g;
    private final Optics o;
    private final double[] temporal;

    TransferFunction(Grid g, Optics o) {
        this.g = g;
        this.o = o;
        this.temporal = new double[g.size()];
        double l = o.wavelengthNm();
        double d = o.defocusSpreadNm();
        double k = 0.5 * Math.PI * Math.PI * l * l * d * d;
        for (int r = 0; r < g.ny; r++) {
            for (int c = 0; c < g.nx; c++) {
                double q2 = g.qx[c] * g.qx[c] + g.qy[r] * g.qy[r];
                temporal[r * g.nx + c] = Math.exp(-k * q2 * q2);
            }
        }
    }

    Optics optics() {
        return o;
    }

    /**
     * Fills {@code h} (interleaved complex) with H at over-focus {@code z} (nm) and divergence
     * {@code alpha} (rad); when non-null, {@code dlnEdz} (1/nm) and {@code dlnEda} (1/rad) receive
     * the derivatives of ln E_s.
     */
    void fill(double z, double alpha, double[] h, double[] dlnEdz, double[] dlnEda) {
        final double l = o.wavelengthNm();
        final double a2 = o.astigmatismNm();
        final double ca = Math.cos(2 * o.astigmatismAngleRad());
        final double sa = Math.sin(2 * o.astigmatismAngleRad());
        final double cs3 = o.csNm() * l * l * l;
        final double s = (alpha / (2 * l)) * (alpha / (2 * l));
        final double sa2 = alpha / (2 * l * l);
        final double pil = Math.PI * l;
        final int nx = g.nx;
        // rows are independent; exp/sin/cos dominate (~60 ns per pixel), so large grids use the common pool
        java.util.stream.IntStream rows = java.util.stream.IntStream.range(0, g.ny);
        if ((long) g.ny * nx >= 65536) rows = rows.parallel();
        rows.forEach(r -> {
            final double qy = g.qy[r];
            for (int c = 0; c < nx; c++) {
                final double qx = g.qx[c];
                final double q2 = qx * qx + qy * qy;
                final double aq = (qx * qx - qy * qy) * ca + 2 * qx * qy * sa;
                final double chi = pil * (z * q2 + a2 * aq) + 0.5 * Math.PI * cs3 * q2 * q2;
                final double gx = 2 * pil * (z * qx + a2 * (qx * ca + qy * sa)) + 2 * Math.PI * cs3 * q2 * qx;
                final double gy = 2 * pil * (z * qy + a2 * (qx * sa - qy * ca)) + 2 * Math.PI * cs3 * q2 * qy;
                final double g2 = gx * gx + gy * gy;
                final int p = r * nx + c;
                final double amp = (s == 0 ? 1.0 : Math.exp(-s * g2)) * temporal[p];
                h[2 * p] = amp * Math.cos(chi);
                h[2 * p + 1] = -amp * Math.sin(chi);
                if (dlnEdz != null) dlnEdz[p] = -4 * pil * s * (gx * qx + gy * qy);
                if (dlnEda != null) dlnEda[p] = -sa2 * g2;
            }
        });
    }
}
