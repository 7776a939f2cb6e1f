package org.ltz4d.api.data;

/** Element type of a dataset as stored in its file (frames are handed to analyses as float32). */
public enum DType {
    BOOL(1, "bool"), UINT8(1, "uint8"), INT8(1, "int8"), UINT16(2, "uint16"), INT16(2, "int16"),
    UINT32(4, "uint32"), INT32(4, "int32"), UINT64(8, "uint64"), INT64(8, "int64"),
    FLOAT32(4, "float32"), FLOAT64(8, "float64");

    private final int bytes;
    private final String numpyName;

    DType(int bytes, String numpyName) {
        this.bytes = bytes;
        this.numpyName = numpyName;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** The NumPy name (uint16, float32...), used in JSON output. */
    public String numpyName() {
        return numpyName;
    }

    @Override
    public String toString() {
        return numpyName;
    }
}
