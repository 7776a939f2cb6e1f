package org.ltz4d.registration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ltz4d.api.error.CorruptFileException;
import org.ltz4d.api.error.InvalidInputException;

/**
 * Landmark pairs and their least-squares transforms. File format: one pair per line,
 * {@code x_map y_map x_scan y_scan} in pixels (column, row), separated by spaces, tabs or commas;
 * {@code #} starts a comment; a header line of words is skipped.
 */
public final class Landmarks {
    /** One pair: a point of the imported map and the same point in the scan. */
    public record Pair(double xm, double ym, double xs, double ys) {
    }

    /** A fitted transform and its residuals (scan pixels). */
    public record Fit(Transform2D transform, double[] residualsPx, double rmsPx) {
    }

    private Landmarks() {
    }

    public static List<Pair> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new InvalidInputException(file, "landmarks", "a readable text file of x_map y_map x_scan y_scan lines", e.getMessage(), e);
        }
        List<Pair> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).replaceAll("#.*", "").strip();
            if (l.isEmpty()) continue;
            String[] t = l.split("[\\s,;]+");
            double[] v = new double[4];
            try {
                if (t.length != 4) throw new NumberFormatException(t.length + " values");
                for (int k = 0; k < 4; k++) v[k] = Double.parseDouble(t[k]);
            } catch (NumberFormatException e) {
                if (out.isEmpty() && t.length == 4 && !t[0].matches("[-+0-9.].*")) continue; // header
                throw new CorruptFileException(file, "line " + (i + 1), "four numbers x_map y_map x_scan y_scan", l);
            }
            for (double x : v) {
                if (!Double.isFinite(x)) throw new CorruptFileException(file, "line " + (i + 1), "finite pixel coordinates", l);
            }
            out.add(new Pair(v[0], v[1], v[2], v[3]));
        }
        return out;
    }

    /** Least-squares similarity (closed form, Umeyama without reflection); at least 2 distinct pairs. */
    public static Fit similarity(List<Pair> pairs) {
        int n = pairs.size();
        if (n < 2) throw new IllegalArgumentException("a similarity needs at least 2 landmark pairs, got " + n);
        double mxm = 0, mym = 0, mxs = 0, mys = 0;
        for (Pair p : pairs) {
            mxm += p.xm(); mym += p.ym(); mxs += p.xs(); mys += p.ys();
        }
        mxm /= n; mym /= n; mxs /= n; mys /= n;
        double sxx = 0, sxy = 0, var = 0;
        for (Pair p : pairs) {
            double xm = p.xm() - mxm, ym = p.ym() - mym, xs = p.xs() - mxs, ys = p.ys() - mys;
            sxx += xm * xs + ym * ys; // Σ (m · s)
            sxy += xm * ys - ym * xs; // Σ (m × s)
            var += xm * xm + ym * ym;
        }
        if (!(var > 0)) throw new IllegalArgumentException("landmarks of the map coincide: no scale or rotation defined");
        double a = sxx / var;
        double c = sxy / var;
        Transform2D t = new Transform2D(a, -c, c, a, mxs - (a * mxm - c * mym), mys - (c * mxm + a * mym));
        return fit(t, pairs);
    }

    /** Least-squares affine; at least 3 pairs not on one line. */
    public static Fit affine(List<Pair> pairs) {
        int n = pairs.size();
        if (n < 3) throw new IllegalArgumentException("an affine transform needs at least 3 landmark pairs, got " + n);
        // normal equations of [x y 1]·[a b tx]ᵀ = xs, the same matrix for ys
        double[][] m = new double[3][3];
        double[] rx = new double[3];
        double[] ry = new double[3];
        for (Pair p : pairs) {
            double[] r = {p.xm(), p.ym(), 1};
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) m[i][j] += r[i] * r[j];
                rx[i] += r[i] * p.xs();
                ry[i] += r[i] * p.ys();
            }
        }
        org.apache.commons.math3.linear.RealMatrix mm = new org.apache.commons.math3.linear.Array2DRowRealMatrix(m);
        org.apache.commons.math3.linear.DecompositionSolver s = new org.apache.commons.math3.linear.LUDecomposition(mm, 1e-12).getSolver();
        if (!s.isNonSingular()) throw new IllegalArgumentException("landmarks of the map are on one line: no affine transform defined");
        double[] px = s.solve(new org.apache.commons.math3.linear.ArrayRealVector(rx)).toArray();
        double[] py = s.solve(new org.apache.commons.math3.linear.ArrayRealVector(ry)).toArray();
        return fit(new Transform2D(px[0], px[1], py[0], py[1], px[2], py[2]), pairs);
    }

    private static Fit fit(Transform2D t, List<Pair> pairs) {
        double[] r = new double[pairs.size()];
        double ss = 0;
        for (int i = 0; i < r.length; i++) {
            Pair p = pairs.get(i);
            r[i] = Math.hypot(t.mapX(p.xm(), p.ym()) - p.xs(), t.mapY(p.xm(), p.ym()) - p.ys());
            ss += r[i] * r[i];
        }
        return new Fit(t, r, Math.sqrt(ss / r.length));
    }
}
