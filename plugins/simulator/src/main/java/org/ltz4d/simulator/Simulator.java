package org.ltz4d.simulator;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.error.Ltz4dException;
import org.ltz4d.api.units.Electron;

/**
 * Simulates LA-Ltz-4D-STEM amorphous-ring datasets with the conventions of DESIGN.md §2–4:
 * <ul>
 * <li>deflection θ = (e·λ·t/h)·(B_y, −B_x) (B along +x deflects the pattern along −y), in px
 * θ·1000/pixel_mrad; it moves the whole pattern (ring, background and direct beam);</li>
 * <li>ring points q = D·(I+ε)^−T·u·ρ^(1/3), |u| = r₀: Q = (M·Mᵀ)⁻¹ with
 * M = r₀·ρ^(1/3)·D·(I+ε)^−T (compression enlarges the ring along its axis; density scales
 * the radius as ρ^(1/3));</li>
 * <li>descan shifts ring, background and beam identically, and the vacuum scan (the direct beam
 * only, the whole dose) has the same descan;</li>
 * <li>counts are Poisson draws from {@link PatternParams#intensity}; frame f = y·scanX + x draws
 * from its own generator seeded by (seed, f), so every way of producing a frame gives the same
 * counts.</li>
 * </ul>
 */
public final class Simulator {

    public static final String DATA_FILE = "data.npy";
    public static final String VACUUM_FILE = "vacuum.npy";
    public static final String SPEC_FILE = "simulation.json";
    public static final String TRUTH_INDEX_FILE = "truth.json";

    /** Names of the truth maps; each is written as {@code truth_NAME.npy} (float32, scan shape). */
    public static final List<String> TRUTH_MAPS = List.of("Bx_T", "By_T", "exx", "eyy", "exy", "density_relative",
            "ring_center_x_px", "ring_center_y_px", "beam_center_x_px", "beam_center_y_px", "vacuum_center_x_px",
            "vacuum_center_y_px", "q11_px-2", "q12_px-2", "q22_px-2", "ring_a_px", "ring_b_px", "ring_angle_deg",
            "applied_exx", "applied_eyy", "applied_exy", "density_field", "sample");

    private Simulator() {
    }

    /** Lorentz deflection in detector pixels per tesla of in-plane B: e·λ·t/h / (pixel angle). */
    public static double deflectionPxPerTesla(SimulationSpec s) {
        double radPerTesla = Electron.E * Electron.wavelengthMetres(s.beamKv()) * s.thicknessNm() * 1e-9 / Electron.H;
        return radPerTesla * 1e3 / s.pixelMrad();
    }

    /** The known answer at scan position (row y, column x). */
    public static FrameTruth truth(SimulationSpec s, int y, int x) {
        int ny = s.scanY(), nx = s.scanX();
        if (y < 0 || y >= ny || x < 0 || x >= nx) throw new IndexOutOfBoundsException("position (" + y + ", " + x + ") outside " + ny + "×" + nx);
        double[] v = new double[3];
        s.descan().at(y, x, ny, nx, v);
        double vx = s.patternCenterX() + v[0], vy = s.patternCenterY() + v[1];
        int sample = s.sampleClass(y, x);
        s.magneticField().at(y, x, ny, nx, v);
        double bx = sample == 0 ? 0 : v[0], by = sample == 0 ? 0 : v[1];
        double k = deflectionPxPerTesla(s);
        double cx = vx + k * by, cy = vy - k * bx;
        s.strainField().at(y, x, ny, nx, v);
        double exx = v[0], eyy = v[1], exy = v[2];
        double rho = s.densityField().at(y, x, ny, nx);
        if (!(rho > 0)) throw new IllegalArgumentException("density field must be positive, got " + rho + " at (" + y + ", " + x + ")");
        // (I+ε)^-1 (symmetric)
        double a11 = 1 + exx, a12 = exy, a22 = 1 + eyy;
        double det = a11 * a22 - a12 * a12;
        if (!(det > 0) || a11 <= 0) throw new IllegalArgumentException("strain field gives a non-positive I+ε at (" + y + ", " + x + ")");
        double i11 = a22 / det, i12 = -a12 / det, i22 = a11 / det;
        double[] d = s.distortionMatrix();
        double sc = s.ringRadiusPx() * Math.cbrt(rho);
        // M = sc · D · (I+ε)^-1
        double[] m = {sc * (d[0] * i11 + d[1] * i12), sc * (d[0] * i12 + d[1] * i22),
                sc * (d[1] * i11 + d[2] * i12), sc * (d[1] * i12 + d[2] * i22)};
        double[] q = formOf(m);
        double f = Math.cbrt(rho);
        double mexx = a11 / f - 1, meyy = a22 / f - 1, mexy = a12 / f;
        double dens = rho / Math.pow(det, 1.5) - 1;
        double width = s.ringWidthPx() / s.ringRadiusPx(), decay = s.backgroundDecayPx() / s.ringRadiusPx();
        boolean glass = s.pattern() == SimulationSpec.Pattern.GLASS;
        PatternParams pattern = glass
                ? new PatternParams(cx, cy, q[0], q[1], q[2], width, 0, 0, 0, decay, cx, cy, s.beamRadiusPx(), s.beamEdgePx(), 0)
                : new PatternParams(cx, cy, q[0], q[1], q[2], width, s.amplitude, s.pedestal, s.background, decay, cx, cy,
                        s.beamRadiusPx(), s.beamEdgePx(), s.beamPeak);
        PatternParams vacuum = new PatternParams(vx, vy, q[0], q[1], q[2], width, 0, 0, 0, decay, vx, vy,
                s.beamRadiusPx(), s.beamEdgePx(), s.vacuumBeamPeak);
        GlassPattern gp = null, gv = null;
        if (glass) {
            double[] a = s.glassAmplitudes(sample);
            double[] dInv = s.distortionInverse();
            gp = s.onDetector(new GlassPattern(s.glass, cx, cy, dInv, new double[] {mexx, meyy, mexy}, a[0], a[1], a[2], a[3],
                    s.beamRadiusPx(), s.beamEdgePx()));
            gv = s.onDetector(new GlassPattern(s.glass, vx, vy, dInv, new double[3], 0, 0, 0, s.vacuumBeamPeak, s.beamRadiusPx(),
                    s.beamEdgePx()));
        }
        return new FrameTruth(y, x, bx, by, cx, cy, cx, cy, vx, vy, q[0], q[1], q[2], mexx, meyy, mexy, exx, eyy, exy,
                rho, dens, pattern, vacuum, gp, gv, sample);
    }

    /** Whether frames of this spec take the ring model's row-by-row path (no detector effects). */
    private static boolean rowPath(SimulationSpec s) {
        return s.pattern() == SimulationSpec.Pattern.RING && s.detectorEffects().isNone();
    }

    /**
     * Noise-free expected counts at (y, x) — the sample pattern, or the vacuum one — with the
     * detector's effects (beam stop, point spread, gain, hot and dead pixels; not saturation, which
     * acts on counts), row-major into {@code dest[0 .. detY·detX)}; {@code scratch} holds at least
     * detY·detX values (used for the point spread).
     */
    public static void expectedCounts(SimulationSpec s, int y, int x, boolean vacuum, double[] dest, double[] scratch) {
        render(s, truth(s, y, x), vacuum, dest, scratch);
    }

    /** {@link #expectedCounts(SimulationSpec, int, int, boolean, double[], double[])} of the sample pattern. */
    public static double[] expectedCounts(SimulationSpec s, int y, int x) {
        int px = s.detX() * s.detY();
        double[] out = new double[px];
        expectedCounts(s, y, x, false, out, new double[px]);
        return out;
    }

    static void render(SimulationSpec s, FrameTruth t, boolean vacuum, double[] dest, double[] scratch) {
        int rows = s.detY(), cols = s.detX();
        if (s.pattern() == SimulationSpec.Pattern.GLASS) {
            (vacuum ? t.glassVacuum() : t.glass()).render(rows, cols, dest, 0);
        } else {
            (vacuum ? t.vacuum() : t.pattern()).render(rows, cols, (r, vals) -> System.arraycopy(vals, 0, dest, r * cols, cols),
                    new double[cols]);
        }
        s.detectorEffects().apply(dest, scratch);
    }

    /** Noise-free expected counts of the sample pattern at (y, x), row-major into dest[0..] (detector effects included). */
    public static void frame(SimulationSpec s, int y, int x, float[] dest) {
        frame(s, y, x, false, dest);
    }

    /** Noise-free expected counts of the vacuum pattern at (y, x). */
    public static void vacuumFrame(SimulationSpec s, int y, int x, float[] dest) {
        frame(s, y, x, true, dest);
    }

    private static void frame(SimulationSpec s, int y, int x, boolean vacuum, float[] dest) {
        FrameTruth t = truth(s, y, x);
        if (rowPath(s)) {
            (vacuum ? t.vacuum() : t.pattern()).render(s.detY(), s.detX(), dest, 0);
            return;
        }
        int px = s.detX() * s.detY();
        double[] mu = new double[px];
        render(s, t, vacuum, mu, new double[px]);
        for (int i = 0; i < px; i++) dest[i] = (float) mu[i];
    }

    /** Poisson counts of the sample pattern at (y, x) (clipped at 65535 for uint16 output). */
    public static void sample(SimulationSpec s, int y, int x, float[] dest, int offset) {
        sampleInto(s, y, x, false, dest, offset, new Scratch(s));
    }

    /** Poisson counts of the vacuum pattern at (y, x). */
    public static void sampleVacuum(SimulationSpec s, int y, int x, float[] dest, int offset) {
        sampleInto(s, y, x, true, dest, offset, new Scratch(s));
    }

    /** Per-thread buffers of the sampling path (a row for the ring model, whole frames otherwise). */
    static final class Scratch {
        final double[] row;
        final double[] frame;
        final double[] tmp;

        Scratch(SimulationSpec s) {
            row = new double[s.detX()];
            boolean full = !rowPath(s);
            frame = full ? new double[s.detX() * s.detY()] : null;
            tmp = full ? new double[s.detX() * s.detY()] : null;
        }
    }

    /** The sample scan as an on-demand {@link Dataset} (no file, nothing held in memory). */
    public static Dataset dataset(SimulationSpec s) {
        return new SimulatedDataset(s, false);
    }

    /** The vacuum scan as an on-demand {@link Dataset}. */
    public static Dataset vacuumDataset(SimulationSpec s) {
        return new SimulatedDataset(s, true);
    }

    static SplittableRandom random(SimulationSpec s, long frame, boolean vacuum) {
        long z = s.seed() * 0x9E3779B97F4A7C15L + (2 * frame + (vacuum ? 1 : 0)) * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return new SplittableRandom(z ^ (z >>> 31));
    }

    static void sampleInto(SimulationSpec s, int y, int x, boolean vacuum, float[] dest, int offset, Scratch scratch) {
        FrameTruth t = truth(s, y, x);
        SplittableRandom r = random(s, (long) y * s.scanX() + x, vacuum);
        double sat = s.saturationCounts();
        long limit = s.output() == SimulationSpec.Output.UINT16 ? (long) Math.min(65535, sat)
                : Double.isInfinite(sat) ? Long.MAX_VALUE : (long) sat;
        int cols = s.detX();
        if (rowPath(s)) {
            (vacuum ? t.vacuum() : t.pattern()).render(s.detY(), cols, (rr, vals) -> {
                int o = offset + rr * cols;
                for (int c = 0; c < cols; c++) {
                    long n = Poisson.sample(r, vals[c]);
                    dest[o + c] = n > limit ? (float) limit : (float) n;
                }
            }, scratch.row);
            return;
        }
        double[] mu = scratch.frame;
        render(s, t, vacuum, mu, scratch.tmp);
        int px = cols * s.detY();
        for (int i = 0; i < px; i++) {
            long n = Poisson.sample(r, mu[i]);
            dest[offset + i] = n > limit ? (float) limit : (float) n;
        }
    }

    /** Ground-truth maps (scan shape, row-major), keyed by the names of {@link #TRUTH_MAPS}. */
    public static Map<String, float[]> truthMaps(SimulationSpec s) {
        int ny = s.scanY(), nx = s.scanX();
        Map<String, float[]> m = new LinkedHashMap<>();
        for (String n : TRUTH_MAPS) m.put(n, new float[ny * nx]);
        for (int y = 0; y < ny; y++) {
            for (int x = 0; x < nx; x++) {
                FrameTruth t = truth(s, y, x);
                int i = y * nx + x;
                double[] e = ellipseOf(t.q11(), t.q12(), t.q22());
                double[] vals = {t.bx(), t.by(), t.exx(), t.eyy(), t.exy(), t.densityRelative(), t.ringCenterX(),
                        t.ringCenterY(), t.beamCenterX(), t.beamCenterY(), t.vacuumCenterX(), t.vacuumCenterY(), t.q11(),
                        t.q12(), t.q22(), e[0], e[1], e[2], t.appliedExx(), t.appliedEyy(), t.appliedExy(), t.density(),
                        t.sample()};
                int k = 0;
                for (float[] arr : m.values()) arr[i] = (float) vals[k++];
            }
        }
        return m;
    }

    /** {@link #write(SimulationSpec, Path, LongConsumer)} without progress. */
    public static void write(SimulationSpec s, Path dir) {
        write(s, dir, n -> { });
    }

    /**
     * Writes {@code data.npy} and {@code vacuum.npy} (shape (scan_y, scan_x, det_y, det_x),
     * little-endian uint16 or float32, NPY v1.0), {@code truth_*.npy} (float32 maps of the scan's
     * shape, see {@link #TRUTH_MAPS}), {@code truth.json} (their units) and
     * {@code simulation.json} (every parameter and the calibration) into {@code dir}. Streams
     * blocks of frames from all cores, each block written at its place in the file; memory use is
     * a few MB per core whatever the scan's size. Each file is written under a temporary name and
     * moved into place. {@code progress} receives the number of scan positions done (from worker
     * threads).
     */
    public static void write(SimulationSpec s, Path dir, LongConsumer progress) {
        try {
            Files.createDirectories(dir);
            writeStacks(s, dir, progress);
            Map<String, float[]> truth = truthMaps(s);
            Map<String, Object> index = new LinkedHashMap<>();
            for (Map.Entry<String, float[]> e : truth.entrySet()) {
                String file = "truth_" + e.getKey() + ".npy";
                Path tmp = dir.resolve(file + ".part");
                Npy.writeFloat32(tmp, e.getValue(), s.scanY(), s.scanX());
                Files.move(tmp, dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
                index.put(file, unitOf(e.getKey()));
            }
            writeText(dir.resolve(TRUTH_INDEX_FILE), Json.write(Map.of("maps", index, "shape", new int[] {s.scanY(), s.scanX()})));
            Map<String, Object> all = new LinkedHashMap<>(s.describe());
            all.put("files", s.writeVacuum() ? Map.of("data", DATA_FILE, "vacuum", VACUUM_FILE, "truth", TRUTH_INDEX_FILE)
                    : Map.of("data", DATA_FILE, "truth", TRUTH_INDEX_FILE));
            writeText(dir.resolve(SPEC_FILE), Json.write(all));
        } catch (IOException e) {
            throw new Ltz4dException("cannot write the simulation into " + dir + ": " + e.getMessage(), e);
        }
    }

    private static String unitOf(String name) {
        if (name.endsWith("_T")) return "T";
        if (name.endsWith("_px")) return "px";
        if (name.endsWith("_px-2")) return "px^-2";
        if (name.endsWith("_deg")) return "deg";
        return "1";
    }

    private static void writeText(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".part");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void writeStacks(SimulationSpec s, Path dir, LongConsumer progress) throws IOException {
        int rows = s.detY(), cols = s.detX(), px = rows * cols;
        long frames = s.frameCount();
        boolean u16 = s.output() == SimulationSpec.Output.UINT16;
        int elem = u16 ? 2 : 4;
        byte[] header = Npy.header(u16 ? "<u2" : "<f4", s.scanY(), s.scanX(), rows, cols);
        int block = (int) Math.max(1, Math.min(64, (4L << 20) / ((long) px * elem)));
        long blocks = (frames + block - 1) / block;
        Path dataTmp = dir.resolve(DATA_FILE + ".part"), vacTmp = dir.resolve(VACUUM_FILE + ".part");
        boolean withVacuum = s.writeVacuum();
        try (FileChannel data = open(dataTmp); FileChannel vac = withVacuum ? open(vacTmp) : null) {
            data.write(ByteBuffer.wrap(header), 0);
            if (withVacuum) vac.write(ByteBuffer.wrap(header), 0);
            AtomicLong next = new AtomicLong();
            AtomicLong done = new AtomicLong();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            int nThreads = (int) Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), blocks));
            List<Thread> threads = new ArrayList<>();
            AtomicInteger names = new AtomicInteger();
            for (int t = 0; t < nThreads; t++) {
                Thread th = new Thread(() -> {
                    ByteBuffer buf = ByteBuffer.allocate(block * px * elem).order(ByteOrder.LITTLE_ENDIAN);
                    float[] frame = new float[px];
                    Scratch row = new Scratch(s);
                    try {
                        for (long b; failure.get() == null && (b = next.getAndIncrement()) < blocks; ) {
                            long first = b * block;
                            int n = (int) Math.min(block, frames - first);
                            for (int pass = 0; pass < (withVacuum ? 2 : 1); pass++) {
                                boolean vacuum = pass == 1;
                                buf.clear();
                                for (int i = 0; i < n; i++) {
                                    long f = first + i;
                                    sampleInto(s, (int) (f / s.scanX()), (int) (f % s.scanX()), vacuum, frame, 0, row);
                                    if (u16) for (int p = 0; p < px; p++) buf.putShort((short) (int) frame[p]);
                                    else for (int p = 0; p < px; p++) buf.putFloat(frame[p]);
                                }
                                buf.flip();
                                long pos = header.length + first * px * elem;
                                FileChannel ch = vacuum ? vac : data;
                                while (buf.hasRemaining()) pos += ch.write(buf, pos);
                            }
                            progress.accept(done.addAndGet(n));
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }, "ltz4d-simulate-" + names.incrementAndGet());
                threads.add(th);
                th.start();
            }
            for (Thread th : threads) {
                try {
                    th.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failure.compareAndSet(null, e);
                }
            }
            Throwable f = failure.get();
            if (f instanceof IOException io) throw io;
            if (f instanceof RuntimeException re) throw re;
            if (f != null) throw new Ltz4dException("simulation failed: " + f, f);
        }
        Files.move(dataTmp, dir.resolve(DATA_FILE), StandardCopyOption.REPLACE_EXISTING);
        if (withVacuum) Files.move(vacTmp, dir.resolve(VACUUM_FILE), StandardCopyOption.REPLACE_EXISTING);
    }

    private static FileChannel open(Path p) throws IOException {
        return FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    /** Q = (M·Mᵀ)⁻¹ as {q11, q12, q22} for M row-major {m11, m12, m21, m22}. */
    public static double[] formOf(double[] m) {
        double s11 = m[0] * m[0] + m[1] * m[1];
        double s12 = m[0] * m[2] + m[1] * m[3];
        double s22 = m[2] * m[2] + m[3] * m[3];
        double det = s11 * s22 - s12 * s12;
        return new double[] {s22 / det, -s12 / det, s11 / det};
    }

    /**
     * Semi-axes and orientation of the ellipse pᵀQp = 1: {a, b, angleDeg} with a ≥ b and the
     * angle of a's axis from +x towards +y in [0, 180).
     */
    public static double[] ellipseOf(double q11, double q12, double q22) {
        double tr = q11 + q22, dd = Math.hypot(q11 - q22, 2 * q12);
        double lmin = (tr - dd) / 2, lmax = (tr + dd) / 2;
        // the eigenvector of the larger eigenvalue is at 0.5·atan2(2 q12, q11 − q22); a's axis is perpendicular
        double ang = Math.toDegrees(0.5 * Math.atan2(2 * q12, q11 - q22)) + 90;
        ang = ((ang % 180) + 180) % 180;
        return new double[] {1 / Math.sqrt(lmin), 1 / Math.sqrt(lmax), ang};
    }
}
