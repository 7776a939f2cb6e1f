package org.ltz4d.thickness;

import io.jhdf.HdfFile;
import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.Map;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.DType;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.error.CorruptFileException;
import org.ltz4d.io.FrameDataset;

/**
 * The spectra of a 3-D HDF5 dataset, one per scan position: a block of frames is read one scan row
 * at a time as a jHDF slice (the row's positions × all channels, whatever the axis order), then
 * scattered into spectra (no allocation per frame). Reads are serialised (one jHDF file handle); the row slice is reused
 * when consecutive blocks fall in the same row.
 */
final class Hdf5Spectra extends FrameDataset {
    private final HdfFile hdf;
    private final io.jhdf.api.Dataset data;
    private final int energyAxis, rowAxis, colAxis, channels, cols;
    private final int[] dims, slice;
    /** Strides of the energy and the column axis in the C-order row slice. */
    private final int eStride, cStride;
    private int cachedRow = -1;
    private float[] rowValues;

    Hdf5Spectra(Path source, String format, HdfFile hdf, io.jhdf.api.Dataset data, int energyAxis, int rowAxis, int colAxis, Calibration cal,
            Map<String, String> meta) {
        super(source, format, Shape.of(data.getDimensions()[rowAxis], data.getDimensions()[colAxis]), Shape.of(1, data.getDimensions()[energyAxis]),
                DType.FLOAT32, cal, meta);
        this.hdf = hdf;
        this.data = data;
        this.dims = data.getDimensions();
        this.energyAxis = energyAxis;
        this.rowAxis = rowAxis;
        this.colAxis = colAxis;
        this.channels = dims[energyAxis];
        this.cols = dims[colAxis];
        this.slice = dims.clone();
        slice[rowAxis] = 1;
        int[] stride = {slice[1] * slice[2], slice[2], 1};
        this.eStride = stride[energyAxis];
        this.cStride = stride[colAxis];
    }

    @Override
    public int preferredBlockFrames() {
        return cols;
    }

    @Override
    protected synchronized void decode(long first, int count, float[] dest, int destOffset) {
        for (int k = 0; k < count; k++) {
            long f = first + k;
            int row = (int) (f / cols), col = (int) (f % cols);
            if (row != cachedRow) readRow(row);
            // rowValues is the slice in array order with the row axis of length 1: index by (energy, col)
            int at = destOffset + k * channels;
            for (int e = 0, i = col * cStride; e < channels; e++, i += eStride) dest[at + e] = rowValues[i];
        }
    }

    private void readRow(int row) {
        long[] off = new long[3];
        off[rowAxis] = row;
        Object values;
        try {
            values = data.getData(off, slice);
        } catch (RuntimeException e) {
            throw new CorruptFileException(source(), data.getPath() + " row " + row, "readable data", e.toString(), e);
        }
        int n = channels * cols;
        if (rowValues == null || rowValues.length != n) rowValues = new float[n];
        int got = flatten(values, rowValues, 0);
        if (got != n) throw new CorruptFileException(source(), data.getPath() + " row " + row, n + " values", Integer.toString(got));
        cachedRow = row;
    }

    /** Copies a (multi-dimensional) primitive array into {@code out} in C order; returns the next index. */
    static int flatten(Object a, float[] out, int at) {
        if (a instanceof float[] f) {
            System.arraycopy(f, 0, out, at, f.length);
            return at + f.length;
        }
        if (a instanceof double[] d) {
            for (double v : d) out[at++] = (float) v;
            return at;
        }
        if (a instanceof int[] d) {
            for (int v : d) out[at++] = v;
            return at;
        }
        if (a instanceof long[] d) {
            for (long v : d) out[at++] = v;
            return at;
        }
        if (a instanceof short[] d) {
            for (short v : d) out[at++] = v;
            return at;
        }
        if (a instanceof byte[] d) {
            for (byte v : d) out[at++] = v;
            return at;
        }
        int n = Array.getLength(a);
        for (int i = 0; i < n; i++) at = flatten(Array.get(a, i), out, at);
        return at;
    }

    @Override
    protected void release() {
        hdf.close();
    }
}
