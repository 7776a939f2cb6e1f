package org.ltz4d.registration;

import org.apache.commons.math3.analysis.MultivariateFunction;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.NelderMeadSimplex;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.SimplexOptimizer;
import org.jtransforms.fft.DoubleFFT_2D;

/**
 * Automatic registration of an imported map onto a reference image of the scan (a virtual image):
 * a coarse search over rotation (2° steps over 360°; over scale too when the pixel sizes do not
 * give it), each with the translation from phase correlation of the map rotated and scaled onto
 * the scan's pixel grid and scored by normalised cross-correlation, then a Nelder–Mead refinement of (θ, ln s, tx, ty)
 * maximising the normalised cross-correlation with bicubic sampling. The result maps map pixels
 * to scan pixels; {@code ncc} is the final normalised cross-correlation over the overlap.
 */
public final class AutoRegistration {
    /** The transform, the NCC it reached and the overlap (fraction of scan pixels the map covers). */
    public record Result(Transform2D transform, double ncc, double overlap, double residualPx) {
    }

    /** Coarse rotation search step (the refinement takes it from there). */
    private static final int ROTATION_STEP_DEG = 2;
    // Log-polar phase correlation of the Fourier magnitudes (Reddy & Chatterji) was tried first: on
    // a scan that sees part of the map its peak sat at zero shift (window and filter common to both).
    /** The least fraction of the scan the map must cover. */
    static final double MIN_OVERLAP = 0.25;

    private AutoRegistration() {
    }

    /**
     * {@code priorScale}: scan pixels per map pixel from the two pixel sizes, or NaN when unknown
     * (then scales from 1/2 to 2 in steps of 12 % are searched, about seven times slower).
     */
    public static Result register(Grid reference, Grid map, double priorScale) {
        Grid ref = fillNaN(reference);
        Grid mov = fillNaN(map);
        // the coarse search on half-resolution copies when both are large enough (4× fewer samples)
        boolean half = Math.min(Math.min(ref.h(), ref.w()), Math.min(mov.h(), mov.w())) >= 48;
        Grid cref = half ? half(ref) : ref;
        Grid cmov = half ? half(mov) : mov;
        double[] scales;
        if (Double.isFinite(priorScale) && priorScale > 0) {
            scales = new double[] {priorScale};
        } else {
            scales = new double[13];
            for (int i = 0; i < scales.length; i++) scales[i] = 0.5 * Math.pow(1.12, i);
        }
        Result best = null;
        for (double scale : scales) {
            for (int k = 0; k < 360 / ROTATION_STEP_DEG; k++) {
                Result r = translate(cref, cmov, k * ROTATION_STEP_DEG, scale);
                if (r.overlap() >= MIN_OVERLAP && (best == null || r.ncc() > best.ncc())) best = r;
            }
        }
        if (best == null) throw new IllegalArgumentException("no rotation or scale gives the map an overlap of " + MIN_OVERLAP
                + " of the scan");
        Transform2D t = best.transform();
        // back to full resolution: x_full = 2·x_half + 1/2 on both sides
        if (half) t = new Transform2D(t.a(), t.b(), t.c(), t.d(), 2 * t.tx() + 0.5 - 0.5 * (t.a() + t.b()),
                2 * t.ty() + 0.5 - 0.5 * (t.c() + t.d()));
        return refine(ref, mov, t);
    }

    /** 2×2 box average (pixel centre of half-resolution pixel i at full-resolution 2i + 1/2). */
    static Grid half(Grid g) {
        int h = g.h() / 2;
        int w = g.w() / 2;
        float[] v = new float[h * w];
        for (int r = 0; r < h; r++) for (int c = 0; c < w; c++) {
            v[r * w + c] = 0.25f * (g.get(2 * r, 2 * c) + g.get(2 * r, 2 * c + 1) + g.get(2 * r + 1, 2 * c) + g.get(2 * r + 1, 2 * c + 1));
        }
        return new Grid(h, w, v);
    }

    /** NaN pixels set to the mean of the others (so the FFT sees no NaN). */
    static Grid fillNaN(Grid g) {
        double s = 0;
        int k = 0;
        for (float f : g.v()) if (!Float.isNaN(f)) { s += f; k++; }
        float mean = k == 0 ? 0 : (float) (s / k);
        float[] v = g.v().clone();
        for (int i = 0; i < v.length; i++) if (Float.isNaN(v[i])) v[i] = mean;
        return new Grid(g.h(), g.w(), v);
    }

    /** Cross-power spectrum divided by the square root of its modulus → correlation surface (rows × cols) of b shifted against a. */
    private static double[][] phaseCorrelation(double[][] a, double[][] b) {
        int h = a.length;
        int w = a[0].length;
        double[] fa = new double[h * 2 * w];
        double[] fb = new double[h * 2 * w];
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                fa[(r * w + c) * 2] = a[r][c];
                fb[(r * w + c) * 2] = b[r][c];
            }
        }
        DoubleFFT_2D fft = new DoubleFFT_2D(h, w);
        fft.complexForward(fa);
        fft.complexForward(fb);
        for (int i = 0; i < h * w; i++) {
            double re = fb[2 * i] * fa[2 * i] + fb[2 * i + 1] * fa[2 * i + 1];
            double im = fb[2 * i + 1] * fa[2 * i] - fb[2 * i] * fa[2 * i + 1];
            double m = Math.sqrt(Math.hypot(re, im)) + 1e-30; // partial whitening: robust to a few % of scale error
            fa[2 * i] = re / m;
            fa[2 * i + 1] = im / m;
        }
        fft.complexInverse(fa, true);
        double[][] out = new double[h][w];
        for (int r = 0; r < h; r++) for (int c = 0; c < w; c++) out[r][c] = fa[(r * w + c) * 2];
        return out;
    }

    /** The k highest local maxima as {row, col} with parabolic sub-pixel offsets (cyclic neighbours). */
    private static double[][] peaks(double[][] s, int k) {
        int h = s.length;
        int w = s[0].length;
        double[][] out = new double[k][];
        double[] val = new double[k];
        java.util.Arrays.fill(val, Double.NEGATIVE_INFINITY);
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                double v = s[r][c];
                boolean max = true;
                for (int dr = -1; dr <= 1 && max; dr++) {
                    for (int dc = -1; dc <= 1; dc++) {
                        if ((dr != 0 || dc != 0) && s[(r + dr + h) % h][(c + dc + w) % w] > v) { max = false; break; }
                    }
                }
                if (!max) continue;
                for (int i = 0; i < k; i++) {
                    if (v > val[i]) {
                        System.arraycopy(val, i, val, i + 1, k - i - 1);
                        System.arraycopy(out, i, out, i + 1, k - i - 1);
                        val[i] = v;
                        out[i] = new double[] {r + parabola(s[(r - 1 + h) % h][c], v, s[(r + 1) % h][c]),
                            c + parabola(s[r][(c - 1 + w) % w], v, s[r][(c + 1) % w])};
                        break;
                    }
                }
            }
        }
        return java.util.Arrays.stream(out).filter(java.util.Objects::nonNull).toArray(double[][]::new);
    }

    private static double parabola(double l, double m, double r) {
        double d = l - 2 * m + r;
        return d == 0 ? 0 : 0.5 * (l - r) / d;
    }

    /** The map rotated and scaled onto the scan grid's pixel size, then the shift by phase correlation. */
    private static Result translate(Grid ref, Grid mov, double thetaDeg, double scale) {
        Transform2D rs = Transform2D.similarity(thetaDeg, scale, 0, 0);
        double minX = Double.MAX_VALUE, minY = Double.MAX_VALUE, maxX = -Double.MAX_VALUE, maxY = -Double.MAX_VALUE;
        for (double[] p : new double[][] {{0, 0}, {mov.w() - 1, 0}, {0, mov.h() - 1}, {mov.w() - 1, mov.h() - 1}}) {
            double x = rs.mapX(p[0], p[1]);
            double y = rs.mapY(p[0], p[1]);
            minX = Math.min(minX, x); maxX = Math.max(maxX, x);
            minY = Math.min(minY, y); maxY = Math.max(maxY, y);
        }
        int cw = (int) Math.ceil(maxX - minX) + 1;
        int ch = (int) Math.ceil(maxY - minY) + 1;
        int n = Integer.highestOneBit(Math.max(cw, ch) + Math.max(ref.w(), ref.h()) - 1) << 1;
        Transform2D toCanvas = new Transform2D(rs.a(), rs.b(), rs.c(), rs.d(), -minX, -minY);
        Grid canvas = mov.resampleOnto(ch, cw, toCanvas);
        double cm = meanFinite(canvas.v());
        double rm = meanFinite(ref.v());
        double[][] a = new double[n][n];
        double[][] b = new double[n][n];
        for (int r = 0; r < ch; r++) for (int c = 0; c < cw; c++) {
            float f = canvas.get(r, c);
            a[r][c] = Float.isNaN(f) ? 0 : f - cm;
        }
        for (int r = 0; r < ref.h(); r++) for (int c = 0; c < ref.w(); c++) b[r][c] = ref.get(r, c) - rm;
        double[][] pc = phaseCorrelation(b, a); // a shifted against b: canvas(p + o) = ref(p)
        double[] pk = peaks(pc, 1)[0];
        double oy = pk[0] > n / 2.0 ? pk[0] - n : pk[0];
        double ox = pk[1] > n / 2.0 ? pk[1] - n : pk[1];
        Transform2D t = Transform2D.similarity(thetaDeg, scale, -minX - ox, -minY - oy);
        double[] q = ncc(ref, mov, t);
        return new Result(t, q[0], q[1], Double.NaN);
    }

    private static double meanFinite(float[] v) {
        double s = 0;
        int k = 0;
        for (float f : v) if (!Float.isNaN(f)) { s += f; k++; }
        return k == 0 ? 0 : s / k;
    }

    /** {NCC, overlap fraction} of the reference and the map sampled through {@code t⁻¹}. */
    static double[] ncc(Grid ref, Grid mov, Transform2D t) {
        Transform2D inv = t.inverse();
        double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
        int k = 0;
        for (int r = 0; r < ref.h(); r++) {
            for (int c = 0; c < ref.w(); c++) {
                double m = mov.sample(inv.mapX(c, r), inv.mapY(c, r));
                if (Double.isNaN(m)) continue;
                double f = ref.get(r, c);
                sa += f; sb += m; saa += f * f; sbb += m * m; sab += f * m;
                k++;
            }
        }
        if (k < 16) return new double[] {-1, k / (double) (ref.h() * ref.w())};
        double cov = sab - sa * sb / k;
        double va = saa - sa * sa / k;
        double vb = sbb - sb * sb / k;
        return new double[] {va > 0 && vb > 0 ? cov / Math.sqrt(va * vb) : -1, k / (double) (ref.h() * ref.w())};
    }

    /** Nelder–Mead on (θ, ln s, tx, ty), maximising the NCC (overlap of at least a quarter of the scan). */
    private static Result refine(Grid ref, Grid mov, Transform2D start) {
        double th0 = start.rotationDeg();
        double ls0 = Math.log(start.scale());
        MultivariateFunction f = p -> {
            Transform2D t = Transform2D.similarity(p[0], Math.exp(p[1]), p[2], p[3]);
            double[] q = ncc(ref, mov, t);
            return q[1] < 0.25 ? -1 : q[0];
        };
        double[] x = {th0, ls0, start.tx(), start.ty()};
        double[] step = {0.5, 0.01, 0.5, 0.5};
        for (int round = 0; round < 2; round++) {
            PointValuePair p = new SimplexOptimizer(1e-10, 1e-12).optimize(new MaxEval(4000), new ObjectiveFunction(f), GoalType.MAXIMIZE,
                    new InitialGuess(x), new NelderMeadSimplex(step));
            x = p.getPoint();
            step = new double[] {0.05, 0.001, 0.05, 0.05};
        }
        Transform2D t = Transform2D.similarity(x[0], Math.exp(x[1]), x[2], x[3]);
        double[] q = ncc(ref, mov, t);
        return new Result(t, q[0], q[1], residual(ref, mov, t));
    }

    /**
     * The misregistration left, in scan pixels: the shift that still maximises the NCC when the map
     * is moved by up to one pixel (parabolic fit of the NCC at ±0.5 px steps along x and y).
     */
    private static double residual(Grid ref, Grid mov, Transform2D t) {
        double c0 = ncc(ref, mov, t)[0];
        double[] d = new double[2];
        for (int axis = 0; axis < 2; axis++) {
            double h = 0.5;
            double m = ncc(ref, mov, shifted(t, axis == 0 ? -h : 0, axis == 1 ? -h : 0))[0];
            double p = ncc(ref, mov, shifted(t, axis == 0 ? h : 0, axis == 1 ? h : 0))[0];
            d[axis] = h * parabola(m, c0, p);
        }
        return Math.hypot(d[0], d[1]);
    }

    private static Transform2D shifted(Transform2D t, double dx, double dy) {
        return new Transform2D(t.a(), t.b(), t.c(), t.d(), t.tx() + dx, t.ty() + dy);
    }
}
