package org.ltz4d.reader.hdf5;

import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * Decoder of HDF5 filter 32008 (bitshuffle, optionally LZ4), the layout DECTRIS detectors write.
 * Hand-written because jHDF 0.13.0's filter fails on chunks whose element count is not a multiple
 * of the block size (IndexOutOfBoundsException on 18 of the 21 datasets of the bitshuffle project's
 * regression file); LZ4 blocks go through lz4-java, which jHDF already depends on.
 *
 * <p>Chunk: u64 BE uncompressed bytes, u32 BE block bytes, then per block of {@code b} elements
 * (u32 BE compressed length + an LZ4 block, when LZ4) the bit-transposed elements: 8·s bit-planes of
 * b/8 bytes, where bit j of byte k of element e is bit e%8 of byte e/8 of plane 8k+j. A last partial
 * block keeps a multiple of 8 elements; fewer than 8 leftover elements are stored raw at the end.
 */
final class Bitshuffle {
    /** lz4-java's JNI decompressor when its native library loads (about 5x faster here), else its pure-Java one. */
    private static final LZ4SafeDecompressor LZ4 = LZ4Factory.fastestInstance().safeDecompressor();
    private static final java.lang.invoke.VarHandle LONG_LE =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    private Bitshuffle() {
    }

    /**
     * Decodes one chunk. {@code lz4} says whether blocks are LZ4-compressed (cd_values[4] == 2).
     *
     * @throws IllegalArgumentException when the chunk's bytes contradict the layout
     */
    static byte[] decode(byte[] in, int inLen, int elemSize, boolean lz4) {
        return decode(in, inLen, elemSize, lz4, Integer.MAX_VALUE - 8);
    }

    /** Largest block accepted beyond the chunk size: bitshuffle's blocks are a few KiB. */
    static final long MAX_BLOCK_BYTES = 1 << 20;

    /**
     * As {@link #decode(byte[], int, int, boolean)}, refusing (before allocating) a chunk whose
     * header announces more than {@code maxBytes} decoded bytes (the dataset's chunk size).
     */
    static byte[] decode(byte[] in, int inLen, int elemSize, boolean lz4, long maxBytes) {
        if (inLen < 12) throw new IllegalArgumentException("bitshuffle chunk of " + inLen + " bytes has no 12-byte header");
        long total = be64(in, 0);
        long blockBytes = be32(in, 8);
        if (total < 0 || total > Integer.MAX_VALUE - 8 || total % elemSize != 0) {
            throw new IllegalArgumentException("bitshuffle chunk header announces " + total + " bytes");
        }
        int n = (int) (total / elemSize);
        if (total > maxBytes) {
            throw new IllegalArgumentException("bitshuffle chunk header announces " + total + " bytes, more than the chunk's " + maxBytes);
        }
        if (blockBytes > Math.max(total, MAX_BLOCK_BYTES)) {
            throw new IllegalArgumentException("bitshuffle block of " + blockBytes + " bytes in a chunk of " + total + " bytes");
        }
        int block = blockBytes == 0 ? defaultBlock(elemSize) : (int) (blockBytes / elemSize);
        if (block <= 0 || block % 8 != 0) throw new IllegalArgumentException("bitshuffle block of " + block + " elements");
        byte[] out = new byte[(int) total];
        byte[] scratch = new byte[block * elemSize];
        int pos = 12;
        int e = 0;
        while (n - e >= 8) {
            int count = Math.min(block, n - e);
            count -= count % 8;
            int bytes = count * elemSize;
            if (lz4) {
                if (pos + 4 > inLen) throw new IllegalArgumentException("bitshuffle chunk ends inside a block header");
                int clen = (int) be32(in, pos);
                pos += 4;
                if (clen < 0 || pos + clen > inLen) throw new IllegalArgumentException("bitshuffle LZ4 block of " + clen + " bytes overruns the chunk");
                int got = LZ4.decompress(in, pos, clen, scratch, 0, bytes);
                if (got != bytes) throw new IllegalArgumentException("LZ4 block gave " + got + " bytes, expected " + bytes);
                pos += clen;
                untranspose(scratch, 0, count, elemSize, out, e * elemSize);
            } else {
                if (pos + bytes > inLen) throw new IllegalArgumentException("bitshuffle chunk ends inside a block");
                untranspose(in, pos, count, elemSize, out, e * elemSize);
                pos += bytes;
            }
            e += count;
        }
        int rest = (n - e) * elemSize;
        if (rest > 0) {
            if (pos + rest > inLen) throw new IllegalArgumentException("bitshuffle chunk ends inside its raw tail");
            System.arraycopy(in, pos, out, e * elemSize, rest);
        }
        return out;
    }

    static int defaultBlock(int elemSize) {
        int b = 8192 / elemSize;
        b -= b % 8;
        return Math.max(b, 128);
    }

    /**
     * Bit-plane → element order for {@code n} elements (n % 8 == 0) of {@code s} bytes, into an
     * {@code out} that is zero-filled (zero groups are skipped). For element byte k, eight groups of
     * 8 elements at a time: one little-endian long per plane (8 groups' bytes), an 8×8 byte transpose
     * gives each group's 8 plane bytes, and an 8×8 bit transpose turns those into the 8 element bytes.
     */
    static void untranspose(byte[] in, int inOff, int n, int s, byte[] out, int outOff) {
        int planeBytes = n / 8;
        int wide = planeBytes & ~7;
        for (int k = 0; k < s; k++) {
            int planeBase = inOff + 8 * k * planeBytes;
            for (int g = 0; g < wide; g += 8) {
                int at = planeBase + g;
                long a0 = (long) LONG_LE.get(in, at);
                long a1 = (long) LONG_LE.get(in, at + planeBytes);
                long a2 = (long) LONG_LE.get(in, at + 2 * planeBytes);
                long a3 = (long) LONG_LE.get(in, at + 3 * planeBytes);
                long a4 = (long) LONG_LE.get(in, at + 4 * planeBytes);
                long a5 = (long) LONG_LE.get(in, at + 5 * planeBytes);
                long a6 = (long) LONG_LE.get(in, at + 6 * planeBytes);
                long a7 = (long) LONG_LE.get(in, at + 7 * planeBytes);
                if ((a0 | a1 | a2 | a3 | a4 | a5 | a6 | a7) == 0) continue;
                long t;
                // 8x8 byte transpose: afterwards byte j of a_b is byte b of the original a_j
                t = ((a0 >>> 8) ^ a1) & 0x00FF00FF00FF00FFL; a1 ^= t; a0 ^= t << 8;
                t = ((a2 >>> 8) ^ a3) & 0x00FF00FF00FF00FFL; a3 ^= t; a2 ^= t << 8;
                t = ((a4 >>> 8) ^ a5) & 0x00FF00FF00FF00FFL; a5 ^= t; a4 ^= t << 8;
                t = ((a6 >>> 8) ^ a7) & 0x00FF00FF00FF00FFL; a7 ^= t; a6 ^= t << 8;
                t = ((a0 >>> 16) ^ a2) & 0x0000FFFF0000FFFFL; a2 ^= t; a0 ^= t << 16;
                t = ((a1 >>> 16) ^ a3) & 0x0000FFFF0000FFFFL; a3 ^= t; a1 ^= t << 16;
                t = ((a4 >>> 16) ^ a6) & 0x0000FFFF0000FFFFL; a6 ^= t; a4 ^= t << 16;
                t = ((a5 >>> 16) ^ a7) & 0x0000FFFF0000FFFFL; a7 ^= t; a5 ^= t << 16;
                t = ((a0 >>> 32) ^ a4) & 0x00000000FFFFFFFFL; a4 ^= t; a0 ^= t << 32;
                t = ((a1 >>> 32) ^ a5) & 0x00000000FFFFFFFFL; a5 ^= t; a1 ^= t << 32;
                t = ((a2 >>> 32) ^ a6) & 0x00000000FFFFFFFFL; a6 ^= t; a2 ^= t << 32;
                t = ((a3 >>> 32) ^ a7) & 0x00000000FFFFFFFFL; a7 ^= t; a3 ^= t << 32;
                int o = outOff + 8 * g * s + k;
                store(a0, out, o, s);
                store(a1, out, o + 8 * s, s);
                store(a2, out, o + 16 * s, s);
                store(a3, out, o + 24 * s, s);
                store(a4, out, o + 32 * s, s);
                store(a5, out, o + 40 * s, s);
                store(a6, out, o + 48 * s, s);
                store(a7, out, o + 56 * s, s);
            }
            for (int g = wide; g < planeBytes; g++) {
                long x = 0;
                for (int j = 0; j < 8; j++) x |= (in[planeBase + j * planeBytes + g] & 0xFFL) << (8 * j);
                store(x, out, outOff + (8 * g) * s + k, s);
            }
        }
    }

    /** Bit-transposes one group's 8 plane bytes and writes the 8 element bytes at stride {@code s}. */
    private static void store(long planes, byte[] out, int o, int s) {
        if (planes == 0) return;
        long x = transpose8(planes);
        if (s == 1) {
            LONG_LE.set(out, o, x);
            return;
        }
        for (int i = 0; i < 8; i++) out[o + i * s] = (byte) (x >>> (8 * i));
    }

    /** Transposes the 8×8 bit matrix whose row r is byte r (LSB first) and column c is bit c. */
    static long transpose8(long x) {
        long t;
        t = (x ^ (x >>> 7)) & 0x00AA00AA00AA00AAL;
        x = x ^ t ^ (t << 7);
        t = (x ^ (x >>> 14)) & 0x0000CCCC0000CCCCL;
        x = x ^ t ^ (t << 14);
        t = (x ^ (x >>> 28)) & 0x00000000F0F0F0F0L;
        x = x ^ t ^ (t << 28);
        return x;
    }

    private static long be64(byte[] b, int o) {
        long v = 0;
        for (int i = 0; i < 8; i++) v = (v << 8) | (b[o + i] & 0xFF);
        return v;
    }

    private static long be32(byte[] b, int o) {
        return ((b[o] & 0xFFL) << 24) | ((b[o + 1] & 0xFF) << 16) | ((b[o + 2] & 0xFF) << 8) | (b[o + 3] & 0xFF);
    }
}
