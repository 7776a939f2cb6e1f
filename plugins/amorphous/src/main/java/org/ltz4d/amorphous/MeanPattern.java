package org.ltz4d.amorphous;

import org.ltz4d.api.analysis.FitSetup;
import org.ltz4d.api.data.Dataset;

/**
 * The mean of up to {@code maxFrames} frames sampled evenly over the scan, each shifted by whole
 * pixels so that its direct beam lands on the first one's (so descan and deflection do not blur the
 * ring), with the direct beam's position and radius in it, and the pixels that no ring fit may use.
 * Computed once per run (see {@link #of}) by the fitters' set-ups, not the hot path; what the fits need
 * of it travels in their {@link FitSetup} ({@link #put}, {@link #from}).
 */
final class MeanPattern {
    final int rows, cols, frames;
    final double[] mean;
    final double beamX, beamY, beamRadius;
    final boolean hasBeam;
    /** Pixels (detector coordinates) never to use, beam search included: non-finite, hot or dead in the plain mean. */
    final boolean[] bad;
    /**
     * Pixels no ring fit uses: {@link #bad}, saturated in most sampled frames (a saturated direct
     * beam), in a beam stop's shadow, and those of the user's mask.
     */
    final boolean[] excluded;
    /** The level at which the detector clipped (counts), when found below the stored type's limit; else NaN. */
    double clipLevel = Double.NaN;
    /** Pixels of the aligned mean that no frame covered (left out of the mean-pattern fit). */
    final boolean[] uncovered;
    /** How many pixels each automatic mask found: hot/dead/non-finite, saturated, beam stop; and the user's. */
    final int badCount, saturatedCount, stopCount, userCount;

    private MeanPattern(int rows, int cols, int frames, double[] mean, double bx, double by, double br, boolean hasBeam,
            boolean[] bad, boolean[] saturated, boolean[] stop, boolean[] user, boolean[] uncovered) {
        this.bad = bad;
        this.uncovered = uncovered;
        this.rows = rows;
        this.cols = cols;
        this.frames = frames;
        this.mean = mean;
        this.beamX = bx;
        this.beamY = by;
        this.beamRadius = br;
        this.hasBeam = hasBeam;
        this.excluded = new boolean[bad.length];
        int nb = 0, ns = 0, nst = 0, nu = 0;
        for (int i = 0; i < bad.length; i++) {
            boolean u = user != null && user[i];
            excluded[i] = bad[i] || saturated[i] || stop[i] || u;
            nb += bad[i] ? 1 : 0;
            ns += saturated[i] ? 1 : 0;
            nst += stop[i] ? 1 : 0;
            nu += u ? 1 : 0;
        }
        this.badCount = nb;
        this.saturatedCount = ns;
        this.stopCount = nst;
        this.userCount = nu;
    }

    /** A mean pattern decoded from a set-up ({@link #from}): the masks as found, their counts as recorded. */
    private MeanPattern(int rows, int cols, int frames, double[] mean, double[] beam, boolean[] bad, boolean[] excluded,
            boolean[] uncovered, double[] counts) {
        this.rows = rows;
        this.cols = cols;
        this.frames = frames;
        this.mean = mean;
        this.hasBeam = beam[0] != 0;
        this.beamX = beam[1];
        this.beamY = beam[2];
        this.beamRadius = beam[3];
        this.bad = bad;
        this.excluded = excluded;
        this.uncovered = uncovered;
        this.badCount = (int) counts[0];
        this.saturatedCount = (int) counts[1];
        this.stopCount = (int) counts[2];
        this.userCount = (int) counts[3];
    }

    /**
     * Puts what the beam search needs into a set-up: {@code detector} {rows, cols}, {@code beam}
     * {has beam (0/1), x, y (px), radius (px)}, {@code bad} (runs, {@link SetupValues#runs}).
     */
    void putBeam(FitSetup.Builder b) {
        b.put("detector", rows, cols).put("beam", hasBeam ? 1 : 0, beamX, beamY, beamRadius).put("bad", SetupValues.runs(bad));
    }

    /**
     * Puts this mean pattern into a set-up: {@link #putBeam}, then {@code mean_frames} (frames
     * averaged), {@code mean_pattern} (counts per pixel, as floats: only the set-up itself fits the
     * mean, so a decoded pattern's float rounding changes no result), {@code clip_level} (counts, NaN
     * if none), the flags {@code excluded} and {@code uncovered} (runs) and {@code mask_counts}
     * {hot/dead/non-finite, saturated, beam stop, user's}.
     */
    void put(FitSetup.Builder b) {
        putBeam(b);
        float[] mf = new float[mean.length];
        for (int i = 0; i < mf.length; i++) mf[i] = (float) mean[i];
        b.put("mean_frames", frames).put("mean_pattern", mf).put("clip_level", clipLevel)
                .put("excluded", SetupValues.runs(excluded)).put("uncovered", SetupValues.runs(uncovered))
                .put("mask_counts", badCount, saturatedCount, stopCount, userCount);
    }

    /** The detector's {rows, cols} of a set-up written by {@link #putBeam}. */
    static int[] detector(FitSetup s) {
        double[] d = SetupValues.values(s, "detector", 2);
        if (!(d[0] >= 1 && d[1] >= 1 && d[0] * d[1] <= Integer.MAX_VALUE && d[0] == (int) d[0] && d[1] == (int) d[1])) {
            throw SetupValues.bad("detector", "{rows, cols} ≥ 1", d[0] + "×" + d[1]);
        }
        return new int[] {(int) d[0], (int) d[1]};
    }

    /** The mean pattern {@link #put} wrote (reads no frame, no file). */
    static MeanPattern from(FitSetup s) {
        int[] rc = detector(s);
        int px = rc[0] * rc[1];
        double[] mean = s.values("mean_pattern");
        if (mean.length != px) throw SetupValues.bad("mean_pattern", px + " pixels (" + rc[0] + "×" + rc[1] + ")", mean.length + " values");
        MeanPattern mp = new MeanPattern(rc[0], rc[1], (int) s.value("mean_frames"), mean, SetupValues.values(s, "beam", 4),
                SetupValues.flags(s, "bad", px), SetupValues.flags(s, "excluded", px), SetupValues.flags(s, "uncovered", px),
                SetupValues.values(s, "mask_counts", 4));
        mp.clipLevel = s.value("clip_level");
        return mp;
    }

    /** What the mean pattern depends on besides the dataset. */
    record Key(int frames, double saturation, java.nio.file.Path mask) {
    }

    private static final PerRun<Key, MeanPattern> RUNS = new PerRun<>();

    /**
     * The mean pattern of a run, shared by its fitters' set-ups ({@link BeamFitter#setup},
     * {@link RingFitter#setup}: the sampled frames are read once; see {@link PerRun}).
     */
    static MeanPattern of(Dataset ds, Key key) {
        return RUNS.get(ds, key, () -> compute(ds, key.frames(), key.saturation(),
                key.mask() == null ? null : MaskFile.read(key.mask(), ds.sigShape().rows(), ds.sigShape().cols())));
    }

    static MeanPattern compute(Dataset ds, int maxFrames, double saturation, boolean[] user) {
        int rows = ds.sigShape().rows(), cols = ds.sigShape().cols(), px = rows * cols;
        long total = ds.frameCount();
        int n = (int) Math.max(1, Math.min(maxFrames, total));
        float[] f = new float[px];
        double[] sum = new double[px];
        int[] cover = new int[px];
        double[] c = new double[2];
        long[] idx = new long[n];
        double[] raw = new double[px];
        int refX = 0, refY = 0;
        boolean first = true, anyBeam = false;
        // pass 1: the plain mean in detector coordinates, for the bad pixels
        int[] satCount = new int[px];
        float clip = Float.NEGATIVE_INFINITY;
        for (int k = 0; k < n; k++) {
            idx[k] = n == 1 ? total / 2 : Math.round(k * (total - 1) / (double) (n - 1));
            ds.readFrames(idx[k], 1, f, 0);
            for (int i = 0; i < px; i++) {
                raw[i] += f[i];
                if (f[i] >= saturation) satCount[i]++;
                if (f[i] > clip) clip = f[i];
            }
        }
        double total0 = 0;
        for (int i = 0; i < px; i++) {
            raw[i] /= n;
            total0 += raw[i];
        }
        // a detector that clips below the stored type's limit: pixels at exactly the largest value of all the
        // sampled frames in most of them (Poisson counts do not repeat so; a clipped plateau does)
        int[] atClip = new int[px];
        boolean clipCandidate = clip > 20 * total0 / px && clip < saturation;
        // candidates: outliers of the plain mean; a transient spike (cosmic ray, one saturated frame) is
        // one too, so a candidate becomes a bad pixel only if it stands out in most frames (pass 2)
        double[] thr = new double[px];
        boolean[] candidate = badPixels(raw, rows, cols, n, thr);
        int[] cand = java.util.stream.IntStream.range(0, px).filter(i -> candidate[i]).toArray();
        int[] high = new int[cand.length];
        boolean[] stop = beamStop(raw, rows, cols, n, candidate);
        // (saturated and shadowed pixels stay in the mean, where they show the beam; the ring fits leave them out)
        boolean[] skip = candidate;
        // pass 2: each frame's beam (bad pixels left out) and the mean aligned on it, without the bad pixels
        for (int k = 0; k < n; k++) {
            ds.readFrames(idx[k], 1, f, 0);
            for (int j = 0; j < cand.length; j++) {
                float v = f[cand[j]];
                if (!(v <= thr[cand[j]])) high[j]++; // NaN counts as high
            }
            if (clipCandidate) for (int i = 0; i < px; i++) if (f[i] == clip) atClip[i]++;
            int sx = 0, sy = 0;
            if (brightSpot(f, 0, rows, cols, c, skip)) {
                centroid(f, 0, rows, cols, c, 6, 2);
                int ix = (int) Math.round(c[0]), iy = (int) Math.round(c[1]);
                if (first) { refX = ix; refY = iy; }
                sx = refX - ix;
                sy = refY - iy;
                anyBeam = true;
            }
            first = false;
            for (int r = 0; r < rows; r++) {
                int rr = r + sy;
                if (rr < 0 || rr >= rows) continue;
                for (int q = 0; q < cols; q++) {
                    int cc = q + sx;
                    if (cc < 0 || cc >= cols || skip[r * cols + q]) continue;
                    sum[rr * cols + cc] += f[r * cols + q];
                    cover[rr * cols + cc]++;
                }
            }
        }
        // (a plateau: at least 3 such pixels; one stuck at the top is a hot pixel)
        int nClip = 0;
        for (int i = 0; i < px; i++) nClip += 2 * atClip[i] > n ? 1 : 0;
        boolean clipped = nClip >= 3;
        boolean[] saturated = new boolean[px];
        for (int i = 0; i < px; i++) saturated[i] = 2 * satCount[i] > n || clipped && 2 * atClip[i] > n;
        double clipLevel = clipped ? clip : Double.NaN;
        boolean[] bad = new boolean[px];
        for (int j = 0; j < cand.length; j++) if (2 * high[j] > n || raw[cand[j]] == 0) bad[cand[j]] = true;
        double[] mean = new double[px];
        boolean[] uncovered = new boolean[px];
        for (int i = 0; i < px; i++) {
            mean[i] = cover[i] > 0 ? sum[i] / cover[i] : 0;
            uncovered[i] = cover[i] == 0;
        }
        float[] mf = new float[px];
        for (int i = 0; i < px; i++) mf[i] = (float) mean[i];
        double bx = Double.NaN, by = Double.NaN, br = Double.NaN;
        boolean hasBeam = anyBeam && brightSpot(mf, 0, rows, cols, c, null);
        if (hasBeam) {
            centroid(mf, 0, rows, cols, c, 6, 2);
            double peak = 0;
            for (int r = Math.max(0, (int) c[1] - 3); r <= Math.min(rows - 1, (int) c[1] + 3); r++) {
                for (int q = Math.max(0, (int) c[0] - 3); q <= Math.min(cols - 1, (int) c[0] + 3); q++) peak = Math.max(peak, mean[r * cols + q]);
            }
            int count = 0;
            for (int r = Math.max(0, (int) c[1] - 30); r <= Math.min(rows - 1, (int) c[1] + 30); r++) {
                for (int q = Math.max(0, (int) c[0] - 30); q <= Math.min(cols - 1, (int) c[0] + 30); q++) {
                    if (Math.hypot(q - c[0], r - c[1]) <= 30 && mean[r * cols + q] > 0.5 * peak) count++;
                }
            }
            br = Math.max(1, Math.sqrt(count / Math.PI));
            double rm = 1.5 * br + 2;
            centroid(mf, 0, rows, cols, c, rm, 3);
            bx = c[0];
            by = c[1];
        }
        MeanPattern mp = new MeanPattern(rows, cols, n, mean, bx, by, br, hasBeam, bad, saturated, stop, user, uncovered);
        mp.clipLevel = clipLevel;
        return mp;
    }

    /**
     * The direct-beam centre of one frame: from the seed in {@code c} (the previous frame's centre
     * when {@code warm}, else the brightest pixel of the frame), a coarse centre of mass over a wide
     * disk (to re-centre after a jump such as a new scan row), then the masked, background-corrected
     * centre of mass of radius {@code radius} twice. False when there is no beam.
     */
    static boolean locateBeam(float[] f, int off, int rows, int cols, double[] c, double radius, boolean warm, boolean[] bad) {
        if (!warm) {
            if (!brightSpot(f, off, rows, cols, c, bad)) return false;
        }
        double sx = c[0], sy = c[1];
        if (coarse(f, off, rows, cols, c, Math.max(2 * radius, radius + 6))
                && centroid(f, off, rows, cols, c, radius, 2) && Math.hypot(c[0] - sx, c[1] - sy) < 4 * radius) {
            return true;
        }
        if (!warm) return false;
        return locateBeam(f, off, rows, cols, c, radius, false, bad);
    }

    /** Plain centre of mass within {@code radius} of c (one step). */
    private static boolean coarse(float[] f, int off, int rows, int cols, double[] c, double radius) {
        double cx = c[0], cy = c[1];
        int r0 = (int) Math.max(0, Math.floor(cy - radius)), r1 = (int) Math.min(rows - 1, Math.ceil(cy + radius));
        int c0 = (int) Math.max(0, Math.floor(cx - radius)), c1 = (int) Math.min(cols - 1, Math.ceil(cx + radius));
        double s = 0, sx = 0, sy = 0, rad2 = radius * radius;
        for (int r = r0; r <= r1; r++) {
            double dy = r - cy;
            int base = off + r * cols;
            for (int q = c0; q <= c1; q++) {
                double dx = q - cx;
                if (dx * dx + dy * dy > rad2) continue;
                float v = f[base + q];
                s += v; sx += v * dx; sy += v * dy;
            }
        }
        if (!(s > 0)) return false;
        c[0] = cx + sx / s;
        c[1] = cy + sy / s;
        return true;
    }

    /**
     * Flags pixels of a plain mean of {@code frames} frames that no smooth pattern explains:
     * non-finite values, hot pixels (more than 4× the median of their 8 neighbours + 1 count and
     * 10 standard errors above it) and dead pixels (exactly 0 where the neighbours' median exceeds
     * 1 count). {@code thr} receives, per pixel, the single-frame level above which a frame's value
     * is "high" (4× the neighbours' median + 1, and 10 Poisson σ above it).
     */
    static boolean[] badPixels(double[] m, int rows, int cols, int frames, double[] thr) {
        boolean[] bad = new boolean[rows * cols];
        double[] nb = new double[8];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double v = m[r * cols + c];
                if (!Double.isFinite(v)) { bad[r * cols + c] = true; continue; }
                int k = 0;
                for (int dr = -1; dr <= 1; dr++) {
                    for (int dc = -1; dc <= 1; dc++) {
                        int rr = r + dr, cc = c + dc;
                        if ((dr == 0 && dc == 0) || rr < 0 || rr >= rows || cc < 0 || cc >= cols) continue;
                        double w = m[rr * cols + cc];
                        if (Double.isFinite(w)) nb[k++] = w;
                    }
                }
                if (k < 3) continue;
                java.util.Arrays.sort(nb, 0, k);
                double med = k % 2 == 1 ? nb[k / 2] : 0.5 * (nb[k / 2 - 1] + nb[k / 2]);
                double se = Math.sqrt(Math.max(med, 1) / frames);
                thr[r * cols + c] = Math.max(4 * (med + 1), med + 10 * Math.sqrt(Math.max(med, 1)));
                if (v > 4 * (med + 1) && v - med > 10 * se) bad[r * cols + c] = true;
                if (v == 0 && med > 1) bad[r * cols + c] = true;
            }
        }
        return bad;
    }

    /**
     * A beam stop's shadow in the plain mean {@code m} of {@code frames} frames: pixels beyond the
     * direct beam (1.5 × its radius + 2 px) below a fifth of the median of their 1 px ring around the
     * pattern's centroid,
     * where that median is at least 20 counts summed over the frames (so the shortfall is
     * significant, not noise), grown by 2 px for the shadow's soft edge. Pixels already flagged in
     * {@code bad} are not counted in the medians.
     */
    static boolean[] beamStop(double[] m, int rows, int cols, int frames, boolean[] bad) {
        int px = rows * cols;
        double top = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < px; i++) if (!bad[i] && m[i] > top) top = m[i];
        // the centre: the intensity centroid of the scattered pattern (the direct beam — pixels above half
        // the brightest — left out: it may be saturated, or hidden by the stop but for a bright edge)
        double sx = 0, sy = 0, sw = 0;
        int nbeam = 0;
        for (int i = 0; i < px; i++) {
            if (bad[i] || !(m[i] > 0)) continue;
            if (m[i] >= 0.5 * top) { nbeam++; continue; }
            sx += m[i] * (i % cols);
            sy += m[i] * (i / cols);
            sw += m[i];
        }
        double cx = sw > 0 ? sx / sw : (cols - 1) / 2.0, cy = sw > 0 ? sy / sw : (rows - 1) / 2.0;
        // a direct beam stands far above the pattern's mean (else the brightest pixels are the ring's)
        double skipR = top > 20 * (sw / Math.max(1, px - nbeam)) ? 1.5 * Math.sqrt(nbeam / Math.PI) + 2 : 2;
        int nb = (int) Math.ceil(Math.hypot(Math.max(cx, cols - cx), Math.max(cy, rows - cy))) + 2;
        int[] count = new int[nb];
        int[] bin = new int[px];
        for (int i = 0; i < px; i++) {
            bin[i] = (int) Math.round(Math.hypot(i % cols - cx, i / cols - cy));
            if (!bad[i]) count[bin[i]]++;
        }
        double[][] vals = new double[nb][];
        for (int b = 0; b < nb; b++) vals[b] = new double[count[b]];
        int[] fill = new int[nb];
        for (int i = 0; i < px; i++) if (!bad[i]) vals[bin[i]][fill[bin[i]]++] = m[i];
        double[] med = new double[nb];
        for (int b = 0; b < nb; b++) {
            double[] v = vals[b];
            if (v.length == 0) continue;
            java.util.Arrays.sort(v);
            med[b] = v[v.length / 2];
        }
        // dark: below half the ring's median and 5 σ below it (counts summed over the frames); a shadow is a
        // region, so a dark pixel needs two dark neighbours (an isolated dead pixel is not a stop)
        boolean[] dark0 = new boolean[px];
        for (int i = 0; i < px; i++) {
            double md = med[bin[i]];
            dark0[i] = bin[i] > skipR && md * frames >= 20 && m[i] < 0.5 * md && (md - m[i]) * frames > 5 * Math.sqrt(md * frames);
        }
        boolean[] dark = new boolean[px];
        boolean any = false;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                if (!dark0[r * cols + c]) continue;
                int k = 0;
                for (int dr = -1; dr <= 1; dr++) {
                    for (int dc = -1; dc <= 1; dc++) {
                        int rr = r + dr, cc = c + dc;
                        if ((dr != 0 || dc != 0) && rr >= 0 && rr < rows && cc >= 0 && cc < cols && dark0[rr * cols + cc]) k++;
                    }
                }
                if (k >= 2) { dark[r * cols + c] = true; any = true; }
            }
        }
        if (!any) return dark;
        boolean[] stop = new boolean[px];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                if (!dark[r * cols + c]) continue;
                for (int dr = -2; dr <= 2; dr++) {
                    for (int dc = -2; dc <= 2; dc++) {
                        int rr = r + dr, cc = c + dc;
                        if (rr >= 0 && rr < rows && cc >= 0 && cc < cols) stop[rr * cols + cc] = true;
                    }
                }
            }
        }
        return stop;
    }

    /** Finds the brightest pixel; true when it stands well above the frame's mean (a direct beam). */
    static boolean brightSpot(float[] f, int off, int rows, int cols, double[] out, boolean[] bad) {
        int px = rows * cols, best = off;
        double s = 0;
        float bv = Float.NEGATIVE_INFINITY;
        for (int i = off, e = off + px; i < e; i++) {
            float v = f[i];
            if (bad != null && bad[i - off]) continue;
            s += v;
            if (v > bv) { bv = v; best = i; }
        }
        out[0] = (best - off) % cols;
        out[1] = (best - off) / cols;
        return bv > 20 * (s / px) && bv > 0;
    }

    /**
     * Centre of mass within radius {@code radius} of {@code c}, minus the mean level on a 2 px
     * ring just outside, iterated {@code iterations} times; returns false (c then is the last
     * good estimate) when there is no signal.
     */
    static boolean centroid(float[] f, int off, int rows, int cols, double[] c, double radius, int iterations) {
        for (int it = 0; it < iterations; it++) {
            double cx = c[0], cy = c[1];
            double ro = radius + 2;
            int r0 = (int) Math.max(0, Math.floor(cy - ro)), r1 = (int) Math.min(rows - 1, Math.ceil(cy + ro));
            int c0 = (int) Math.max(0, Math.floor(cx - ro)), c1 = (int) Math.min(cols - 1, Math.ceil(cx + ro));
            double bs = 0;
            int bn = 0;
            double s = 0, sx = 0, sy = 0, sdx = 0, sdy = 0;
            int n = 0;
            double rad2 = radius * radius, ro2 = ro * ro;
            for (int r = r0; r <= r1; r++) {
                double dy = r - cy;
                int base = off + r * cols;
                for (int q = c0; q <= c1; q++) {
                    double dx = q - cx;
                    double d2 = dx * dx + dy * dy;
                    float v = f[base + q];
                    if (d2 <= rad2) {
                        s += v; sx += v * dx; sy += v * dy; sdx += dx; sdy += dy; n++;
                    } else if (d2 <= ro2) {
                        bs += v; bn++;
                    }
                }
            }
            double bg = bn > 0 ? bs / bn : 0;
            double w = s - bg * n;
            if (!(w > 0)) return false;
            // Σ(v − bg)·d = Σ v·d − bg·Σ d (Σ d over the pixel disk is not exactly 0 off-grid)
            c[0] = cx + (sx - bg * sdx) / w;
            c[1] = cy + (sy - bg * sdy) / w;
        }
        return Double.isFinite(c[0]) && Double.isFinite(c[1]);
    }
}
