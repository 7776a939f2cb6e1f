package org.ltz4d.ltem;

import org.jtransforms.fft.DoubleFFT_2D;

/**
 * A 2D complex FFT plan (JTransforms) for one grid size. Arrays are interleaved complex, row-major:
 * element (r, c) is {@code a[2(r·nx + c)]} (real) and {@code a[2(r·nx + c) + 1]} (imaginary).
 * {@link #forward} is unnormalised, F(q) = Σ f(r)·exp(−2πi q·r); {@link #inverse} divides by N,
 * so inverse(forward(f)) = f. One plan per thread: instances are not shared between threads.
 */
final class Fft2 {
    final int ny;
    final int nx;
    private final DoubleFFT_2D plan;

    Fft2(int ny, int nx) {
        this.ny = ny;
        this.nx = nx;
        this.plan = new DoubleFFT_2D(ny, nx);
    }

    void forward(double[] a) {
        plan.complexForward(a);
    }

    void inverse(double[] a) {
        plan.complexInverse(a, true);
    }

    /** Interleaved complex copy of a real array. */
    static double[] complex(double[] re) {
        double[] c = new double[2 * re.length];
        for (int i = 0; i < re.length; i++) c[2 * i] = re[i];
        return c;
    }

    /** Real parts of an interleaved complex array into {@code out}. */
    static void real(double[] c, double[] out) {
        for (int i = 0; i < out.length; i++) out[i] = c[2 * i];
    }
}
