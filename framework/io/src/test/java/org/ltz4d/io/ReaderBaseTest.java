package org.ltz4d.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.DType;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.param.ParameterSpec;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.api.data.Shape;

/** The shared reader parts: FrameDataset's checks and getters, FormatReader's probe. */
class ReaderBaseTest {

    /** Frame k, pixel i has the value 100·k + i; records which calls reached decode. */
    private static final class Counting extends FrameDataset {
        final List<long[]> calls = new ArrayList<>();
        boolean released;

        Counting(Map<String, String> meta) {
            super(Path.of("x.foo"), "foo", Shape.of(2, 3), Shape.of(2, 2), DType.UINT16, Calibration.none(), meta);
        }

        @Override
        protected void decode(long first, int count, float[] dest, int destOffset) {
            calls.add(new long[] {first, count, destOffset});
            for (int k = 0; k < count; k++) for (int i = 0; i < 4; i++) dest[destOffset + 4 * k + i] = 100 * (first + k) + i;
        }

        @Override
        protected void release() {
            released = true;
        }
    }

    @Test
    void frameDatasetChecksEveryCallBeforeDecoding() {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("b", "2");
        meta.put("a", "1");
        Counting d = new Counting(meta);
        meta.put("c", "3");
        assertEquals(List.of("b", "a"), List.copyOf(d.metadata().keySet()), "a copy, in the given order");
        assertThrows(UnsupportedOperationException.class, () -> d.metadata().put("z", "0"));
        assertEquals(6, d.frameCount());
        assertEquals(4, d.framePixels());
        assertEquals("foo", d.format());

        float[] dest = new float[10];
        d.readFrames(4, 2, dest, 2);
        assertArrayEquals(new float[] {0, 0, 400, 401, 402, 403, 500, 501, 502, 503}, dest);
        assertThrows(IndexOutOfBoundsException.class, () -> d.readFrames(5, 2, new float[8], 0), "past the last frame");
        assertThrows(IndexOutOfBoundsException.class, () -> d.readFrames(-1, 1, new float[4], 0));
        assertThrows(IndexOutOfBoundsException.class, () -> d.readFrames(0, -1, new float[4], 0));
        assertThrows(IndexOutOfBoundsException.class, () -> d.readFrames(0, 2, new float[7], 0), "destination too small");
        assertThrows(IndexOutOfBoundsException.class, () -> d.readFrames(0, 1, new float[8], 5), "offset leaves too little room");
        assertEquals(1, d.calls.size(), "only the valid call reached decode");
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> d.readFrames(6, 1, new float[4], 0));
        assertTrue(e.getMessage().startsWith("x.foo: "), "names the file: " + e.getMessage());

        d.close();
        assertTrue(d.released);
        assertThrows(IllegalStateException.class, () -> d.readFrames(0, 1, new float[4], 0), "closed");
        assertEquals(1, d.calls.size());
    }

    private static final class Foo extends FormatReader {
        static final byte[] MAGIC = {'F', 'O', 'O'};

        Foo() {
            super("foo", List.of(ParameterSpec.text("foo-opt", "an option", null)), "foo", "fo2");
        }

        @Override
        protected double confidence(Probe p) {
            if (p.bytesAt(4, new byte[] {'!'})) throw new IllegalStateException("a probe bug");
            if (p.startsWith(MAGIC)) return 1.0;
            if (p.hasSuffix("fo2")) return 0.5;
            return p.hasSuffix() ? 0.3 : 0.0;
        }

        @Override
        public Dataset open(Path file, Parameters options) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void formatReaderProbesFromNameAndHeadAndNeverThrows() {
        Foo r = new Foo();
        assertEquals("foo", r.name());
        assertEquals(List.of("foo", "fo2"), r.suffixes());
        assertEquals("foo-opt", r.parameters().get(0).name());
        ByteBuffer magic = ByteBuffer.wrap(new byte[] {'F', 'O', 'O', 0, 0});
        assertEquals(1.0, r.probe(Path.of("a.bin"), magic));
        assertEquals(0, magic.position(), "the head's position is left alone");
        assertEquals(0.3, r.probe(Path.of("dir/A.FOO"), ByteBuffer.wrap(new byte[] {'F', 'O'})), "suffix in any case; head too short for the magic");
        assertEquals(0.5, r.probe(Path.of("a.fo2"), null), "no head");
        assertEquals(0.0, r.probe(Path.of("a.foox"), null));
        assertEquals(0.0, r.probe(Path.of("/"), null), "a path without a file name");
        assertEquals(0.0, r.probe(null, null));
        assertEquals(0.0, r.probe(Path.of("a.foo"), ByteBuffer.wrap(new byte[] {'F', 'O', 'O', 0, '!'})), "an exception counts as 0");
        assertFalse(new FormatReader("bar") {
            @Override
            protected double confidence(Probe p) {
                return p.headBytes();
            }

            @Override
            public Dataset open(Path file, Parameters options) {
                return null;
            }
        }.parameters().iterator().hasNext(), "no options by default");
    }
}
