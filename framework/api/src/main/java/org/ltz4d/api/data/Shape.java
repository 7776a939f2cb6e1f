package org.ltz4d.api.data;

import java.util.Arrays;

/** An immutable array shape, slowest axis first (row-major), e.g. (scan_y, scan_x). */
public final class Shape {
    private final int[] dims;

    private Shape(int[] dims) {
        for (int d : dims) {
            if (d <= 0) throw new IllegalArgumentException("shape dimensions must be positive: " + Arrays.toString(dims));
        }
        this.dims = dims;
    }

    public static Shape of(int... dims) {
        return new Shape(dims.clone());
    }

    public int rank() {
        return dims.length;
    }

    public int dim(int axis) {
        return dims[axis];
    }

    public int[] toArray() {
        return dims.clone();
    }

    /** Number of elements (product of the dimensions). */
    public long size() {
        long n = 1;
        for (int d : dims) n *= d;
        return n;
    }

    /** Rows of a 2D shape (first axis). */
    public int rows() {
        return dims[0];
    }

    /** Columns of a 2D shape (last axis). */
    public int cols() {
        return dims[dims.length - 1];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(s.dims, dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < dims.length; i++) sb.append(i > 0 ? ", " : "").append(dims[i]);
        return sb.append(dims.length == 1 ? ",)" : ")").toString();
    }
}
