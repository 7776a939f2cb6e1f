package org.ltz4d.crystalline;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Simulated crystalline 4D-STEM: Bragg disks (the {@link DiskModel} profile) at lattice positions
 * o + h·g1 + k·g2, with structure-factor-like intensities, on a flat background, Poisson noise.
 * Per position: a known strain ε and rotation θ (real space, F = (I+ε)·R(θ), so g = F^-T·g_ref),
 * two grains (grain 2 turned by {@code grainTurnDeg}), and a beam shift (descan + deflection).
 */
final class CrystalSim {
    final int ny, nx, size;
    final DiskModel disk;
    final double[] gRef; // g1x, g1y, g2x, g2y of grain 1, px
    final double amp1;   // peak counts/px of a first-order disk
    final double direct; // peak counts/px of the direct beam
    final double background;
    final double grainTurnDeg;
    final boolean hexagonal;
    // truth per position
    final double[] exx, eyy, exy, rotDeg, ox, oy;
    final boolean[] grain2;

    // --- realistic CBED (off unless set; see realistic()): grains, inner contrast, diffuse background, intensity range
    /** Turn (deg) of each grain; with it, {@link #grain} gives the grain of each position (else grain2/grainTurnDeg). */
    double[] grainTurnsDeg;
    int[] grain;
    /** Inner contrast: largest relative intensity gradient across a disk radius, and depth of a rocking-curve-like band. */
    double gradientAmp, rockingAmp;
    /** Diffuse background: a halo of this peak (counts/px) and width σ (px) around the direct beam, on top of {@link #background}. */
    double halo, haloSigma;
    /** Disk peak intensities as fractions of the direct beam are kept in [relMin, relMax] (0: no clamp). */
    double relMin, relMax;
    /** Debye–Waller-like fall-off of the disk intensities: exp(−falloff·(|g|²/|g₁|² − 1)). */
    double falloff = 0.2;

    CrystalSim(int ny, int nx, int size, double radius, double edge, double[] gRef, boolean hexagonal, double amp1,
            double direct, double background, double grainTurnDeg, double strainAmp, double rotAmpDeg) {
        this.ny = ny; this.nx = nx; this.size = size;
        this.disk = new DiskModel(radius, edge);
        this.gRef = gRef; this.hexagonal = hexagonal;
        this.amp1 = amp1; this.direct = direct; this.background = background; this.grainTurnDeg = grainTurnDeg;
        int n = ny * nx;
        exx = new double[n]; eyy = new double[n]; exy = new double[n]; rotDeg = new double[n]; ox = new double[n]; oy = new double[n];
        grain2 = new boolean[n];
        for (int y = 0; y < ny; y++) for (int x = 0; x < nx; x++) {
            int i = y * nx + x;
            double u = x / (double) (nx - 1), v = y / (double) (ny - 1);
            boolean ref = x < 4 && y < 4; // unstrained, unrotated reference region
            exx[i] = ref ? 0 : strainAmp * Math.sin(2 * Math.PI * u) * (0.5 + v);
            eyy[i] = ref ? 0 : -0.7 * strainAmp * Math.cos(Math.PI * v) * u;
            exy[i] = ref ? 0 : 0.5 * strainAmp * (u - v);
            rotDeg[i] = ref ? 0 : rotAmpDeg * Math.sin(Math.PI * u * v + 0.3);
            grain2[i] = x > nx / 2 + (y - ny / 2) / 3;
            ox[i] = size / 2.0 + 0.37 + 1.5 * u - 0.8 * v;
            oy[i] = size / 2.0 - 0.21 + 0.7 * v + 0.4 * Math.sin(3 * u);
        }
    }

    /** Basis (g1x, g1y, g2x, g2y) at position i, px. */
    double[] basis(int i) {
        double th = Math.toRadians(rotDeg[i] + turnDeg(i));
        double c = Math.cos(th), s = Math.sin(th);
        // F = (I+ε)·R (DESIGN.md §4b: ε is the lab-frame stretch)
        double a = 1 + exx[i], b = exy[i], d = 1 + eyy[i];
        double F00 = a * c + b * s, F01 = -a * s + b * c, F10 = b * c + d * s, F11 = -b * s + d * c;
        double det = F00 * F11 - F01 * F10;
        // F^-T = (1/det)·[[F11, -F10], [-F01, F00]]
        double M00 = F11 / det, M01 = -F10 / det, M10 = -F01 / det, M11 = F00 / det;
        return new double[] {M00 * gRef[0] + M01 * gRef[1], M10 * gRef[0] + M11 * gRef[1], M00 * gRef[2] + M01 * gRef[3], M10 * gRef[2] + M11 * gRef[3]};
    }

    /** The grain's turn against the reference grain at position i, degrees. */
    double turnDeg(int i) {
        if (grainTurnsDeg != null) return grainTurnsDeg[grain[i]];
        return grain2[i] ? grainTurnDeg : 0;
    }

    /**
     * A scan like a real thin crystalline magnet: three grains side by side (the reference grain on
     * the left holding the reference ROI 0:4,0:4, then grains turned by {@code turns[1]}, {@code turns[2]}),
     * disks from relMin to relMax of the direct beam with inner contrast (a gradient fixed to each
     * reflection and a rocking-curve-like band), a smooth diffuse halo, Poisson noise.
     */
    static CrystalSim realistic(int n, int size, double radius, double[] gRef, boolean hexagonal, double direct, double relFirst,
            double[] turns, double strainAmp, double rotAmpDeg) {
        CrystalSim sim = new CrystalSim(n, n, size, radius, 1.0, gRef, hexagonal, direct * relFirst, direct, 1.0, 0, strainAmp, rotAmpDeg);
        sim.grainTurnsDeg = turns;
        sim.grain = new int[n * n];
        for (int y = 0; y < n; y++) for (int x = 0; x < n; x++) {
            int g = Math.min(turns.length - 1, x * turns.length / n);
            sim.grain[y * n + x] = y < 4 && x < 4 ? 0 : g;
        }
        sim.gradientAmp = Double.parseDouble(System.getProperty("sim.gradient", "0.3"));
        sim.rockingAmp = Double.parseDouble(System.getProperty("sim.rocking", "0.3"));
        sim.halo = Double.parseDouble(System.getProperty("sim.halo", "4"));
        sim.haloSigma = 0.3 * size;
        sim.relMin = 0.003;
        sim.relMax = 0.1;
        sim.falloff = Double.parseDouble(System.getProperty("sim.falloff", "0.05"));
        return sim;
    }

    /** A reproducible number in [−1, 1) for reflection (h, k) and a salt. */
    static double hash(int h, int k, int salt) {
        long x = h * 0x9E3779B97F4A7C15L + k * 0xC2B2AE3D27D4EB4FL + salt * 0x165667B19E3779F9L;
        x ^= x >>> 31;
        x *= 0xBF58476D1CE4E5B9L;
        x ^= x >>> 29;
        return ((x >>> 11) * 0x1.0p-53) * 2 - 1;
    }

    /**
     * Inner contrast turns with the crystal (the default, as in real CBED: an in-plane turn of the
     * crystal about the beam turns its whole pattern, the contrast inside each disk included). False:
     * every reflection's contrast fixed in the detector frame whatever the grain's turn (the old,
     * unphysical simulation, whose unmodelled band then biases a turned grain against the reference).
     */
    boolean contrastTurnsWithCrystal = !Boolean.getBoolean("sim.contrastFixed");

    /** Relative inner contrast of disk (h, k) of frame i at detector offset (dx, dy) from its centre. */
    double contrast(int i, int h, int k, double dx, double dy) {
        if (!contrastTurnsWithCrystal) return contrast(h, k, dx, dy);
        double th = Math.toRadians(rotDeg[i] + turnDeg(i)), c = Math.cos(th), s = Math.sin(th);
        return contrast(h, k, c * dx + s * dy, -s * dx + c * dy); // the crystal-frame offset Rᵀ·d
    }

    /** Relative inner contrast of disk (h, k) at crystal-frame offset (dx, dy) from its centre. */
    double contrast(int h, int k, double dx, double dy) {
        if (gradientAmp == 0 && rockingAmp == 0) return 1;
        double r = disk.radius;
        double gx = gradientAmp * hash(h, k, 1), gy = gradientAmp * hash(h, k, 2);
        if (h == 0 && k == 0) gx = gy = 0; // the direct beam: symmetric contrast only
        double phi = Math.PI * hash(h, k, 3);
        double u = (dx * Math.cos(phi) + dy * Math.sin(phi)) / r;
        double band = Math.sin(0.5 * Math.PI * u);
        return 1 + (gx * dx + gy * dy) / r - rockingAmp * band * band;
    }

    /** Peak counts/px of disk (h, k): direct beam, else a structure-factor-like pattern times a Debye–Waller-like fall-off. */
    double amplitude(int h, int k, double gLen, double g0) {
        if (h == 0 && k == 0) return direct;
        double sf = hexagonal ? ((((h - k) % 3) + 3) % 3 == 0 ? 1.0 : 0.6) : (((h + k) & 1) == 0 ? 1.0 : 0.7);
        double a = amp1 * sf * Math.exp(-falloff * (Math.pow(gLen / g0, 2) - 1));
        if (relMax > 0) a = Math.max(relMin * direct, Math.min(relMax * direct, a));
        return a;
    }

    /** Expected counts of frame i into dest. */
    void expected(int i, double[] dest) {
        java.util.Arrays.fill(dest, background);
        if (halo > 0) {
            for (int r = 0; r < size; r++) for (int c = 0; c < size; c++) {
                double q = (Math.pow(c - ox[i], 2) + Math.pow(r - oy[i], 2)) / (2 * haloSigma * haloSigma);
                dest[r * size + c] += halo * Math.exp(-q);
            }
        }
        double[] g = basis(i);
        double g0 = Math.hypot(g[0], g[1]);
        int hm = (int) Math.ceil(size / Math.min(Math.hypot(g[0], g[1]), Math.hypot(g[2], g[3]))) + 1;
        int reach = disk.window() + 1;
        for (int h = -hm; h <= hm; h++) for (int k = -hm; k <= hm; k++) {
            double cx = ox[i] + h * g[0] + k * g[2], cy = oy[i] + h * g[1] + k * g[3];
            if (cx < -reach || cy < -reach || cx > size + reach || cy > size + reach) continue;
            double a = amplitude(h, k, Math.hypot(h * g[0] + k * g[2], h * g[1] + k * g[3]), g0);
            for (int r = Math.max(0, (int) (cy - reach)); r < Math.min(size, (int) (cy + reach) + 1); r++) {
                for (int c = Math.max(0, (int) (cx - reach)); c < Math.min(size, (int) (cx + reach) + 1); c++) {
                    dest[r * size + c] += a * disk.exact(Math.hypot(c - cx, r - cy)) * contrast(i, h, k, c - cx, r - cy);
                }
            }
        }
    }

    Harness.MemoryDataset sample(long seed) {
        int px = size * size;
        float[] data = new float[ny * nx * px];
        IntStream.range(0, ny * nx).parallel().forEach(i -> {
            double[] lam = new double[px];
            expected(i, lam);
            SplittableRandom rnd = new SplittableRandom(seed * 1000003L + i);
            for (int j = 0; j < px; j++) data[i * px + j] = poisson(rnd, lam[j]);
        });
        return new Harness.MemoryDataset(ny, nx, size, size, data, org.ltz4d.api.data.Calibration.none());
    }

    /** Poisson deviate: multiplication method below 30, Hörmann's PTRS transformed rejection above. */
    static int poisson(SplittableRandom r, double mu) {
        if (mu <= 0) return 0;
        if (mu < 30) {
            double l = Math.exp(-mu), p = 1;
            int k = 0;
            do { k++; p *= r.nextDouble(); } while (p > l);
            return k - 1;
        }
        double slam = Math.sqrt(mu), loglam = Math.log(mu);
        double b = 0.931 + 2.53 * slam, a = -0.059 + 0.02483 * b, invalpha = 1.1239 + 1.1328 / (b - 3.4), vr = 0.9277 - 3.6224 / (b - 2);
        while (true) {
            double u = r.nextDouble() - 0.5, v = r.nextDouble();
            double us = 0.5 - Math.abs(u);
            long k = (long) Math.floor((2 * a / us + b) * u + mu + 0.43);
            if (us >= 0.07 && v <= vr) return (int) k;
            if (k < 0 || (us < 0.013 && v > us)) continue;
            if (Math.log(v) + Math.log(invalpha) - Math.log(a / (us * us) + b) <= -mu + k * loglam - logFactorial(k)) return (int) k;
        }
    }

    static double logFactorial(long k) {
        if (k < 10) {
            double f = 1;
            for (int i = 2; i <= k; i++) f *= i;
            return Math.log(f);
        }
        double x = k + 1;
        return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x * x * x);
    }
}
