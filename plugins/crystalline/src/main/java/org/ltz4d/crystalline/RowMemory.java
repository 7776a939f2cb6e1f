package org.ltz4d.crystalline;

/**
 * The tracking state of the last pattern analysed in each column of the scan row (its fitted lattice
 * {ox, oy, g1x, g1y, g2x, g2y}, its disks' labels (h, k) and, with the gradient model, their intensity
 * terms), shared by all workers of a run: the pattern one row above a pattern was analysed a row earlier,
 * by whichever worker, and its disks are a better start than a full search when tracking from the previous
 * pattern fails (the start of a row, a grain boundary crossed along the row). One lock; a put or get copies
 * at most {@code maxDisks}·(2 + {@link DiskFinder#NL}) numbers, microseconds against the milliseconds of a
 * pattern. Allocated on the first put (columns × disks × 9 numbers), nothing per frame. Used only with
 * {@code --row-memory}: whether the pattern above is there yet depends on the workers' timing, so the maps then
 * differ (slightly) between runs and thread counts.
 */
final class RowMemory {
    final int cols;
    private final int md;
    private final boolean profiles;
    private long[] index;
    private double[] seed;
    private int[] h, k, count, searched;
    private double[] profile;

    RowMemory(int cols, int maxDisks, boolean profiles) {
        this.cols = cols;
        this.md = maxDisks;
        this.profiles = profiles;
    }

    /** Keeps the state of the pattern at scan position {@code idx}. */
    synchronized void put(long idx, double[] s, int[] hs, int[] ks, double[] prof, int n, int nSearched) {
        if (index == null) {
            index = new long[cols];
            java.util.Arrays.fill(index, -1);
            seed = new double[cols * 6];
            h = new int[cols * md];
            k = new int[cols * md];
            count = new int[cols];
            searched = new int[cols];
            profile = profiles ? new double[cols * md * DiskFinder.NL] : null;
        }
        int c = (int) (idx % cols);
        index[c] = idx;
        System.arraycopy(s, 0, seed, c * 6, 6);
        System.arraycopy(hs, 0, h, c * md, n);
        System.arraycopy(ks, 0, k, c * md, n);
        if (profile != null) System.arraycopy(prof, 0, profile, c * md * DiskFinder.NL, n * DiskFinder.NL);
        count[c] = n;
        searched[c] = nSearched;
    }

    /**
     * Copies the state of the pattern one row above {@code idx} into the arrays given; {count, searched count} go
     * to {@code n}. False when no worker has analysed that pattern (yet) or its column holds a later one.
     */
    synchronized boolean above(long idx, double[] s, int[] hs, int[] ks, double[] prof, int[] n) {
        if (index == null || idx < cols) return false;
        int c = (int) (idx % cols);
        if (index[c] != idx - cols) return false;
        System.arraycopy(seed, c * 6, s, 0, 6);
        n[0] = count[c];
        n[1] = searched[c];
        System.arraycopy(h, c * md, hs, 0, n[0]);
        System.arraycopy(k, c * md, ks, 0, n[0]);
        if (profile != null && prof != null) System.arraycopy(profile, c * md * DiskFinder.NL, prof, 0, n[0] * DiskFinder.NL);
        return true;
    }
}
