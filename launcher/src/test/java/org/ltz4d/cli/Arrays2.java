package org.ltz4d.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What end-to-end tests read back from the files a command wrote, independently of ltz4d's own
 * readers: HDF5 datasets through jHDF and float32 .npy files parsed here, both flattened to
 * row-major float arrays after their shape is checked.
 */
final class Arrays2 {
    private Arrays2() {
    }

    /** The dataset at {@code path} (it must exist and have shape {@code dims}) as a flat row-major float array. */
    static float[] read(HdfFile h5, String path, int... dims) {
        Dataset d = h5.getDatasetByPath(path); // throws when the path does not exist
        assertArrayEquals(dims, d.getDimensions(), path + " shape");
        int n = 1;
        for (int x : dims) n *= x;
        float[] out = new float[n];
        int filled = flatten(d.getData(), out, 0);
        assertEquals(n, filled, path + " values");
        return out;
    }

    private static int flatten(Object a, float[] out, int at) {
        Class<?> c = a.getClass().getComponentType();
        if (c == null) throw new AssertionError("not an array: " + a.getClass());
        int len = Array.getLength(a);
        if (c.isArray()) {
            for (int i = 0; i < len; i++) at = flatten(Array.get(a, i), out, at);
            return at;
        }
        for (int i = 0; i < len; i++) out[at++] = ((Number) Array.get(a, i)).floatValue();
        return at;
    }

    /** A little-endian float32 C-order .npy file of shape {@code dims}. */
    static float[] npy(Path file, int... dims) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[6];
        b.get(magic);
        assertEquals("\u0093NUMPY", new String(magic, StandardCharsets.ISO_8859_1), file + " magic");
        int major = b.get();
        b.get();
        int headerLen = major == 1 ? Short.toUnsignedInt(b.getShort()) : b.getInt();
        byte[] h = new byte[headerLen];
        b.get(h);
        String header = new String(h, StandardCharsets.ISO_8859_1);
        assertTrue(header.contains("'descr': '<f4'") && header.contains("'fortran_order': False"), file + " header " + header);
        Matcher m = Pattern.compile("'shape': \\(([0-9, ]*)\\)").matcher(header);
        assertTrue(m.find(), file + " header " + header);
        String[] parts = m.group(1).replace(" ", "").split(",");
        int[] shape = new int[parts.length];
        for (int i = 0; i < parts.length; i++) shape[i] = Integer.parseInt(parts[i]);
        assertArrayEquals(dims, shape, file + " shape");
        float[] v = new float[b.remaining() / 4];
        b.asFloatBuffer().get(v);
        int n = 1;
        for (int x : dims) n *= x;
        assertEquals(n, v.length, file + " values");
        return v;
    }

    /** How many values are finite. */
    static int finite(float[] v) {
        int n = 0;
        for (float x : v) if (Float.isFinite(x)) n++;
        return n;
    }
}
