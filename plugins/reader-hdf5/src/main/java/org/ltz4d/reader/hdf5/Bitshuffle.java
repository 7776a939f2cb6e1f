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
    private static final LZ4SafeDecompressor LZ4 = LZ4Factory.fastestJavaInstance().safeDecompressor();

    private Bitshuffle() {
    }

    /**
     * Decodes one chunk. {@code lz4} says whether blocks are LZ4-compressed (cd_values[4] == 2).
     *
     * @throws IllegalArgumentException when the chunk's bytes contradict the layout
     */
    static byte[] decode(byte[] in, int inLen, int elemSize, boolean lz4) {
        if (inLen < 12) throw new IllegalArgumentException("bitshuffle chunk of " + inLen + " bytes has no 12-byte header");
        long total = be64(in, 0);
        long blockBytes = be32(in, 8);
        if (total < 0 || total > Integer.MAX_VALUE - 8 || total % elemSize != 0) {
            throw new IllegalArgumentException("bitshuffle chunk header announces " + total + " bytes");
        }
        int n = (int) (total / elemSize);
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
     * Bit-plane → element order for {@code n} elements (n % 8 == 0) of {@code s} bytes: for each
     * element byte k and each group of 8 elements, the 8 plane bytes form an 8×8 bit matrix that one
     * 64-bit transpose turns into the 8 element bytes.
     */
    static void untranspose(byte[] in, int inOff, int n, int s, byte[] out, int outOff) {
        int planeBytes = n / 8;
        for (int k = 0; k < s; k++) {
            int planeBase = inOff + 8 * k * planeBytes;
            for (int g = 0; g < planeBytes; g++) {
                long x = 0;
                for (int j = 0; j < 8; j++) x |= (in[planeBase + j * planeBytes + g] & 0xFFL) << (8 * j);
                if (x == 0) {
                    int o = outOff + (8 * g) * s + k;
                    for (int i = 0; i < 8; i++) out[o + i * s] = 0;
                    continue;
                }
                x = transpose8(x);
                int o = outOff + (8 * g) * s + k;
                for (int i = 0; i < 8; i++) out[o + i * s] = (byte) (x >>> (8 * i));
            }
        }
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
