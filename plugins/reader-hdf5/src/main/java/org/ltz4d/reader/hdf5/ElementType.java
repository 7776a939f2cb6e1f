package org.ltz4d.reader.hdf5;

import java.nio.ByteOrder;
import java.nio.file.Path;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.FixedPoint;
import io.jhdf.object.datatype.FloatingPoint;
import org.ltz4d.api.data.DType;
import org.ltz4d.api.error.UnsupportedFormatException;

/** A numeric HDF5 element type: what it is reported as, its size and byte order, and whether it is binary16. */
record ElementType(DType dtype, int size, ByteOrder order, boolean half) {

    static ElementType of(Path file, String path, DataType dt) {
        if (dt instanceof FixedPoint fp) {
            boolean s = fp.isSigned();
            DType t = switch (fp.getSize()) {
                case 1 -> s ? DType.INT8 : DType.UINT8;
                case 2 -> s ? DType.INT16 : DType.UINT16;
                case 4 -> s ? DType.INT32 : DType.UINT32;
                case 8 -> s ? DType.INT64 : DType.UINT64;
                default -> null;
            };
            if (t != null) return new ElementType(t, fp.getSize(), fp.getByteOrder(), false);
        } else if (dt instanceof FloatingPoint fl) {
            switch (fl.getSize()) {
                case 2: return new ElementType(DType.FLOAT32, 2, fl.getByteOrder(), true);
                case 4: return new ElementType(DType.FLOAT32, 4, fl.getByteOrder(), false);
                case 8: return new ElementType(DType.FLOAT64, 8, fl.getByteOrder(), false);
                default: break;
            }
        }
        throw new UnsupportedFormatException(file, path, "an integer or floating-point dataset (1, 2, 4 or 8 bytes)",
                dt.getClass().getSimpleName() + " of " + dt.getSize() + " bytes");
    }
}
