package org.ltz4d.reader.hdf5;

import io.jhdf.HdfFile;
import io.jhdf.api.dataset.ChunkedDataset;
import io.jhdf.exceptions.HdfException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.error.CorruptFileException;
import org.ltz4d.io.BufferDecode;
import org.ltz4d.io.FrameDataset;
import org.ltz4d.io.MappedFile;

/**
 * An HDF5 dataset (or several, concatenated along the frame axis: DECTRIS data_NNNNNN files) seen as
 * frames. Each part is an N-D dataset with zero, one or two frame ("nav") axes and a (row, column)
 * pair of detector axes anywhere in its dimensions, so (ny, nx, h, w), (n, h, w) and Velox's
 * (h, w, n) read through the same code. Contiguous parts are memory-mapped and decoded with
 * absolute gets; chunked parts are read one chunk at a time through jHDF and the decompressed
 * chunks are cached per reading thread (bounded bytes), so a chunk spanning several frames is
 * decompressed once per thread. Nothing holds the whole dataset.
 */
final class Hdf5Dataset extends FrameDataset {
    /**
     * Per-thread cache budget for decompressed chunks; raised when the chunks one frame spans need
     * more, so that the chunks of the current frame stay until the next frames reuse them.
     */
    static final long CACHE_BYTES = 16L << 20;

    private final List<HdfFile> files;
    private final Part[] parts;
    private final long[] partStart;
    private final int blockFrames;
    /** Per reading thread; weak keys so that the caches of finished threads go with them, cleared at close. */
    private final Map<Thread, ThreadState> states = new WeakHashMap<>();

    private final long cacheBytes;

    Hdf5Dataset(Path source, List<HdfFile> files, List<Part> parts, Shape nav, Calibration calibration, Map<String, String> metadata,
            long cacheBytes) {
        super(source, "hdf5", nav, Shape.of(parts.get(0).dims[parts.get(0).rowAxis], parts.get(0).dims[parts.get(0).colAxis]),
                parts.get(0).type.dtype(), calibration, metadata);
        this.cacheBytes = cacheBytes;
        this.files = List.copyOf(files);
        this.parts = parts.toArray(new Part[0]);
        this.partStart = new long[this.parts.length + 1];
        for (int i = 0; i < this.parts.length; i++) {
            this.parts[i].id = i;
            partStart[i + 1] = partStart[i] + this.parts[i].frames;
        }
        this.blockFrames = this.parts[0].preferredBlockFrames();
    }

    long storedFrames() {
        return partStart[parts.length];
    }

    @Override public int preferredBlockFrames() { return blockFrames; }

    @Override
    protected void decode(long first, int count, float[] dest, int destOffset) {
        ThreadState st;
        synchronized (states) {
            st = states.computeIfAbsent(Thread.currentThread(), t -> new ThreadState(cacheBytes));
        }
        int px = framePixels();
        int p = 0;
        for (int f = 0; f < count; f++) {
            long g = first + f;
            while (g >= partStart[p + 1]) p++;
            while (g < partStart[p]) p--;
            parts[p].readFrame(g - partStart[p], dest, destOffset + f * px, st);
        }
    }

    @Override
    protected void release() {
        synchronized (states) {
            states.clear();
        }
        for (HdfFile f : files) {
            try {
                f.close();
            } catch (RuntimeException e) {
                // closing is best effort; the data were read already
            }
        }
    }

    /** Scratch space and the chunk cache of one reading thread. */
    static final class ThreadState {
        final long budget;
        final int[] chunkOffset = new int[32];
        final java.util.LinkedHashMap<Long, ByteBuffer> cache = new java.util.LinkedHashMap<>(16, 0.75f, true);
        long cachedBytes;
        Part lastPart;
        long lastKey = -1;
        ByteBuffer lastChunk;

        ThreadState(long budget) {
            this.budget = budget;
        }
    }

    /** Bytes of decompressed chunks held by all reading threads now (for tests and diagnostics). */
    long cachedBytes() {
        synchronized (states) {
            long n = 0;
            for (ThreadState st : states.values()) n += st.cachedBytes;
            return n;
        }
    }

    /** One stored HDF5 dataset and where its frame and detector axes are. */
    abstract static class Part {
        final Path file;
        final String path;
        final int[] dims;
        final long[] strides;
        final int[] navAxes;
        final int rowAxis;
        final int colAxis;
        final ElementType type;
        final long frames;
        final int rows;
        final int cols;
        /** Index among the dataset's parts, to key the per-thread chunk cache. */
        int id;

        Part(Path file, String path, int[] dims, int[] navAxes, int rowAxis, int colAxis, ElementType type) {
            this.file = file;
            this.path = path;
            this.dims = dims;
            this.navAxes = navAxes;
            this.rowAxis = rowAxis;
            this.colAxis = colAxis;
            this.type = type;
            this.strides = new long[dims.length];
            long s = 1;
            for (int a = dims.length - 1; a >= 0; a--) {
                strides[a] = s;
                s *= dims[a];
            }
            long n = 1;
            for (int a : navAxes) n *= dims[a];
            this.frames = n;
            this.rows = dims[rowAxis];
            this.cols = dims[colAxis];
        }

        /** Coordinate along nav axis k (0 = slowest) of local frame {@code f}. */
        final int navCoord(long f, int k) {
            long rest = f;
            for (int j = navAxes.length - 1; j > k; j--) rest /= dims[navAxes[j]];
            return (int) (rest % dims[navAxes[k]]);
        }

        abstract void readFrame(long f, float[] dst, int off, ThreadState st);

        int preferredBlockFrames() {
            return 1;
        }

        final void decode(ByteBuffer b, int byteIndex, int n, float[] dst, int off) {
            if (type.half()) BufferDecode.halfToFloat(b, byteIndex, n, dst, off);
            else BufferDecode.toFloat(b, byteIndex, type.dtype(), n, dst, off);
        }
    }

    /** Contiguous layout: the data block is memory-mapped from the (possibly external) file that holds it. */
    static final class ContiguousPart extends Part {
        private final MappedFile map;
        private final long address;
        private final boolean frameContiguous;
        private final boolean rowContiguous;

        ContiguousPart(Path file, String path, int[] dims, int[] navAxes, int rowAxis, int colAxis, ElementType type,
                MappedFile map, long address) {
            super(file, path, dims, navAxes, rowAxis, colAxis, type);
            this.map = map;
            this.address = address;
            this.rowContiguous = strides[colAxis] == 1;
            this.frameContiguous = rowContiguous && strides[rowAxis] == cols;
        }

        static long recordBytes(int[] dims, int rowAxis, int colAxis, int size) {
            long colStride = 1, rowStride = 1;
            for (int a = dims.length - 1; a > colAxis; a--) colStride *= dims[a];
            for (int a = dims.length - 1; a > rowAxis; a--) rowStride *= dims[a];
            if (colStride != 1) return size;
            if (rowStride == dims[colAxis]) return (long) dims[rowAxis] * dims[colAxis] * size;
            return (long) dims[colAxis] * size;
        }

        @Override
        void readFrame(long f, float[] dst, int off, ThreadState st) {
            int n = rows * cols;
            if (map == null) { // storage never allocated: HDF5 reads it as the fill value, zero here
                java.util.Arrays.fill(dst, off, off + n, 0f);
                return;
            }
            long base = 0;
            for (int k = 0; k < navAxes.length; k++) base += navCoord(f, k) * strides[navAxes[k]];
            int es = type.size();
            if (frameContiguous) {
                long o = address + base * es;
                decode(map.buffer(o), map.index(o), n, dst, off);
            } else if (rowContiguous) {
                for (int r = 0; r < rows; r++) {
                    long o = address + (base + r * strides[rowAxis]) * es;
                    decode(map.buffer(o), map.index(o), cols, dst, off + r * cols);
                }
            } else {
                for (int r = 0; r < rows; r++) {
                    for (int c = 0; c < cols; c++) {
                        long o = address + (base + r * strides[rowAxis] + c * strides[colAxis]) * es;
                        decode(map.buffer(o), map.index(o), 1, dst, off + r * cols + c);
                    }
                }
            }
        }
    }

    /** Chunked layout (any filters jHDF decodes: deflate, shuffle, LZF, LZ4, bitshuffle/LZ4...). */
    static final class ChunkedPart extends Part {
        private final ChunkedDataset ds;
        private final int[] chunk;
        private final long[] chunkStrides;
        private final long chunkBytes;
        private final long sigChunks;
        private final int[] gridStrides;
        /** 0: jHDF's filter pipeline; 1: bitshuffle alone; 2: bitshuffle + LZ4 (decoded by {@link Bitshuffle}). */
        private final int bitshuffle;
        private final boolean unfiltered;

        ChunkedPart(Path file, String path, int[] dims, int[] navAxes, int rowAxis, int colAxis, ElementType type, ChunkedDataset ds,
                int bitshuffle) {
            super(file, path, dims, navAxes, rowAxis, colAxis, type);
            this.ds = ds;
            this.bitshuffle = bitshuffle;
            this.unfiltered = ds.getFilters().isEmpty();
            this.chunk = ds.getChunkDimensions();
            this.chunkStrides = new long[dims.length];
            long s = 1;
            for (int a = dims.length - 1; a >= 0; a--) {
                chunkStrides[a] = s;
                s *= chunk[a];
            }
            this.chunkBytes = s * type.size();
            this.sigChunks = (long) ((rows + chunk[rowAxis] - 1) / chunk[rowAxis]) * ((cols + chunk[colAxis] - 1) / chunk[colAxis]);
            this.gridStrides = new int[dims.length];
            int g = 1;
            for (int a = dims.length - 1; a >= 0; a--) {
                gridStrides[a] = g;
                g *= (dims[a] + chunk[a] - 1) / chunk[a];
            }
        }

        @Override
        int preferredBlockFrames() {
            if (navAxes.length == 0) return 1;
            int fast = navAxes[navAxes.length - 1];
            if (navAxes.length == 1 || chunk[fast] < dims[fast]) return Math.max(1, chunk[fast]);
            return (int) Math.max(1, Math.min(1 << 16, (long) chunk[navAxes[0]] * dims[fast]));
        }

        @Override
        void readFrame(long f, float[] dst, int off, ThreadState st) {
            int[] co = st.chunkOffset;
            int rank = dims.length;
            long localBase = 0;
            long keyBase = 0;
            for (int a = 0; a < rank; a++) co[a] = 0;
            for (int k = 0; k < navAxes.length; k++) {
                int a = navAxes[k];
                int c = navCoord(f, k);
                co[a] = (c / chunk[a]) * chunk[a];
                localBase += (c - co[a]) * chunkStrides[a];
                keyBase += (long) (c / chunk[a]) * gridStrides[a];
            }
            int cr = chunk[rowAxis], cc = chunk[colAxis];
            boolean rowRuns = chunkStrides[colAxis] == 1;
            int es = type.size();
            for (int r0 = 0; r0 < rows; r0 += cr) {
                co[rowAxis] = r0;
                int r1 = Math.min(rows, r0 + cr);
                for (int c0 = 0; c0 < cols; c0 += cc) {
                    co[colAxis] = c0;
                    int c1 = Math.min(cols, c0 + cc);
                    long key = keyBase + (long) (r0 / cr) * gridStrides[rowAxis] + (long) (c0 / cc) * gridStrides[colAxis];
                    ByteBuffer b = chunk(st, key, co);
                    for (int r = r0; r < r1; r++) {
                        long li = localBase + (r - r0) * chunkStrides[rowAxis];
                        int o = off + r * cols + c0;
                        if (b == null) {
                            java.util.Arrays.fill(dst, o, o + (c1 - c0), 0f);
                        } else if (rowRuns) {
                            decode(b, (int) (li * es), c1 - c0, dst, o);
                        } else {
                            for (int c = c0; c < c1; c++) {
                                decode(b, (int) ((li + (c - c0) * chunkStrides[colAxis]) * es), 1, dst, o + (c - c0));
                            }
                        }
                    }
                }
            }
        }

        /** The decompressed chunk at element offset {@code co}, from this thread's cache; null when never written (fill = 0). */
        private ByteBuffer chunk(ThreadState st, long key, int[] co) {
            if (st.lastPart == this && st.lastKey == key) return st.lastChunk;
            Long boxed = (key << 16) | id;
            ByteBuffer b = st.cache.get(boxed);
            if (b == null && !st.cache.containsKey(boxed)) {
                int[] offset = java.util.Arrays.copyOf(co, dims.length);
                try {
                    byte[] raw;
                    if (unfiltered) {
                        // stored as is: decode straight from jHDF's read-only mapping of the chunk, no copy
                        b = ds.getRawChunkBuffer(offset).slice().order(type.order());
                        raw = null;
                    } else if (bitshuffle == 0) {
                        raw = ds.getDecompressedChunk(offset);
                    } else {
                        ByteBuffer rb = ds.getRawChunkBuffer(offset);
                        byte[] in = new byte[rb.remaining()];
                        rb.get(in);
                        try {
                            raw = Bitshuffle.decode(in, in.length, type.size(), bitshuffle == 2, chunkBytes);
                        } catch (IllegalArgumentException | net.jpountz.lz4.LZ4Exception e) {
                            throw new CorruptFileException(file, path + " chunk " + java.util.Arrays.toString(offset),
                                    "a bitshuffle/LZ4 chunk", e.getMessage(), e);
                        }
                    }
                    if (raw != null) {
                        b = ByteBuffer.wrap(raw).order(type.order());
                    }
                    if (b.capacity() < chunkBytes) {
                        throw new CorruptFileException(file, path + " chunk " + java.util.Arrays.toString(offset),
                                chunkBytes + " decompressed bytes", b.capacity() + " bytes");
                    }
                } catch (HdfException e) {
                    String m = String.valueOf(e.getMessage());
                    if (!m.startsWith("No chunk with offset")) {
                        throw new CorruptFileException(file, path + " chunk " + java.util.Arrays.toString(offset),
                                "a readable chunk", m, e);
                    }
                    b = null;
                } catch (RuntimeException e) {
                    if (e instanceof CorruptFileException) throw e;
                    throw new CorruptFileException(file, path + " chunk " + java.util.Arrays.toString(offset),
                            "a readable chunk", e.toString(), e);
                }
                long budget = Math.max(st.budget, (sigChunks + 1) * chunkBytes);
                st.cache.put(boxed, b);
                st.cachedBytes += b == null ? 0 : b.capacity();
                var it = st.cache.entrySet().iterator();
                while (st.cachedBytes > budget && it.hasNext()) {
                    var e = it.next();
                    if (e.getKey().equals(boxed)) continue;
                    st.cachedBytes -= e.getValue() == null ? 0 : e.getValue().capacity();
                    it.remove();
                }
            }
            st.lastPart = this;
            st.lastKey = key;
            st.lastChunk = b;
            return b;
        }
    }

    /** Compact (tiny) datasets, converted to float32 once at open. */
    static final class MemoryPart extends Part {
        private final float[] values;

        MemoryPart(Path file, String path, int[] dims, int[] navAxes, int rowAxis, int colAxis, ElementType type, float[] values) {
            super(file, path, dims, navAxes, rowAxis, colAxis, type);
            this.values = values;
        }

        @Override
        void readFrame(long f, float[] dst, int off, ThreadState st) {
            long base = 0;
            for (int k = 0; k < navAxes.length; k++) base += navCoord(f, k) * strides[navAxes[k]];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    dst[off + r * cols + c] = values[(int) (base + r * strides[rowAxis] + c * strides[colAxis])];
                }
            }
        }

        static float[] flatten(Object flat) {
            if (flat instanceof float[] a) return a.clone();
            int n = java.lang.reflect.Array.getLength(flat);
            float[] out = new float[n];
            for (int i = 0; i < n; i++) {
                Object v = java.lang.reflect.Array.get(flat, i);
                out[i] = v instanceof java.math.BigInteger bi ? bi.floatValue() : ((Number) v).floatValue();
            }
            return out;
        }
    }
}
