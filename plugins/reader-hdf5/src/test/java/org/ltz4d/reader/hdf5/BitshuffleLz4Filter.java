package org.ltz4d.reader.hdf5;

import io.jhdf.filter.Filter;
import java.io.ByteArrayOutputStream;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;

/**
 * Test-side encoder of HDF5 filter 32008 (bitshuffle + LZ4), plugged into jHDF's writer so tests and
 * the benchmark can write DECTRIS-style chunks. Filter data: {0, 3, elemSize, blockElems (0 = default), 2}.
 */
final class BitshuffleLz4Filter implements Filter {
    private static final LZ4Compressor LZ4 = LZ4Factory.fastestJavaInstance().fastCompressor();

    @Override
    public int getId() {
        return 32008;
    }

    @Override
    public String getName() {
        return "bitshuffle";
    }

    @Override
    public byte[] decode(byte[] encoded, int[] filterData) {
        return Bitshuffle.decode(encoded, encoded.length, filterData[2], true);
    }

    @Override
    public byte[] encode(byte[] data, int[] filterData) {
        int s = filterData[2];
        int block = filterData[3] == 0 ? Bitshuffle.defaultBlock(s) : filterData[3];
        int n = data.length / s;
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2 + 64);
        writeBe(out, data.length, 8);
        writeBe(out, (long) block * s, 4);
        byte[] t = new byte[block * s];
        byte[] c = new byte[LZ4.maxCompressedLength(block * s)];
        int e = 0;
        while (n - e >= 8) {
            int count = Math.min(block, n - e);
            count -= count % 8;
            transpose(data, e * s, count, s, t);
            int len = LZ4.compress(t, 0, count * s, c, 0, c.length);
            writeBe(out, len, 4);
            out.write(c, 0, len);
            e += count;
        }
        out.write(data, e * s, (n - e) * s);
        return out.toByteArray();
    }

    /** Element order → bit planes (the 8×8 bit transpose is its own inverse). */
    private static void transpose(byte[] in, int inOff, int n, int s, byte[] out) {
        int planeBytes = n / 8;
        for (int k = 0; k < s; k++) {
            for (int g = 0; g < planeBytes; g++) {
                long x = 0;
                for (int i = 0; i < 8; i++) x |= (in[inOff + (8 * g + i) * s + k] & 0xFFL) << (8 * i);
                x = Bitshuffle.transpose8(x);
                for (int j = 0; j < 8; j++) out[(8 * k + j) * planeBytes + g] = (byte) (x >>> (8 * j));
            }
        }
    }

    private static void writeBe(ByteArrayOutputStream out, long v, int bytes) {
        for (int i = bytes - 1; i >= 0; i--) out.write((int) (v >>> (8 * i)) & 0xFF);
    }
}
