package org.ltz4d.simulator;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Beam shift over the scan on the detector (px), the same for the ring, the background and the
 * direct beam, and the same in the vacuum scan: with u = x/(nx−1) − ½ and v = y/(ny−1) − ½
 * (0 when the axis has one position), each of d_x, d_y is
 * c0 + c1·u + c2·v + c3·u² + c4·v² + c5·u·v.
 */
public record Descan(double[] x, double[] y) {

    public Descan {
        if (x.length != 6 || y.length != 6) throw new IllegalArgumentException("descan needs 6 coefficients per axis");
        x = x.clone();
        y = y.clone();
    }

    @Override public double[] x() { return x.clone(); }

    @Override public double[] y() { return y.clone(); }

    public static Descan none() {
        return new Descan(new double[6], new double[6]);
    }

    /**
     * A plane plus a small parabola of overall size {@code px} pixels across the scan:
     * d_x = px·(0.8u + 0.3v + 0.5u² − 0.2uv), d_y = px·(−0.4u + 0.9v + 0.4v²).
     */
    public static Descan typical(double px) {
        return new Descan(new double[] {0, 0.8 * px, 0.3 * px, 0.5 * px, 0, -0.2 * px},
                new double[] {0, -0.4 * px, 0.9 * px, 0, 0.4 * px, 0});
    }

    /** Writes (d_x, d_y) in px at scan (row y, column x) into {@code d}. */
    public void at(int yy, int xx, int ny, int nx, double[] d) {
        double u = nx > 1 ? xx / (nx - 1.0) - 0.5 : 0;
        double v = ny > 1 ? yy / (ny - 1.0) - 0.5 : 0;
        d[0] = x[0] + x[1] * u + x[2] * v + x[3] * u * u + x[4] * v * v + x[5] * u * v;
        d[1] = y[0] + y[1] * u + y[2] * v + y[3] * u * u + y[4] * v * v + y[5] * u * v;
    }

    Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("form", "c0 + c1*u + c2*v + c3*u^2 + c4*v^2 + c5*u*v, u = x/(nx-1) - 1/2, v = y/(ny-1) - 1/2");
        m.put("x_px", x.clone());
        m.put("y_px", y.clone());
        return m;
    }
}
