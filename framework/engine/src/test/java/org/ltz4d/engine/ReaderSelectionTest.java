package org.ltz4d.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.DType;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.data.DatasetReader;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.error.InvalidInputException;
import org.ltz4d.api.error.PluginException;
import org.ltz4d.api.error.ShapeMismatchException;
import org.ltz4d.api.error.UnsupportedFormatException;
import org.ltz4d.api.param.Parameters;

/** Which reader opens a file: probing, forcing by name, and what a broken reader leads to. */
class ReaderSelectionTest {
    @TempDir
    Path dir;

    LocalEngine engine;
    Path file;

    @BeforeEach
    void setUp() throws Exception {
        engine = new LocalEngine();
        engine.register(new TestPlugins.MemReader(), "test.reader", "1.0.0");
        file = TestPlugins.memFile(dir, "3x4");
    }

    /** A reader that claims every file with {@code score} and opens it as a 1D scan (or throws). */
    static class Claiming implements DatasetReader {
        final String name;
        final double score;
        final RuntimeException onOpen;
        final AtomicBoolean closed = new AtomicBoolean();

        Claiming(String name, double score, RuntimeException onOpen) {
            this.name = name;
            this.score = score;
            this.onOpen = onOpen;
        }

        @Override public String name() { return name; }
        @Override public List<String> suffixes() { return List.of(); }

        @Override
        public double probe(Path f, ByteBuffer head) {
            if (score < 0) throw new IllegalStateException("probe bug");
            return score;
        }

        @Override
        public Dataset open(Path f, Parameters options) {
            if (onOpen != null) throw onOpen;
            return new Dataset() {
                @Override public Path source() { return f; }
                @Override public String format() { return name; }
                @Override public Shape navShape() { return Shape.of(12); }
                @Override public Shape sigShape() { return Shape.of(8, 8); }
                @Override public DType dtype() { return DType.FLOAT32; }
                @Override public Calibration calibration() { return Calibration.none(); }
                @Override public void readFrames(long first, int count, float[] dest, int off) { }
                @Override public void close() { closed.set(true); }
            };
        }
    }

    @Test
    void theMostConfidentReaderOpensAndAThrowingProbeClaimsNothing() {
        engine.register(new Claiming("unsure", 0.5, null), "t", "1");
        engine.register(new Claiming("broken-probe", -1, null), "t", "1");
        try (Dataset ds = engine.open(file, Parameters.empty())) {
            assertEquals("mem", ds.format(), "0.9 beats 0.5; the throwing probe is skipped");
        }
    }

    @Test
    void formatForcesAReaderByNameAndAnUnknownNameIsNamed() {
        Claiming lineScan = new Claiming("line", 0.1, null);
        engine.register(lineScan, "t", "1");
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class,
                () -> engine.open(file, Parameters.single("format", "line")));
        assertEquals("shape", e.field());
        assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains("(12,)"), e.getMessage());
        assertTrue(lineScan.closed.get(), "a dataset that is refused is closed");
        UnsupportedFormatException u = assertThrows(UnsupportedFormatException.class,
                () -> engine.open(file, Parameters.single("format", "tiff")));
        assertTrue(u.getMessage().contains("a reader named 'tiff'"), u.getMessage());
    }

    @Test
    void aReaderThatThrowsOnOpenIsAPluginErrorNamingIt() {
        engine.register(new Claiming("crashy", 1.0, new ArrayIndexOutOfBoundsException(7)), "t", "1");
        PluginException e = assertThrows(PluginException.class, () -> engine.open(file, Parameters.empty()));
        assertEquals("crashy", e.plugin());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void missingFilesFoldersAndNoReadersAreNamed() throws Exception {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> engine.open(dir.resolve("none.mem"), Parameters.empty()));
        assertEquals("file", e.field());
        assertEquals("no such file", e.found());
        e = assertThrows(InvalidInputException.class, () -> engine.open(dir, Parameters.empty()));
        assertEquals("a folder", e.found());
        LocalEngine bare = new LocalEngine();
        Path any = Files.writeString(dir.resolve("x.bin"), "x");
        e = assertThrows(UnsupportedFormatException.class, () -> bare.open(any, Parameters.empty()));
        assertEquals("no reader is installed", e.found());
    }

    /** A remote URI as the path it arrives as; local paths and file: URIs are not remote. */
    @Test
    void remoteInputsAreRecognisedByTheirScheme() {
        assertEquals("hdfs://nn.example:8020/scans/a.npy",
                org.ltz4d.engine.internal.ReaderSelection.remote(Path.of("hdfs://nn.example:8020/scans/a.npy")).orElseThrow().toString());
        assertTrue(org.ltz4d.engine.internal.ReaderSelection.remote(Path.of("/scans/a.npy")).isEmpty());
        assertTrue(org.ltz4d.engine.internal.ReaderSelection.remote(Path.of("file:/scans/a.npy")).isEmpty());
        assertTrue(org.ltz4d.engine.internal.ReaderSelection.remote(Path.of("scans/hdfs.npy")).isEmpty());
    }

    /** Without a provider for the scheme: a typed error naming the storage; with one, the reader gets the source (and it is closed on failure). */
    @Test
    void remoteInputsAreReadThroughTheirProvider() throws Exception {
        Path remote = Path.of("mem://store/a.bin");
        UnsupportedFormatException none = assertThrows(UnsupportedFormatException.class, () -> engine.open(remote, Parameters.empty()));
        assertEquals("storage", none.field());
        byte[] bytes = Files.readAllBytes(file);
        AtomicBoolean closed = new AtomicBoolean();
        java.util.List<String> opened = new java.util.ArrayList<>();
        org.ltz4d.api.data.ByteSourceProvider mem = new org.ltz4d.api.data.ByteSourceProvider() {
            @Override public String scheme() { return "mem"; }

            @Override
            public org.ltz4d.api.data.ByteSource open(java.net.URI uri) {
                opened.add(uri.toString());
                return new org.ltz4d.api.data.ByteSource() {
                    @Override public String name() { return uri.toString(); }
                    @Override public long size() { return bytes.length; }
                    @Override public void read(long pos, ByteBuffer dst) { dst.put(bytes, (int) pos, dst.remaining()); }
                    @Override public void close() { closed.set(true); }
                };
            }
        };
        engine.addStorage(mem);
        // the test reader reads local files only: refused with the storage named, the source closed
        UnsupportedFormatException local = assertThrows(UnsupportedFormatException.class,
                () -> engine.open(remote, Parameters.of(java.util.Map.of("format", "mem"))));
        assertEquals("storage", local.field());
        assertEquals(List.of("mem://store/a.bin"), opened);
        assertTrue(closed.get(), "the source is closed when no dataset takes it");
        // a reader with positioned reads opens it
        java.util.List<String> headSeen = new java.util.ArrayList<>();
        engine.register(new Claiming("remote", 1.0, null) {
            @Override
            public Dataset open(Path f, org.ltz4d.api.data.ByteSource source, Parameters options) {
                ByteBuffer b = ByteBuffer.allocate(bytes.length);
                try {
                    source.read(0, b);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                headSeen.add(f + " " + java.util.Arrays.equals(b.array(), bytes));
                return new TestPlugins.MemReader().open(file, options); // the same bytes, as a dataset of rank 2
            }
        }, "remote.reader", "1.0.0");
        try (Dataset ds = engine.open(remote, Parameters.of(java.util.Map.of("format", "remote")))) {
            assertEquals(List.of(remote + " true"), headSeen, "the reader read the file's bytes through the source");
            assertEquals(12, ds.frameCount());
        }
        engine.removeStorage(mem);
        assertThrows(UnsupportedFormatException.class, () -> engine.open(remote, Parameters.empty()));
    }
}
