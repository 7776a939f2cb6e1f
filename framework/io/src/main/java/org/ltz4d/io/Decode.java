package org.ltz4d.io;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import org.ltz4d.api.data.DType;

/**
 * Converts raw pixel bytes (any supported element type, either byte order) into float32. The
 * multi-byte cases read through byte-array view VarHandles, which the JIT turns into plain loads
 * with a byte swap where needed; the switch on the type sits outside the pixel loop. A scratch
 * byte array per thread avoids allocating per frame. 
 */
public final class Decode {
    private static final VarHandle I16_LE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I16_BE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle I32_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I32_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle I64_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I64_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle F32_LE = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle F32_BE = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle F64_LE = MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle F64_BE = MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.BIG_ENDIAN);

    /** Per-thread scratch; holds only a byte[] (no bundle class), so it cannot pin the bundle's class loader. */
    private static final ThreadLocal<byte[]> SCRATCH = new ThreadLocal<>();

    private Decode() {
    }

    /** A per-thread scratch array of at least {@code n} bytes. */
    public static byte[] scratch(int n) {
        byte[] b = SCRATCH.get();
        if (b == null || b.length < n) {
            b = new byte[n];
            SCRATCH.set(b);
        }
        return b;
    }

    /** Converts {@code n} elements of {@code type} from {@code src[srcOff..]} into {@code dst[dstOff..]}. */
    public static void toFloat(DType type, ByteOrder order, byte[] src, int srcOff, int n, float[] dst, int dstOff) {
        boolean be = order == ByteOrder.BIG_ENDIAN;
        switch (type) {
            case UINT8 -> {
                for (int i = 0; i < n; i++) dst[dstOff + i] = src[srcOff + i] & 0xFF;
            }
            case INT8 -> {
                for (int i = 0; i < n; i++) dst[dstOff + i] = src[srcOff + i];
            }
            case BOOL -> {
                for (int i = 0; i < n; i++) dst[dstOff + i] = src[srcOff + i] != 0 ? 1f : 0f;
            }
            // each loop names its static final VarHandle: only a constant handle is inlined by the JIT
            case UINT16 -> {
                if (be) for (int i = 0; i < n; i++) dst[dstOff + i] = ((short) I16_BE.get(src, srcOff + 2 * i)) & 0xFFFF;
                else for (int i = 0; i < n; i++) dst[dstOff + i] = ((short) I16_LE.get(src, srcOff + 2 * i)) & 0xFFFF;
            }
            case INT16 -> {
                if (be) for (int i = 0; i < n; i++) dst[dstOff + i] = (short) I16_BE.get(src, srcOff + 2 * i);
                else for (int i = 0; i < n; i++) dst[dstOff + i] = (short) I16_LE.get(src, srcOff + 2 * i);
            }
            case UINT32 -> {
                if (be) for (int i = 0; i < n; i++) dst[dstOff + i] = ((int) I32_BE.get(src, srcOff + 4 * i)) & 0xFFFFFFFFL;
                else for (int i = 0; i < n; i++) dst[dstOff + i] = ((int) I32_LE.get(src, srcOff + 4 * i)) & 0xFFFFFFFFL;
            }
            case INT32 -> {
                if (be) for (int i = 0; i < n; i++) dst[dstOff + i] = (int) I32_BE.get(src, srcOff + 4 * i);
                else for (int i = 0; i < n; i++) dst[dstOff + i] = (int) I32_LE.get(src, srcOff + 4 * i);
            }
            case UINT64 -> {
                for (int i = 0; i < n; i++) {
                    long v = be ? (long) I64_BE.get(src, srcOff + 8 * i) : (long) I64_LE.get(src, srcOff + 8 * i);
                    // unsigned: values ≥ 2^63 come out negative as signed; add 2^64 back
                    dst[dstOff + i] = v >= 0 ? (float) v : (float) v + 1.8446744e19f;
                }
            }
            case INT64 -> {
                if (be) for (int i = 0; i < n; i++) dst[dstOff + i] = (long) I64_BE.get(src, srcOff + 8 * i);
                else for (int i = 0; i < n; i++) dst[dstOff + i] = (long) I64_LE.get(src, srcOff + 8 * i);
            }
            case FLOAT32 -> {
                if (be) for (int i = 0; i < n; i++) dst[dstOff + i] = (float) F32_BE.get(src, srcOff + 4 * i);
                else for (int i = 0; i < n; i++) dst[dstOff + i] = (float) F32_LE.get(src, srcOff + 4 * i);
            }
            case FLOAT64 -> {
                if (be) for (int i = 0; i < n; i++) dst[dstOff + i] = (float) (double) F64_BE.get(src, srcOff + 8 * i);
                else for (int i = 0; i < n; i++) dst[dstOff + i] = (float) (double) F64_LE.get(src, srcOff + 8 * i);
            }
            default -> throw new IllegalArgumentException("no conversion for " + type);
        }
    }
}
