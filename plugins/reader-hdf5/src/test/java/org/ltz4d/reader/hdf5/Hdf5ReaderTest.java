package org.ltz4d.reader.hdf5;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.DatasetCreationOptions;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.api.WritableGroup;
import io.jhdf.api.dataset.ChunkedDataset;
import io.jhdf.api.dataset.ContiguousDataset;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltz4d.api.data.DType;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.error.CorruptFileException;
import org.ltz4d.api.error.InvalidInputException;
import org.ltz4d.api.error.ShapeMismatchException;
import org.ltz4d.api.error.TruncatedFileException;
import org.ltz4d.api.error.UnsupportedFormatException;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.io.testing.Expected;
import org.ltz4d.io.testing.Frames;

class Hdf5ReaderTest {
    private final Hdf5Reader reader = new Hdf5Reader();
    @TempDir
    Path tmp;

    private Dataset open(String rel, Parameters p) throws IOException {
        Path f = Expected.file(rel);
        assertEquals(1.0, reader.probe(f, head(f)), rel);
        return reader.open(f, p);
    }

    @Test
    void py4dstemEmd10() throws IOException {
        String rel = "emd_berkeley/py4DSTEM_size2x3x4x5.h5";
        Map<String, Object> e = Expected.values(rel);
        try (Dataset d = open(rel, Parameters.empty())) {
            Map<String, Object> data = Expected.object(e.get("data"));
            assertArrayEquals(Expected.ints(data.get("shape")), new int[] {d.navShape().dim(0), d.navShape().dim(1), d.sigShape().dim(0), d.sigShape().dim(1)});
            assertEquals(data.get("dtype"), d.dtype().numpyName());
            assertEquals(Expected.num(data.get("sum")), Frames.sum(d), 1e-2);
            List<?> first5 = (List<?>) e.get("first5");
            float[] f0 = Frames.frame(d, 0);
            for (int i = 0; i < 5; i++) assertEquals(Expected.num(first5.get(i)), f0[i], 1e-4);
            assertEquals("emd-1.0", d.metadata().get("hdf5.family"));
            assertEquals(Expected.num(e.get("R_pixel_size")), d.calibration().scanStepYNm().getAsDouble(), 1e-12);
            assertEquals(Expected.num(e.get("R_pixel_size")), d.calibration().scanStepXNm().getAsDouble(), 1e-12);
            // dim2 "Qx" in A^-1 (1/d): s per pixel
            assertEquals(Expected.num(e.get("Q_pixel_size")), d.calibration().requireInverseAngstromPerPixel("test"), 1e-12);
            assertEquals(DType.FLOAT32, d.dtype());
        }
    }

    @Test
    void prismaticEmd05PicksFirstDatacubeOrTheNamedOne() throws IOException {
        String rel = "emd_berkeley/Si100_4D.emd";
        Map<String, Object> e = Expected.values(rel);
        try (Dataset d = open(rel, Parameters.empty())) {
            assertEquals(Shape.of(11, 11), d.navShape());
            assertEquals(Shape.of(8, 8), d.sigShape());
            assertEquals("/" + e.get("main"), d.metadata().get("hdf5.dataset_path"));
            assertEquals(Expected.num(Expected.object(e.get("data")).get("sum")), Frames.sum(d), 1e-5);
            assertEquals("emd-0.x", d.metadata().get("hdf5.family"));
            // dim1/dim2 step 0.5 "[n_m]", dim3 step 0.18416207 "[n_m^-1]" = 0.018416207 1/Å (units as the file states them)
            assertEquals(0.5, d.calibration().scanStepXNm().getAsDouble(), 1e-6);
            assertEquals(0.018416207, d.calibration().requireInverseAngstromPerPixel("t"), 1e-8);
            assertEquals(1, d.preferredBlockFrames()); // chunks (1,1,8,8)
        }
        String other = "/4DSTEM_simulation/data/datacubes/CBED_array_depth0001/datacube";
        try (Dataset d = open(rel, Parameters.single("dataset-path", other))) {
            assertEquals(other, d.metadata().get("hdf5.dataset_path"));
            assertEquals(Shape.of(11, 11), d.navShape());
        }
    }

    @Test
    void veloxStackIsHeightWidthFrames() throws IOException {
        String rel = "emd_velox/rsciio/fei_example_tem_stack.emd";
        Map<String, Object> e = Expected.object(Expected.values(rel).get("26f60320a61d4f66a73efd8cde34ffa9"));
        try (Dataset d = open(rel, Parameters.empty())) {
            assertEquals("velox", d.metadata().get("hdf5.family"));
            assertEquals(Shape.of(2, 1), d.navShape());
            assertEquals(Shape.of(3, 3), d.sigShape());
            assertEquals("int16", d.dtype().numpyName());
            assertArrayEquals(new float[] {0, 2, 4, 6, 8, 10, 12, 14, 16}, Frames.frame(d, 0));
            assertArrayEquals(new float[] {1, 3, 5, 7, 9, 11, 13, 15, 17}, Frames.frame(d, 1));
            assertEquals(Expected.num(Expected.object(e.get("data")).get("sum")), Frames.sum(d), 0);
            assertEquals(300.0, d.calibration().beamKv().getAsDouble(), 1e-9);
            assertEquals(478.0, d.calibration().cameraLengthMm().getAsDouble(), 1e-9);
            assertTrue(d.calibration().detectorPixel().isEmpty(), "a real-space pixel (m) is not a detector angle");
            assertEquals("8.172883192297851E-12 m", d.metadata().get("velox.pixel_size"));
            assertEquals("BM-Ceta", d.metadata().get("velox.Detector"));
            assertTrue(d.metadata().get("velox.ExposureTime").startsWith("0.8"));
            assertTrue(d.metadata().get("velox.version").contains("Velox"));
        }
        try (Dataset d = open(rel, Parameters.single("dataset-path", "/Data/Image/26f60320a61d4f66a73efd8cde34ffa9/Data"))) {
            assertEquals(Shape.of(2, 1), d.navShape());
            assertArrayEquals(new float[] {1, 3, 5, 7, 9, 11, 13, 15, 17}, Frames.frame(d, 1));
        }
    }

    @Test
    void veloxDiffractionImageGivesReciprocalPixel() throws IOException {
        String rel = "emd_velox/ncempy/Camera Ceta Diffraction Micro.emd";
        Map<String, Object> e = Expected.object(Expected.values(rel).get("5c415056c9dc4df8be289b4bf4d63e8c"));
        try (Dataset d = open(rel, Parameters.empty())) {
            assertEquals(Shape.of(1, 1), d.navShape());
            assertEquals(Shape.of(512, 512), d.sigShape());
            assertEquals(Expected.num(Expected.object(e.get("data")).get("sum")), Frames.sum(d), 0);
            float[] f = Frames.frame(d, 0);
            int[] row = Expected.ints(e.get("frame0_first_row"));
            for (int i = 0; i < row.length; i++) assertEquals(row[i], f[i], 0);
            assertEquals(114429680.19923936e-10, d.calibration().requireInverseAngstromPerPixel("t"), 1e-15);
            assertEquals(378.0, d.calibration().cameraLengthMm().getAsDouble(), 1e-9);
        }
    }

    @Test
    void dectrisArinaMasterFollowsExternalLinkAndCompanionScan() throws IOException {
        String rel = "arina/test_00_master.h5";
        Map<String, Object> e = Expected.values(rel);
        try (Dataset d = open(rel, Parameters.empty())) {
            assertEquals("dectris-nexus", d.metadata().get("hdf5.family"));
            assertEquals(Shape.of(4, 4), d.navShape()); // NumPixelsY/X of test_00.h5
            assertEquals(Shape.of(192, 192), d.sigShape());
            assertEquals(e.get("dtype"), d.dtype().numpyName());
            assertEquals(Expected.num(e.get("total_sum")), Frames.sum(d), 0);
            assertEquals(1, d.preferredBlockFrames()); // chunks (1,192,192)
            assertEquals(300.0, d.calibration().beamKv().getAsDouble(), 1e-9);
            assertEquals(115.0, d.calibration().cameraLengthMm().getAsDouble(), 1e-9);
            assertEquals(Expected.num(e.get("count_time")), Double.parseDouble(d.metadata().get("dectris.count_time")), 1e-15);
            assertEquals(e.get("description"), d.metadata().get("dectris.description"));
            assertEquals(e.get("compression"), d.metadata().get("dectris.compression"));
            assertTrue(d.metadata().get("hdf5.filters").contains("32008"));
        }
        try (Dataset d = open(rel, Parameters.single("scan-shape", "2,8"))) {
            assertEquals(Shape.of(2, 8), d.navShape());
        }
        try (Dataset d = open(rel, Parameters.single("dataset-path", "/entry/data/data_000001"))) {
            assertEquals(Shape.of(4, 4), d.navShape());
            assertEquals(Shape.of(192, 192), d.sigShape());
        }
        assertThrows(ShapeMismatchException.class, () -> reader.open(Expected.file(rel), Parameters.single("scan-shape", "5,4")));
    }

    /** DECTRIS layout with two data_NNNNNN parts (in-file here; jHDF cannot write external links) read as one frame series. */
    @Test
    void dectrisPartsAreConcatenatedAlongFrames() throws Exception {
        int h = 6, w = 5;
        int[][][] p1 = new int[3][h][w], p2 = new int[2][h][w];
        for (int f = 0; f < 5; f++) for (int r = 0; r < h; r++) for (int c = 0; c < w; c++) {
            (f < 3 ? p1[f] : p2[f - 3])[r][c] = f * 1000 + r * 10 + c;
        }
        Path f = tmp.resolve("scan_master.h5");
        try (WritableHdfFile out = HdfFile.write(f)) {
            WritableGroup data = out.putGroup("entry").putGroup("data");
            data.putDataset("data_000001", p1, DatasetCreationOptions.builder().unsigned().chunkDimensions(1, h, w)
                    .filter(new BitshuffleLz4Filter(), 0, 3, 4, 0, 2).build());
            data.putDataset("data_000002", p2, DatasetCreationOptions.builder().unsigned().chunkDimensions(1, h, w)
                    .filter(new BitshuffleLz4Filter(), 0, 3, 4, 0, 2).build());
        }
        Path companion = tmp.resolve("scan.h5");
        try (WritableHdfFile out = HdfFile.write(companion)) {
            WritableGroup g = out.putGroup("STEM Metadata");
            g.putAttribute("NumPixelsX", 2);
            g.putAttribute("NumPixelsY", 2);
            g.putAttribute("High Tension", new double[] {200000.0});
        }
        try (Dataset d = reader.open(f, Parameters.empty())) {
            assertEquals("dectris-nexus", d.metadata().get("hdf5.family"));
            assertEquals(Shape.of(2, 2), d.navShape()); // from the companion; the fifth frame is left over
            assertEquals("1", d.metadata().get("unused_trailing_frames"));
            assertEquals(200.0, d.calibration().beamKv().getAsDouble(), 0);
            float[] all = new float[4 * h * w];
            d.readFrames(1, 3, all, 0); // crosses from data_000001 into data_000002
            for (int k = 0; k < 3; k++) for (int r = 0; r < h; r++) for (int c = 0; c < w; c++) {
                assertEquals((k + 1) * 1000 + r * 10 + c, all[(k * h + r) * w + c], 0);
            }
        }
        try (Dataset d = reader.open(f, Parameters.single("scan-shape", "5,1"))) {
            assertEquals(4000 + 5 * 10 + 4, Frames.frame(d, 4)[h * w - 1], 0);
        }
    }

    /**
     * Our bitshuffle/LZ4 decoder against the bitshuffle project's own regression data (block size 64,
     * element sizes 1-10, odd lengths: partial blocks and raw tails). jHDF 0.13.0's own filter throws on
     * 18 of these 21 datasets, which is why the reader decodes filter 32008 itself.
     */
    @Test
    void bitshuffleLz4MatchesBitshuffleRegressionData() {
        try (HdfFile f = new HdfFile(Expected.file("hdf5_filters/bitshuffle_regression_0.4.0.h5"))) {
            Group compressed = (Group) f.getByPath("compressed");
            int n = 0;
            for (Node c : compressed) {
                ChunkedDataset comp = (ChunkedDataset) c;
                ContiguousDataset orig = (ContiguousDataset) f.getDatasetByPath("original/" + c.getName());
                ByteBuffer raw = comp.getRawChunkBuffer(new int[] {0});
                byte[] in = new byte[raw.remaining()];
                raw.get(in);
                int elem = comp.getFilters().get(0).getFilterData()[2];
                byte[] got = Bitshuffle.decode(in, in.length, elem, true);
                ByteBuffer want = orig.getBuffer();
                byte[] w = new byte[want.remaining()];
                want.get(w);
                assertArrayEquals(w, got, c.getName());
                n++;
            }
            assertEquals(21, n);
        }
    }

    // ------------------------------------------------------------------ files written by the test

    static float value(int y, int x, int r, int c) {
        return (y * 7 + x * 3 + r * 11 + c * 13) % 4001;
    }

    static Path write4d(Path file, int ny, int nx, int h, int w, int[] chunks, boolean deflate) {
        short[][][][] a = new short[ny][nx][h][w];
        for (int y = 0; y < ny; y++) for (int x = 0; x < nx; x++) for (int r = 0; r < h; r++) for (int c = 0; c < w; c++) {
            a[y][x][r][c] = (short) value(y, x, r, c);
        }
        try (WritableHdfFile out = HdfFile.write(file)) {
            WritableGroup g = out.putGroup("experiment");
            DatasetCreationOptions.Builder b = DatasetCreationOptions.builder().unsigned();
            if (chunks != null) b.chunkDimensions(chunks);
            if (deflate) b.shuffle().deflate();
            g.putDataset("scan4d", a, b.build());
            g.putDataset("image", new float[][] {{1, 2, 3}, {4, 5, 6}});
            g.putDataset("line", new double[] {1, 2, 3});
            g.putDataset("labels", new String[] {"a", "b"});
        }
        return file;
    }

    @Test
    void writtenChunkedDeflate4dReadsExactlyAndStreamsPerChunk() throws Exception {
        Path f = write4d(tmp.resolve("chunked.h5"), 6, 5, 9, 7, new int[] {1, 5, 9, 7}, true);
        try (Dataset d = reader.open(f, Parameters.empty())) {
            assertEquals("/experiment/scan4d", d.metadata().get("hdf5.dataset_path"));
            assertEquals(Shape.of(6, 5), d.navShape());
            assertEquals(Shape.of(9, 7), d.sigShape());
            assertEquals(DType.UINT16, d.dtype());
            assertEquals(5, d.preferredBlockFrames());
            checkAll(d, 6, 5, 9, 7);
            checkParallel(d);
        }
        // detector split over several chunks, scan rows over several too
        Path g = write4d(tmp.resolve("tiles.h5"), 4, 6, 10, 12, new int[] {2, 4, 4, 5}, false);
        try (Dataset d = reader.open(g, Parameters.empty())) {
            assertEquals(4, d.preferredBlockFrames());
            checkAll(d, 4, 6, 10, 12);
        }
    }

    @Test
    void chunkCacheStaysWithinItsBudget() throws Exception {
        // chunks (2, 3, 5, 7) of 2-byte elements = 420 bytes; a frame of 10x14 spans 2x2 = 4 chunks
        Path f = write4d(tmp.resolve("cache.h5"), 6, 9, 10, 14, new int[] {2, 3, 5, 7}, true);
        Hdf5Reader small = new Hdf5Reader();
        small.cacheBytes = 1;
        try (Hdf5Dataset d = (Hdf5Dataset) small.open(f, Parameters.empty())) {
            checkAll(d, 6, 9, 10, 14);
            long bound = (4 + 1) * 420L;
            assertTrue(d.cachedBytes() > 0 && d.cachedBytes() <= bound, d.cachedBytes() + " cached bytes, bound " + bound);
            checkParallel(d);
            assertTrue(d.cachedBytes() <= 3 * bound, d.cachedBytes() + " cached bytes over three threads");
        }
        try (Hdf5Dataset d = (Hdf5Dataset) reader.open(f, Parameters.empty())) {
            checkAll(d, 6, 9, 10, 14);
            // default budget: every chunk read once stays (54 frames / 6 per chunk x 4 sig chunks = 36 chunks)
            assertEquals(36 * 420L, d.cachedBytes());
        }
    }

    @Test
    void writtenContiguous4dIsMemoryMapped() throws Exception {
        Path f = write4d(tmp.resolve("contig.h5"), 3, 4, 8, 6, null, false);
        try (Dataset d = reader.open(f, Parameters.empty())) {
            assertEquals("CONTIGUOUS", d.metadata().get("hdf5.layout"));
            checkAll(d, 3, 4, 8, 6);
            checkParallel(d);
        }
        try (Dataset d = reader.open(f, Parameters.single("dataset-path", "/experiment/image"))) {
            assertEquals(Shape.of(1, 1), d.navShape());
            assertEquals(Shape.of(2, 3), d.sigShape());
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, Frames.frame(d, 0));
        }
        try (Dataset d = reader.open(f, Parameters.empty().with("dataset-path", "/experiment/scan4d").with("scan-shape", "2,6"))) {
            assertEquals(Shape.of(2, 6), d.navShape());
            float[] fr = Frames.frame(d, 7); // stored (1, 3)
            assertEquals(value(1, 3, 2, 5), fr[2 * 6 + 5], 0);
        }
    }

    @Test
    void written3dStackAndFloat64() throws IOException {
        double[][][] a = new double[5][4][3];
        for (int n = 0; n < 5; n++) for (int r = 0; r < 4; r++) for (int c = 0; c < 3; c++) a[n][r][c] = n * 100 + r * 10 + c + 0.5;
        Path f = tmp.resolve("stack.h5");
        try (WritableHdfFile out = HdfFile.write(f)) {
            out.putDataset("frames", a, DatasetCreationOptions.builder().chunkDimensions(2, 4, 3).deflate().build());
        }
        try (Dataset d = reader.open(f, Parameters.empty())) {
            assertEquals(Shape.of(5, 1), d.navShape());
            assertEquals(DType.FLOAT64, d.dtype());
            assertEquals(2, d.preferredBlockFrames());
            float[] all = new float[5 * 12];
            d.readFrames(0, 5, all, 0);
            for (int n = 0; n < 5; n++) for (int r = 0; r < 4; r++) for (int c = 0; c < 3; c++) {
                assertEquals(n * 100 + r * 10 + c + 0.5, all[n * 12 + r * 3 + c], 0);
            }
        }
        try (Dataset d = reader.open(f, Parameters.single("scan-shape", "2,2"))) {
            assertEquals(Shape.of(2, 2), d.navShape());
            assertEquals("1", d.metadata().get("unused_trailing_frames"));
        }
    }

    @Test
    void writtenBitshuffleLz4ChunksWithPartialBlocksReadBack() throws Exception {
        int ny = 3, nx = 4, h = 33, w = 35; // 1155 elements of 4 bytes: a partial block and a raw tail of 3
        int[][][][] a = new int[ny][nx][h][w];
        for (int y = 0; y < ny; y++) for (int x = 0; x < nx; x++) for (int r = 0; r < h; r++) for (int c = 0; c < w; c++) {
            a[y][x][r][c] = (int) value(y, x, r, c);
        }
        Path f = tmp.resolve("bslz4.h5");
        try (WritableHdfFile out = HdfFile.write(f)) {
            out.putDataset("data", a, DatasetCreationOptions.builder().unsigned().chunkDimensions(1, 2, h, w)
                    .filter(new BitshuffleLz4Filter(), 0, 3, 4, 0, 2).build());
        }
        try (Dataset d = reader.open(f, Parameters.empty())) {
            assertTrue(d.metadata().get("hdf5.filters").contains("32008"), d.metadata().toString());
            assertEquals(DType.UINT32, d.dtype());
            assertEquals(2, d.preferredBlockFrames());
            checkAll(d, ny, nx, h, w);
            checkParallel(d);
        }
    }

    private static void checkAll(Dataset d, int ny, int nx, int h, int w) {
        float[] all = new float[ny * nx * h * w];
        // odd block boundaries on purpose
        for (int f = 0; f < ny * nx; f += 3) {
            int n = Math.min(3, ny * nx - f);
            d.readFrames(f, n, all, f * h * w);
        }
        for (int y = 0; y < ny; y++) for (int x = 0; x < nx; x++) for (int r = 0; r < h; r++) for (int c = 0; c < w; c++) {
            assertEquals(value(y, x, r, c), all[((y * nx + x) * h + r) * w + c], 0, "at " + y + "," + x + "," + r + "," + c);
        }
    }

    private static void checkParallel(Dataset d) throws Exception {
        int frames = (int) d.frameCount(), px = d.framePixels();
        float[] ref = new float[frames * px];
        d.readFrames(0, frames, ref, 0);
        float[] a = new float[frames * px];
        float[] b = new float[frames * px];
        ExecutorService ex = Executors.newFixedThreadPool(2);
        try {
            Future<?> f1 = ex.submit(() -> { for (int r = 0; r < 20; r++) for (int f = 0; f < frames; f++) d.readFrames(f, 1, a, f * px); });
            Future<?> f2 = ex.submit(() -> { for (int r = 0; r < 20; r++) for (int f = frames - 1; f >= 0; f--) d.readFrames(f, 1, b, f * px); });
            f1.get();
            f2.get();
        } finally {
            ex.shutdown();
        }
        assertArrayEquals(ref, a);
        assertArrayEquals(ref, b);
    }

    // ------------------------------------------------------------------ broken input

    @Test
    void brokenFilesGiveTypedErrorsNamingTheFile() throws IOException {
        Path empty = Files.write(tmp.resolve("empty.h5"), new byte[0]);
        assertNamed(TruncatedFileException.class, empty, Parameters.empty());
        Path text = Files.writeString(tmp.resolve("text.h5"), "this is not an HDF5 file at all, just some text\n".repeat(40));
        InvalidInputException wrong = assertNamed(CorruptFileException.class, text, Parameters.empty());
        assertEquals("signature", wrong.field());
        assertEquals(0.1, reader.probe(text, ByteBuffer.wrap(Files.readAllBytes(text))), 1e-12);
        Path good = write4d(tmp.resolve("good.h5"), 3, 4, 8, 6, null, false);
        byte[] all = Files.readAllBytes(good);
        Path cut = Files.write(tmp.resolve("cut.h5"), Arrays.copyOf(all, all.length / 2));
        assertNamed(TruncatedFileException.class, cut, Parameters.empty());
        InvalidInputException line = assertNamed(ShapeMismatchException.class, good, Parameters.single("dataset-path", "/experiment/line"));
        assertEquals("/experiment/line", line.field());
        assertNamed(UnsupportedFormatException.class, good, Parameters.single("dataset-path", "/experiment/labels"));
        InvalidInputException missing = assertNamed(InvalidInputException.class, good, Parameters.single("dataset-path", "/nope"));
        assertEquals("dataset-path", missing.field());
        assertNamed(ShapeMismatchException.class, good, Parameters.single("scan-shape", "5,5"));
        // a DECTRIS master without its data file
        Path master = Files.copy(Expected.file("arina/test_00_master.h5"), tmp.resolve("lonely_master.h5"));
        assertNamed(TruncatedFileException.class, master, Parameters.empty());
        // no 2D+ dataset at all
        Path onlyLine = tmp.resolve("line.h5");
        try (WritableHdfFile out = HdfFile.write(onlyLine)) {
            out.putDataset("x", new int[] {1, 2, 3});
        }
        assertNamed(ShapeMismatchException.class, onlyLine, Parameters.empty());
    }

    @Test
    void probeNeverThrows() {
        assertEquals(0.0, reader.probe(Path.of("a.mrc"), ByteBuffer.allocate(3)));
        assertEquals(0.0, reader.probe(null, null));
        assertEquals(0.1, reader.probe(Path.of("a.emd"), null));
    }

    private InvalidInputException assertNamed(Class<? extends InvalidInputException> type, Path f, Parameters p) {
        InvalidInputException e = assertThrows(type, () -> reader.open(f, p).close());
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        assertEquals(type, e.getClass(), e.getMessage());
        return e;
    }

    static ByteBuffer head(Path f) throws IOException {
        byte[] b = Files.readAllBytes(f);
        return ByteBuffer.wrap(b, 0, Math.min(b.length, 4096)).slice();
    }
}
