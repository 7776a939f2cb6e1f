package org.ltz4d.io;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.ltz4d.api.data.DType;

/**
 * Converts stored elements to float32 with absolute gets (no allocation, no position change).
 * Mapped (direct) buffers are read with the buffer's absolute gets, which the JIT compiles to plain
 * loads; heap buffers (decompressed chunks) go through byte-array view VarHandles instead, because
 * a heap ByteBuffer's getShort/getInt were the hot spot in profiles (about 3x slower).
 */
public final class BufferDecode {
    private static final VarHandle I16_LE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I16_BE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle I32_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I32_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle F32_LE = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle F32_BE = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.BIG_ENDIAN);

    private BufferDecode() {
    }

    /** Decodes {@code n} elements of {@code type} from {@code b} at byte index {@code pos} into {@code dst[off..]}. */
    public static void toFloat(ByteBuffer b, int pos, DType type, int n, float[] dst, int off) {
        if (b.hasArray() && fromArray(b.array(), b.arrayOffset() + pos, b.order() == ByteOrder.BIG_ENDIAN, type, n, dst, off)) return;
        switch (type) {
            case UINT8, BOOL -> { for (int i = 0; i < n; i++) dst[off + i] = b.get(pos + i) & 0xFF; }
            case INT8 -> { for (int i = 0; i < n; i++) dst[off + i] = b.get(pos + i); }
            case UINT16 -> { for (int i = 0; i < n; i++) dst[off + i] = b.getShort(pos + 2 * i) & 0xFFFF; }
            case INT16 -> { for (int i = 0; i < n; i++) dst[off + i] = b.getShort(pos + 2 * i); }
            case UINT32 -> { for (int i = 0; i < n; i++) dst[off + i] = b.getInt(pos + 4 * i) & 0xFFFFFFFFL; }
            case INT32 -> { for (int i = 0; i < n; i++) dst[off + i] = b.getInt(pos + 4 * i); }
            case UINT64 -> { for (int i = 0; i < n; i++) dst[off + i] = unsigned(b.getLong(pos + 8 * i)); }
            case INT64 -> { for (int i = 0; i < n; i++) dst[off + i] = b.getLong(pos + 8 * i); }
            case FLOAT32 -> { for (int i = 0; i < n; i++) dst[off + i] = b.getFloat(pos + 4 * i); }
            case FLOAT64 -> { for (int i = 0; i < n; i++) dst[off + i] = (float) b.getDouble(pos + 8 * i); }
        }
    }

    /** The 16- and 32-bit types from a byte array; false for the others (the buffer path handles them). */
    private static boolean fromArray(byte[] a, int p, boolean be, DType type, int n, float[] dst, int off) {
        // each loop names its own static final VarHandle: only a constant handle is inlined
        switch (type) {
            case UINT16 -> {
                if (be) for (int i = 0; i < n; i++) dst[off + i] = ((short) I16_BE.get(a, p + 2 * i)) & 0xFFFF;
                else for (int i = 0; i < n; i++) dst[off + i] = ((short) I16_LE.get(a, p + 2 * i)) & 0xFFFF;
            }
            case INT16 -> {
                if (be) for (int i = 0; i < n; i++) dst[off + i] = (short) I16_BE.get(a, p + 2 * i);
                else for (int i = 0; i < n; i++) dst[off + i] = (short) I16_LE.get(a, p + 2 * i);
            }
            case UINT32 -> {
                if (be) for (int i = 0; i < n; i++) dst[off + i] = ((int) I32_BE.get(a, p + 4 * i)) & 0xFFFFFFFFL;
                else for (int i = 0; i < n; i++) dst[off + i] = ((int) I32_LE.get(a, p + 4 * i)) & 0xFFFFFFFFL;
            }
            case INT32 -> {
                if (be) for (int i = 0; i < n; i++) dst[off + i] = (int) I32_BE.get(a, p + 4 * i);
                else for (int i = 0; i < n; i++) dst[off + i] = (int) I32_LE.get(a, p + 4 * i);
            }
            case FLOAT32 -> {
                if (be) for (int i = 0; i < n; i++) dst[off + i] = (float) F32_BE.get(a, p + 4 * i);
                else for (int i = 0; i < n; i++) dst[off + i] = (float) F32_LE.get(a, p + 4 * i);
            }
            case UINT8 -> {
                for (int i = 0; i < n; i++) dst[off + i] = a[p + i] & 0xFF;
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /** IEEE 754 binary16 elements (MRC mode 12). Hand-written: Float.float16ToFloat needs Java 20. */
    public static void halfToFloat(ByteBuffer b, int pos, int n, float[] dst, int off) {
        for (int i = 0; i < n; i++) dst[off + i] = half(b.getShort(pos + 2 * i));
    }

    public static float half(short h) {
        int bits = h & 0xFFFF;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1F;
        int mant = bits & 0x3FF;
        if (exp == 0x1F) return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
        if (exp == 0) {
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    private static float unsigned(long v) {
        return v >= 0 ? v : (float) ((v >>> 1) * 2.0 + (v & 1));
    }
}
