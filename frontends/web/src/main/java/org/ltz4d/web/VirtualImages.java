package org.ltz4d.web;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.ltz4d.api.data.Dataset;

/**
 * Virtual detector images computed in one streaming pass over a dataset's frames, read through its
 * reader block by block on every core: bright field (disk), annular dark field (annulus), a ring
 * band (annulus around the first amorphous ring), the centre of mass (x, y, in detector pixels
 * from the given centre) and the mean pattern. Only one block of frames per thread is in memory.
 */
public final class VirtualImages {
    /** Detector geometry in detector pixels: centre (cx, cy), BF radius, ADF and ring-band radii. */
    public record Geometry(double cx, double cy, double bfRadius, double adfInner, double adfOuter, double ringInner, double ringOuter) {
        public Geometry {
            check("bf-radius", bfRadius, 0, Double.MAX_VALUE);
            check("adf-inner", adfInner, 0, adfOuter);
            check("ring-inner", ringInner, 0, ringOuter);
        }

        private static void check(String name, double v, double lo, double hi) {
            if (!(v > lo || (lo == 0 && v == 0)) || !(v <= hi) || Double.isNaN(v)) {
                throw new WebException(400, "parameter '" + name + "': expected a radius in detector pixels in (" + lo + ", " + hi + "], got " + v);
            }
        }
    }

    /** The maps (each scan_y·scan_x, row-major) and the mean pattern (det_y·det_x); {@code seconds} the pass took. */
    public record Result(Geometry geometry, int rows, int cols, float[] bf, float[] adf, float[] ring, float[] comX, float[] comY,
            float[] mean, int detRows, int detCols, double seconds) {
        public float[] map(String kind) {
            return switch (kind) {
                case "bf" -> bf;
                case "adf" -> adf;
                case "ring" -> ring;
                case "com-x" -> comX;
                case "com-y" -> comY;
                default -> throw new WebException(400, "parameter 'kind': expected bf, adf, ring, com-x, com-y or com, got '" + kind + "'");
            };
        }
    }

    private VirtualImages() {
    }

    /** Indices of the detector pixels whose centres lie at r0 ≤ r < r1 from (cx, cy) (r0 = 0: a disk). */
    static int[] annulus(int detRows, int detCols, double cx, double cy, double r0, double r1) {
        List<Integer> idx = new ArrayList<>();
        for (int y = 0; y < detRows; y++) {
            for (int x = 0; x < detCols; x++) {
                double r = Math.hypot(x - cx, y - cy);
                if (r >= r0 && r < r1) idx.add(y * detCols + x);
            }
        }
        return idx.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The maps of a pass before it ran: every value NaN (shown grey), the mean pattern 0. */
    public static Result allocate(Dataset ds, Geometry g) {
        int rows = ds.navShape().dim(0), cols = ds.navShape().dim(1);
        int n = Math.toIntExact(ds.frameCount());
        float[][] maps = new float[5][n];
        for (float[] m : maps) java.util.Arrays.fill(m, Float.NaN);
        return new Result(g, rows, cols, maps[0], maps[1], maps[2], maps[3], maps[4], new float[ds.framePixels()],
                ds.sigShape().dim(0), ds.sigShape().dim(1), Double.NaN);
    }

    /** One pass, returning the filled maps and the time it took. */
    public static Result compute(Dataset ds, Geometry g, AtomicLong framesDone) {
        long t0 = System.nanoTime();
        Result r = allocate(ds, g);
        fill(ds, r, framesDone, () -> false);
        return new Result(g, r.rows(), r.cols(), r.bf(), r.adf(), r.ring(), r.comX(), r.comY(), r.mean(), r.detRows(), r.detCols(),
                (System.nanoTime() - t0) / 1e9);
    }

    /**
     * Fills the maps of {@code r} in place, blocks of frames in scan order across the workers, so a
     * reader of the arrays sees the image grow row by row; stops early when {@code stop} says so.
     */
    public static void fill(Dataset ds, Result r, AtomicLong framesDone, java.util.function.BooleanSupplier stop) {
        Geometry g = r.geometry();
        int dr = r.detRows(), dc = r.detCols();
        int pix = dr * dc;
        int n = r.bf().length;
        int[] bfIdx = annulus(dr, dc, g.cx(), g.cy(), 0, g.bfRadius());
        int[] adfIdx = annulus(dr, dc, g.cx(), g.cy(), g.adfInner(), g.adfOuter());
        int[] ringIdx = annulus(dr, dc, g.cx(), g.cy(), g.ringInner(), g.ringOuter());
        float[] bf = r.bf(), adf = r.adf(), ring = r.ring(), comX = r.comX(), comY = r.comY();
        int block = Math.max(1, Math.min(256, Math.max(ds.preferredBlockFrames(), (1 << 20) / pix)));
        int blocks = (n + block - 1) / block;
        int workers = Math.max(1, Math.min(blocks, Runtime.getRuntime().availableProcessors()));
        double[][] meanParts = new double[workers][pix];
        IntStream.range(0, workers).parallel().forEach(w -> {
            float[] buf = new float[block * pix];
            double[] meanPart = meanParts[w];
            for (int b = w; b < blocks && !stop.getAsBoolean(); b += workers) {
                int first = b * block;
                int count = Math.min(block, n - first);
                ds.readFrames(first, count, buf, 0);
                for (int f = 0; f < count; f++) {
                    int off = f * pix;
                    int i = first + f;
                    double s = 0, sx = 0, sy = 0;
                    for (int y = 0; y < dr; y++) {
                        int row = off + y * dc;
                        double rs = 0, rx = 0;
                        for (int x = 0; x < dc; x++) {
                            float v = buf[row + x];
                            rs += v;
                            rx += v * x;
                            meanPart[y * dc + x] += v;
                        }
                        s += rs;
                        sx += rx;
                        sy += rs * y;
                    }
                    adf[i] = sum(buf, off, adfIdx);
                    ring[i] = sum(buf, off, ringIdx);
                    comX[i] = s > 0 ? (float) (sx / s - g.cx()) : Float.NaN;
                    comY[i] = s > 0 ? (float) (sy / s - g.cy()) : Float.NaN;
                    bf[i] = sum(buf, off, bfIdx);
                }
                if (framesDone != null) framesDone.addAndGet(count);
            }
        });
        float[] mean = r.mean();
        for (double[] part : meanParts) {
            for (int p = 0; p < pix; p++) mean[p] += (float) (part[p] / n);
        }
    }

    private static float sum(float[] buf, int off, int[] idx) {
        double s = 0;
        for (int k : idx) s += buf[off + k];
        return (float) s;
    }

    /**
     * A first guess of the geometry from a few frames spread over the scan: the direct beam's centre
     * (centroid of pixels above half the maximum of their mean) and radius, and the first ring as the
     * maximum of the azimuthal average beyond twice the beam radius.
     */
    public static Geometry guess(Dataset ds) {
        int dr = Math.toIntExact(ds.sigShape().toArray()[0]);
        int dc = Math.toIntExact(ds.sigShape().toArray()[1]);
        int pix = dr * dc;
        long n = ds.frameCount();
        int samples = (int) Math.min(n, 32);
        float[] buf = new float[pix];
        double[] mean = new double[pix];
        for (int s = 0; s < samples; s++) {
            ds.readFrames(s * n / samples, 1, buf, 0);
            for (int p = 0; p < pix; p++) mean[p] += buf[p];
        }
        double max = 0;
        for (double v : mean) max = Math.max(max, v);
        double w = 0, wx = 0, wy = 0;
        int bright = 0;
        for (int p = 0; p < pix; p++) {
            if (max > 0 && mean[p] >= max / 2) {
                w += mean[p];
                wx += mean[p] * (p % dc);
                wy += mean[p] * (p / dc);
                bright++;
            }
        }
        double cx = w > 0 ? wx / w : (dc - 1) / 2.0;
        double cy = w > 0 ? wy / w : (dr - 1) / 2.0;
        double bfR = Math.max(2, Math.sqrt(Math.max(bright, 1) / Math.PI) * 1.5);
        int rMax = (int) Math.min(Math.min(cx, dc - 1 - cx), Math.min(cy, dr - 1 - cy));
        double[] radial = new double[Math.max(rMax, 1) + 1];
        int[] count = new int[radial.length];
        for (int p = 0; p < pix; p++) {
            int r = (int) Math.round(Math.hypot(p % dc - cx, p / dc - cy));
            if (r < radial.length) {
                radial[r] += mean[p];
                count[r]++;
            }
        }
        int peak = -1;
        for (int r = (int) Math.ceil(2 * bfR); r < radial.length; r++) {
            if (count[r] > 0 && (peak < 0 || radial[r] / count[r] > radial[peak] / count[peak])) peak = r;
        }
        double ringR = peak > 0 ? peak : Math.max(3 * bfR, rMax * 0.6);
        double band = Math.max(2, ringR * 0.1);
        double adfOuter = Math.max(ringR + 2 * band, bfR * 4);
        return new Geometry(cx, cy, bfR, Math.min(bfR * 1.5, adfOuter - 1), adfOuter, Math.max(0, ringR - band), ringR + band);
    }
}
