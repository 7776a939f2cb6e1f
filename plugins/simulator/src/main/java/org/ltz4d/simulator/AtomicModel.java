package org.ltz4d.simulator;

import java.util.Arrays;
import java.util.Random;

/**
 * A dense random packing of atoms in a periodic cubic box, made in the test: random positions
 * relaxed by steepest descent on a harmonic soft-sphere repulsion (diameter σ), which gives a
 * jammed, glass-like structure with a first shell near σ. Species are assigned at random in the
 * given fractions (so all partial g_ab(r) are the same and the total S(q) is unambiguous).
 * Pair distances (minimum image, r &lt; L/2) are kept as histograms per species pair.
 *
 * <p>Used by the simulator's glass patterns ({@code --sq debye}: S(q) from the Debye sum) and by
 * the S(q)/PDF tests (the model's own G(r) is the known answer). Immutable after construction;
 * building 3,000 atoms takes about a second.
 */
public final class AtomicModel {
    private final int n;
    private final double box;
    private final double density;
    private final double[] x;
    private final int[] species;
    private final int nSpecies;
    /** Histogram bin width (Å) and per ordered species pair (a·nSpecies + b) counts of ordered pairs i≠j. */
    private final double dr;
    private final int nBins;
    private double[][] hist;
    private double[] histTotal;

    /**
     * {@code n} atoms at number density {@code density} (Å⁻³), soft-sphere diameter {@code sigma}
     * (Å), species in {@code fractions}, histogram bin {@code dr} (Å).
     */
    public AtomicModel(int n, double density, double sigma, double[] fractions, long seed, double dr) {
        this(n, density, sigma, 0.0, fractions, seed, dr);
    }

    /** As above, with a Gaussian static displacement of {@code jitter} Å per coordinate after the relaxation. */
    public AtomicModel(int n, double density, double sigma, double jitter, double[] fractions, long seed, double dr) {
        if (n < 2 || !(density > 0) || !(sigma > 0) || !(dr > 0) || fractions.length < 1) {
            throw new IllegalArgumentException("atomic model needs n ≥ 2 atoms, positive density, sigma and dr, and at least one species");
        }
        this.n = n;
        this.density = density;
        this.box = Math.cbrt(n / density);
        this.dr = dr;
        this.nSpecies = fractions.length;
        Random rnd = new Random(seed);
        x = new double[3 * n];
        for (int i = 0; i < 3 * n; i++) x[i] = rnd.nextDouble() * box;
        relax(sigma, 250);
        for (int i = 0; i < 3 * n; i++) x[i] = wrap(x[i] + jitter * rnd.nextGaussian());
        species = new int[n];
        int at = 0;
        for (int s = 0; s < fractions.length; s++) {
            int count = s == fractions.length - 1 ? n - at : (int) Math.round(fractions[s] * n);
            for (int i = 0; i < count && at < n; i++) species[at++] = s;
        }
        for (int i = n - 1; i > 0; i--) { // shuffle the species over the sites
            int j = rnd.nextInt(i + 1);
            int t = species[i];
            species[i] = species[j];
            species[j] = t;
        }
        nBins = (int) Math.floor(0.5 * box / dr);
        histogram();
    }

    /** Number of atoms. */
    public int n() {
        return n;
    }

    /** Edge of the periodic cubic box (Å). */
    public double box() {
        return box;
    }

    /** Number density ρ0 (Å⁻³). */
    public double density() {
        return density;
    }

    /** Steepest descent with a capped step on U = Σ (1 − r/σ)² over overlapping pairs; cell lists. */
    private void relax(double sigma, int iterations) {
        double[] f = new double[3 * n];
        int nc = Math.max(3, (int) Math.floor(box / sigma));
        double cell = box / nc;
        int[] head = new int[nc * nc * nc];
        int[] next = new int[n];
        for (int it = 0; it < iterations; it++) {
            Arrays.fill(head, -1);
            for (int i = 0; i < n; i++) {
                int c = cellOf(i, cell, nc);
                next[i] = head[c];
                head[c] = i;
            }
            Arrays.fill(f, 0);
            for (int i = 0; i < n; i++) {
                int cx = Math.min(nc - 1, (int) (x[3 * i] / cell));
                int cy = Math.min(nc - 1, (int) (x[3 * i + 1] / cell));
                int cz = Math.min(nc - 1, (int) (x[3 * i + 2] / cell));
                for (int ox = -1; ox <= 1; ox++) {
                    for (int oy = -1; oy <= 1; oy++) {
                        for (int oz = -1; oz <= 1; oz++) {
                            int c = (Math.floorMod(cx + ox, nc) * nc + Math.floorMod(cy + oy, nc)) * nc + Math.floorMod(cz + oz, nc);
                            for (int j = head[c]; j >= 0; j = next[j]) {
                                if (j <= i) continue;
                                double dx = mi(x[3 * j] - x[3 * i]);
                                double dy = mi(x[3 * j + 1] - x[3 * i + 1]);
                                double dz = mi(x[3 * j + 2] - x[3 * i + 2]);
                                double r2 = dx * dx + dy * dy + dz * dz;
                                if (r2 >= sigma * sigma || r2 == 0) continue;
                                double r = Math.sqrt(r2);
                                double mag = (1 - r / sigma) / r; // force along the unit vector / r
                                f[3 * i] -= mag * dx;
                                f[3 * i + 1] -= mag * dy;
                                f[3 * i + 2] -= mag * dz;
                                f[3 * j] += mag * dx;
                                f[3 * j + 1] += mag * dy;
                                f[3 * j + 2] += mag * dz;
                            }
                        }
                    }
                }
            }
            double step = 0.5 * sigma;
            double cap = 0.05 * sigma;
            for (int i = 0; i < 3 * n; i++) {
                double d = step * f[i];
                if (d > cap) d = cap;
                if (d < -cap) d = -cap;
                x[i] = wrap(x[i] + d);
            }
        }
    }

    private int cellOf(int i, double cell, int nc) {
        int cx = Math.min(nc - 1, (int) (x[3 * i] / cell));
        int cy = Math.min(nc - 1, (int) (x[3 * i + 1] / cell));
        int cz = Math.min(nc - 1, (int) (x[3 * i + 2] / cell));
        return (cx * nc + cy) * nc + cz;
    }

    private double wrap(double v) {
        v = v % box;
        return v < 0 ? v + box : v;
    }

    private double mi(double d) {
        return d - box * Math.rint(d / box);
    }

    private void histogram() {
        hist = new double[nSpecies * nSpecies][nBins];
        histTotal = new double[nBins];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double dx = mi(x[3 * j] - x[3 * i]);
                double dy = mi(x[3 * j + 1] - x[3 * i + 1]);
                double dz = mi(x[3 * j + 2] - x[3 * i + 2]);
                double r = Math.sqrt(dx * dx + dy * dy + dz * dz);
                int b = (int) (r / dr);
                if (b >= nBins) continue;
                hist[species[i] * nSpecies + species[j]][b] += 1;
                hist[species[j] * nSpecies + species[i]][b] += 1;
                histTotal[b] += 2;
            }
        }
    }

    /** Largest r (Å) of the histograms. */
    public double rCut() {
        return nBins * dr;
    }

    /**
     * G(r) = 4πrρ0(g(r) − 1) computed directly from the pair histogram, with all distances scaled by
     * {@code dilation}, smoothed by a Gaussian of {@code smooth} Å (0: none), at r.
     */
    public double[] gDirect(double[] r, double dilation, double smooth) {
        double rho = density / (dilation * dilation * dilation);
        double[] out = new double[r.length];
        for (int k = 0; k < r.length; k++) {
            double rr = r[k];
            if (rr <= 0) continue;
            double acc = 0;
            if (smooth > 0) {
                // g(r) smoothed: Σ_pairs Gaussian(r - r_ij) / (N ρ 4π r²)
                int lo = Math.max(0, (int) ((rr - 5 * smooth) / (dr * dilation)));
                int hi = Math.min(nBins - 1, (int) ((rr + 5 * smooth) / (dr * dilation)) + 1);
                for (int b = lo; b <= hi; b++) {
                    double rb = (b + 0.5) * dr * dilation;
                    double u = (rr - rb) / smooth;
                    acc += histTotal[b] * Math.exp(-0.5 * u * u) / (smooth * Math.sqrt(2 * Math.PI));
                }
            } else {
                int b = (int) (rr / (dr * dilation));
                if (b >= nBins) continue;
                acc = histTotal[b] / (dr * dilation);
            }
            double g = acc / (n * rho * 4 * Math.PI * rr * rr);
            out[k] = 4 * Math.PI * rr * rho * (g - 1);
        }
        return out;
    }

    /**
     * The structure factor S(q) of the positions alone (every atom scattering alike; with species
     * assigned at random all partial S_ab equal it, so I/N = ⟨f²⟩ + ⟨f⟩²·(S − 1)): the Debye sum
     * below with f ≡ 1, distances scaled by {@code dilation}.
     */
    public double[] structureFactor(double[] q, double dilation) {
        double[][] sums = sincSums(q, new double[][] {histTotal}, dilation);
        double[] out = new double[q.length];
        for (int k = 0; k < q.length; k++) out[k] = 1 + sums[k][0] / n - sums[k][1];
        return out;
    }

    /**
     * The Debye scattering equation over the pair histograms, per atom:
     * I(q)/N = Σ_a c_a f_a² + (1/N) Σ_ab f_a f_b Σ_bins h_ab(r) sin(qr)/(qr)·w(r)
     * − ⟨f⟩²·ρ0 ∫ 4πr² sin(qr)/(qr)·w(r) dr, the last term (uniform density) removing the
     * forward-scattering of the periodic cell; w tapers to 0 over the last 3 Å before L/2.
     * Distances are scaled by {@code dilation}. f[a][k] = f_e of species a at q[k].
     */
    public double[] debye(double[] q, double[][] f, double dilation) {
        double[][] sums = sincSums(q, hist, dilation);
        double[] c = new double[nSpecies];
        for (int s : species) c[s] += 1.0 / n;
        double[] out = new double[q.length];
        for (int k = 0; k < q.length; k++) {
            double[] part = sums[k];
            double self = 0;
            double mean = 0;
            for (int a = 0; a < nSpecies; a++) {
                self += c[a] * f[a][k] * f[a][k];
                mean += c[a] * f[a][k];
            }
            double cross = 0;
            for (int a = 0; a < nSpecies; a++) {
                for (int b = 0; b < nSpecies; b++) cross += f[a][k] * f[b][k] * part[a * nSpecies + b];
            }
            out[k] = self + cross / n - mean * mean * part[part.length - 1];
        }
        return out;
    }

    /**
     * Per q: Σ_bins h_p(r)·sin(qr)/(qr)·w(r) for each histogram p, and last the uniform-density term
     * ρ0·∫4πr²·sin(qr)/(qr)·w(r)dr; w tapers to 0 over the last 3 Å before L/2, distances scaled by
     * {@code dilation}.
     */
    private double[][] sincSums(double[] q, double[][] h, double dilation) {
        double rho = density / (dilation * dilation * dilation);
        double rc = rCut() * dilation;
        double taper = 3.0;
        double[] w = new double[nBins];
        double[] rb = new double[nBins];
        double[] uniform = new double[nBins];
        for (int b = 0; b < nBins; b++) {
            rb[b] = (b + 0.5) * dr * dilation;
            double t = (rc - rb[b]) / taper;
            w[b] = t >= 1 ? 1 : 0.5 - 0.5 * Math.cos(Math.PI * Math.max(0, t));
            uniform[b] = rho * 4 * Math.PI * rb[b] * rb[b] * dr * dilation;
        }
        double[][] out = new double[q.length][h.length + 1];
        for (int k = 0; k < q.length; k++) {
            double[] part = out[k];
            double qq = q[k];
            double step = qq * dr * dilation;
            double c2 = 2 * Math.cos(step);
            // sin(q r_b) by the Chebyshev recurrence over the equally spaced bin centres
            double sPrev = Math.sin(qq * rb[0] - step);
            double sCur = Math.sin(qq * rb[0]);
            double uni = 0;
            for (int b = 0; b < nBins; b++) {
                double sinc = qq == 0 ? 1 : sCur / (qq * rb[b]);
                double ws = w[b] * sinc;
                for (int p = 0; p < h.length; p++) part[p] += h[p][b] * ws;
                uni += uniform[b] * ws;
                double sNext = c2 * sCur - sPrev;
                sPrev = sCur;
                sCur = sNext;
            }
            part[h.length] = uni;
        }
        return out;
    }
}
