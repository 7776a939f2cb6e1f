package org.ltz4d.crystalline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ltz4d.io.testing.GuardedDataset;
import org.ltz4d.io.testing.Shipping;
import org.junit.jupiter.api.io.TempDir;
import org.ltz4d.api.analysis.BufferSpec;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.FitContext;
import org.ltz4d.api.analysis.FitSetup;
import org.ltz4d.api.analysis.FrameProcessor;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.data.DatasetReader;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.engine.Cancellation;
import org.ltz4d.api.engine.FitBlock;
import org.ltz4d.api.engine.FitPass;
import org.ltz4d.api.engine.ProgressListener;
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.api.error.Ltz4dException;
import org.ltz4d.api.error.ShapeMismatchException;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.engine.LocalEngine;

/**
 * Issue 14 item 1 for the {@code disks} fitter: its set-up (mean pattern, direct-beam radius, probe template, seed
 * lattice, the {@code --disk-model auto} decision, the contrast signature) is computed once, by {@link DiskFitter#setup}
 * on the driver, and shipped as plain numbers (Java serialisation, as Spark ships it) to workers that only fit: they read
 * each of their frames once and nothing else, and give bit for bit the per-position values of a local run.
 */
class ShippedDiskSetupTest {
    @TempDir
    Path dir;

    /** The realistic two-grain CBED scan of {@link SameMapsAnyThreadsTest}: 12×12 positions of 128² px, grains at 0° and 17°. */
    static Harness.MemoryDataset twoGrains;

    @BeforeAll
    static void simulate() {
        double[] a = LatticeStrainTest.polar(24, 10), b = LatticeStrainTest.polar(24, 70);
        twoGrains = CrystalSim.realistic(12, 128, 5.0, new double[] {a[0], a[1], b[0], b[1]}, true, 4000, 0.01, new double[] {0, 17}, 3e-3, 0.4)
                .sample(5);
    }

    /** Serves one dataset for files ending in {@code .sim}. */
    record Reader(Dataset ds) implements DatasetReader {
        @Override public String name() { return "sim"; }
        @Override public List<String> suffixes() { return List.of("sim"); }
        @Override public double probe(Path file, ByteBuffer head) { return file.toString().endsWith(".sim") ? 0.9 : 0; }
        @Override public Dataset open(Path file, Parameters options) { return ds; }
    }

    /** The {@code disks} fitter, counting its set-ups. */
    static final class CountingDiskFitter extends DiskFitter {
        final AtomicInteger setups = new AtomicInteger();

        @Override
        public FitSetup setup(FitContext context) {
            setups.incrementAndGet();
            return super.setup(context);
        }
    }

    /** A fit context of a run, with the set-up {@code setup} (as the engine gives it; NONE: none given). */
    static FitContext context(Dataset ds, Parameters p, FitSetup setup) {
        Harness.Ctx slots = new Harness.Ctx(ds, p, new DiskFitter().buffers(null));
        return new FitContext() {
            @Override public Dataset dataset() { return ds; }
            @Override public Calibration calibration() { return ds.calibration(); }
            @Override public Parameters parameters() { return p; }
            @Override public FitSetup setup() { return setup; }
            @Override public int slot(String name) { return slots.slot(name); }
            @Override public OptionalInt upstreamSlot(String name) { return OptionalInt.empty(); }
            @Override public Optional<DataMap> previous(String name) { return Optional.empty(); }
        };
    }

    /**
     * Driver: a local run (the reference, its set-up computed by the engine) and the set-up alone; worker: a second
     * engine that fits the scan in two ranges of whole groups from the shipped set-up, reading only its frames.
     */
    private void shipsAndFitsTheSame(Map<String, String> options, boolean gradient) throws Exception {
        Path file = Files.createFile(dir.resolve("two-grain.sim"));
        Parameters p = Parameters.of(options);
        long frames = twoGrains.frameCount();

        GuardedDataset driverData = new GuardedDataset(twoGrains);
        LocalEngine driver = new LocalEngine();
        driver.register(new Reader(driverData), "test.reader", "1.0.0");
        driver.register(new DiskFitter(), "org.ltz4d.crystalline", "1.0.0");
        MapSet local = driver.fit(driverData, List.of(DiskFitter.NAME), p, ProgressListener.NONE, new Cancellation());
        int failed = 0;
        for (float v : local.require(DiskFitter.MASK).toArray()) failed += v != 0 ? 1 : 0;
        assertEquals(0, failed, "failed positions of the local run (the maps compared are real fits)");

        long before = driverData.framesRead();
        FitSetup setup = new DiskFitter().setup(context(driverData, p, FitSetup.NONE));
        long sampled = driverData.framesRead() - before;
        assertTrue(sampled >= 64, "the set-up samples frames: " + sampled);
        assertEquals(gradient, setup.flag(DiskFitter.K_GRADIENT), "disk model of the set-up");
        assertEquals(gradient, setup.has(ContrastLabels.K_ALPHA0), "contrast signature with the gradient model only");
        FitSetup shipped = Shipping.ship(setup);
        assertNotSame(setup, shipped);
        assertEquals(setup, shipped);

        GuardedDataset workerData = new GuardedDataset(twoGrains).serve(0, 0);
        LocalEngine worker = new LocalEngine();
        CountingDiskFitter workerFitter = new CountingDiskFitter();
        worker.register(new Reader(workerData), "test.reader", "1.0.0");
        worker.register(workerFitter, "org.ltz4d.crystalline", "1.0.0");
        FitPass pass = new FitPass(file, p, List.of(DiskFitter.NAME), MapSet.empty(), twoGrains.navShape(), 8, Map.of(DiskFitter.NAME, shipped));
        List<FitBlock> blocks = new ArrayList<>();
        for (long[] range : new long[][] {{72, 144}, {0, 72}}) { // whole groups of 8 frames, the second half first
            workerData.serve(range[0], range[1]);
            blocks.add(worker.fitBlock(pass, range[0], (int) (range[1] - range[0]), new Cancellation()));
        }
        assertEquals(0, workerFitter.setups.get(), "the worker never computes the set-up");
        assertEquals(frames, workerData.framesRead(), "the worker reads each of its frames once, no set-up samples");

        List<BufferSpec> specs = new DiskFitter().buffers(null);
        int slot = 0;
        for (BufferSpec b : specs) {
            if (b.kind() != BufferSpec.Kind.NAV) continue;
            float[] got = new float[(int) frames];
            for (FitBlock blk : blocks) for (int i = 0; i < blk.count(); i++) got[(int) blk.first() + i] = blk.nav()[i * blk.width() + slot];
            assertArrayEquals(local.require(b.name()).toArray(), got, b.name() + ": the worker's values are the local run's, bit for bit");
            slot++;
        }
        // and both are what processors built straight from the set-up object (never encoded) give, group by group
        float[] direct = fitDirect(DiskFitter.createSetup(twoGrains, p), twoGrains, 8);
        slot = 0;
        for (BufferSpec b : specs) {
            if (b.kind() != BufferSpec.Kind.NAV) continue;
            float[] want = new float[(int) frames];
            for (int i = 0; i < frames; i++) want[i] = direct[i * NAV + slot];
            assertArrayEquals(want, local.require(b.name()).toArray(), b.name() + ": the decoded set-up fits as the computed one, bit for bit");
            slot++;
        }
        float[] detection = local.require(DiskFitter.THRESHOLD).toArray();
        for (FitBlock blk : blocks) {
            double[] part = blk.partials().get(0);
            for (int i = 0; i < part.length; i++) assertEquals(detection[i], (float) part[i], DiskFitter.THRESHOLD + "[" + i + "]");
        }
        assertEquals(gradient ? 1 : 0, detection[2], "disk model recorded");

        // the check can fail: a pass without set-up has the worker sample the scan again, outside its frames
        workerData.serve(0, 72);
        FitPass bare = new FitPass(file, p, List.of(DiskFitter.NAME), MapSet.empty(), twoGrains.navShape(), 8);
        assertThrows(RuntimeException.class, () -> worker.fitBlock(bare, 0, 72, new Cancellation()));
        assertTrue(workerFitter.setups.get() > 0);
    }

    /** NAV values per frame of {@code disks}. */
    static final int NAV = 11;

    /** Per-frame NAV values ({@link #NAV} per frame) of fresh processors of {@code s} per group of {@code group} frames, as the engine runs them. */
    static float[] fitDirect(DiskFitter.Setup s, Harness.MemoryDataset ds, int group) {
        int frames = (int) ds.frameCount(), px = ds.framePixels();
        int[] slots = new int[12];
        for (int i = 0; i < NAV; i++) slots[i] = i;
        slots[11] = DiskFitter.THRESHOLD_BUFFER;
        Harness.Out out = new Harness.Out(frames * NAV, new DiskFitter().buffers(null));
        Harness.Fr fr = new Harness.Fr();
        fr.data = ds.data;
        fr.h = ds.rows;
        fr.w = ds.cols;
        DiskFitter.Processor proc = null;
        for (int i = 0; i < frames; i++) {
            if (i % group == 0) proc = new DiskFitter.Processor(s, slots);
            fr.index = i;
            fr.sy = i / ds.nx;
            fr.sx = i % ds.nx;
            fr.off = i * px;
            out.base = i * NAV;
            proc.process(fr, out);
        }
        return out.values;
    }

    @Test
    void autoWithTheGradientModelChosenFitsTheSameFromTheShippedSetUp() throws Exception {
        shipsAndFitsTheSame(Map.of("threads", "2"), true);
    }

    @Test
    void theUniformModelFitsTheSameFromTheShippedSetUp() throws Exception {
        shipsAndFitsTheSame(Map.of("threads", "2", DiskFitter.P_MODEL, "uniform"), false);
    }

    @Test
    void aProbeFileIsReadAtSetUpOnly() throws Exception {
        int size = 64;
        DiskModel m = new DiskModel(5.0, 1.0);
        float[] vacuum = new float[size * size];
        for (int r = 0; r < size; r++) for (int c = 0; c < size; c++) vacuum[r * size + c] = (float) (1000 * m.exact(Math.hypot(c - 30.3, r - 33.6)) + 1);
        Path npy = ProbeTemplateTest.writeNpy(dir.resolve("vacuum.npy"), vacuum, size, size);
        CrystalSim sim = new CrystalSim(4, 4, 128, 5.0, 1.0, new double[] {24, 0, 12, 20.78}, true, 400, 3000, 2, 0, 1e-3, 0.1);
        Harness.MemoryDataset ds = sim.sample(3);
        Parameters p = Parameters.of(Map.of(DiskFitter.P_PROBE, npy.toString()));
        MapSet before = Harness.run(new DiskFitter(), ds, p); // the set-up computed by the processor's own context, as before

        FitSetup setup = new DiskFitter().setup(context(ds, p, FitSetup.NONE));
        assertEquals(4L * 128 * 128, setup.floats(DiskFitter.K_PROBE).length * 4L, "the probe's template travels in the set-up");
        FitSetup shipped = Shipping.ship(setup);
        Files.delete(npy);

        GuardedDataset workerData = new GuardedDataset(ds).serve(0, 0);
        DiskFitter worker = new DiskFitter();
        FitContext ctx = context(workerData, p, shipped);
        FrameProcessor proc = worker.processor(ctx);
        List<BufferSpec> specs = worker.buffers(ctx);
        Harness.Out out = new Harness.Out(16 * 11, specs);
        Harness.Fr fr = new Harness.Fr();
        fr.data = ds.data;
        fr.h = fr.w = 128;
        for (int i = 0; i < 16; i++) {
            fr.index = i;
            fr.sy = i / 4;
            fr.sx = i % 4;
            fr.off = i * 128 * 128;
            out.base = i * 11;
            proc.process(fr, out);
        }
        assertEquals(0, workerData.framesRead());
        int slot = 0;
        for (BufferSpec b : specs) {
            if (b.kind() != BufferSpec.Kind.NAV) continue;
            float[] got = new float[16];
            for (int i = 0; i < 16; i++) got[i] = out.values[i * 11 + slot];
            assertArrayEquals(before.require(b.name()).toArray(), got, b.name());
            slot++;
        }
        assertEquals(0f, before.require(DiskFitter.MASK).get(15));
        // without the shipped set-up the deleted probe is missed, by name
        GuardedDataset all = new GuardedDataset(ds);
        InvalidParameterException e = assertThrows(InvalidParameterException.class, () -> new DiskFitter().processor(context(all, p, FitSetup.NONE)));
        assertTrue(e.getMessage().contains(DiskFitter.P_PROBE), e.getMessage());
    }

    @Test
    void framesAreReadInSetUpOnly() throws Exception {
        GuardedDataset data = new GuardedDataset(twoGrains);
        Parameters p = Parameters.of(Map.of(DiskFitter.P_SAMPLE, "20"));
        DiskFitter f = new DiskFitter();
        FitSetup setup = f.setup(context(data, p, FitSetup.NONE));
        // 20 for the mean pattern, 8 for the disk-model decision, 20 for the contrast signature of the gradient model
        assertTrue(setup.flag(DiskFitter.K_GRADIENT));
        assertEquals(20 + DiskFitter.AUTO_FRAMES + 20, data.framesRead(), "frames the set-up samples");
        data.serve(0, 0); // from here on any read throws
        FitContext run = context(data, p, setup);
        f.buffers(run);
        FrameProcessor a = f.processor(run), b = f.processor(run);
        assertNotSame(a, b);
        assertTrue(f.attributes(run).isEmpty());
        assertEquals(20 + DiskFitter.AUTO_FRAMES + 20, data.framesRead(), "nothing read after the set-up");
        // one decoded set-up per set-up object: its template (FFT spectrum) is shared by the run's processors
        assertSame(f.diskSetup(run), f.diskSetup(context(data, p, setup)));
        assertSame(f.diskSetup(run), new DiskFitter().diskSetup(run), "kept with the set-up object (FitSetup.decoded)");
        assertNotSame(f.diskSetup(run), f.diskSetup(context(data, p, Shipping.ship(setup))), "another set-up object is decoded anew");
    }

    /** The decoded set-up holds the very numbers, and its rebuilt tables are bit for bit the original's. */
    @Test
    void aDecodedSetUpIsTheSameBitForBit() {
        DiskFitter.Setup s = DiskFitter.createSetup(twoGrains, Parameters.of(Map.of(DiskFitter.P_SAMPLE, "24", DiskFitter.P_REFLECTIONS, "circle")));
        assertTrue(s.gradient());
        assertNotNull(s.labels());
        FitSetup fs = s.toFitSetup();
        DiskFitter.Setup d = DiskFitter.Setup.from(fs, twoGrains.source(), twoGrains.sigShape());
        assertArrayEquals(s.template().spectrum, d.template().spectrum, "template spectrum");
        assertArrayEquals(s.template().model.d, d.template().model.d, "disk model table");
        assertArrayEquals(s.seed(), d.seed(), "seed lattice");
        assertEquals(s.minSpacing(), d.minSpacing());
        assertEquals(s.minRelative(), d.minRelative()); // NaN: no relative cut
        assertEquals(s.minSigma(), d.minSigma());
        assertEquals(s.maxDisks(), d.maxDisks());
        assertEquals(s.noiseFactor(), d.noiseFactor());
        assertTrue(s.circle() > 0);
        assertEquals(s.circle(), d.circle());
        assertEquals(s.navCols(), d.navCols());
        assertEquals(s.labels().patterns, d.labels().patterns);
        assertEquals(fs, d.toFitSetup(), "encoding the decoded set-up gives the same numbers (contrast signature included)");
        assertNull(d.template().probe, "a synthetic template travels as its radius and rim");
        // what travels: 152 bytes of scalars and seed, 2,920 of contrast signature (11×11 reflections × 3 + 2)
        assertEquals(152 + 8 * (3 * 121 + 2), fs.bytes());

        // a set-up of other frames, or of another layout, is refused by name
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class, () -> DiskFitter.Setup.from(fs, Path.of("other.mib"), Shape.of(256, 256)));
        assertTrue(e.getMessage().contains("other.mib") && e.getMessage().contains("frame shape") && e.getMessage().contains("256×256"), e.getMessage());
        FitSetup.Builder other = FitSetup.builder();
        for (String k : fs.names()) if (!k.equals(DiskFitter.K_LAYOUT)) other.put(k, fs.values(k));
        Ltz4dException l = assertThrows(Ltz4dException.class, () -> DiskFitter.Setup.from(other.build(), twoGrains.source(), twoGrains.sigShape()));
        assertTrue(l.getMessage().contains("layout"), l.getMessage());
        FitSetup none = FitSetup.builder().put(DiskFitter.K_LAYOUT, DiskFitter.SETUP_LAYOUT).build();
        Ltz4dException missing = assertThrows(Ltz4dException.class, () -> DiskFitter.Setup.from(none, twoGrains.source(), twoGrains.sigShape()));
        assertTrue(missing.getMessage().contains(DiskFitter.K_FRAME), missing.getMessage());
        assertFalse(fs.has(DiskFitter.K_PROBE));
    }
}
