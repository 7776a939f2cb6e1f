package org.ltz4d.crystalline;

import org.jtransforms.fft.FloatFFT_2D;

/**
 * The probe template of the cross-correlation, shared read-only by all workers: its spectrum
 * (complex, interleaved, h×2w) for an h×w frame, and the disk model the refinement fits. The
 * template is the disk (synthetic, or the measured probe re-centred on pixel (0,0)) minus an
 * annulus of the same integral just outside it, so that a smooth background correlates to zero
 * (and a linear one too, the template being symmetric).
 */
final class Template {
    final int h;
    final int w;
    /**
     * Spectrum of T − i·T² (complex, interleaved, h×2w). T and T² are real, so correlating a real
     * frame with it (F⁻¹[F(I)·conj(S)]) gives the template match C = Σ T·I in the real part and its
     * Poisson variance V = Σ T²·I in the imaginary part of the same inverse FFT: the significance
     * of every correlation peak costs no extra transform.
     */
    final float[] spectrum;
    final DiskModel model;
    /**
     * A measured probe's template before the annulus is taken off (h×w, re-centred on pixel (0,0), divided by the
     * probe's maximum), from which {@link #fromTemplate} rebuilds this template bit for bit; null for a synthetic disk,
     * which its model rebuilds. Never written to.
     */
    final float[] probe;

    private Template(int h, int w, float[] spectrum, DiskModel model, float[] probe) {
        this.h = h;
        this.w = w;
        this.spectrum = spectrum;
        this.model = model;
        this.probe = probe;
    }

    /** A synthetic disk of the given radius and edge width. */
    static Template synthetic(int h, int w, DiskModel m) {
        float[] t = new float[h * w];
        for (int r = 0; r < h; r++) {
            int dy = r <= h / 2 ? r : r - h;
            for (int c = 0; c < w; c++) {
                int dx = c <= w / 2 ? c : c - w;
                t[r * w + c] = (float) m.exact(Math.hypot(dx, dy));
            }
        }
        return of(h, w, t, m, null);
    }

    /**
     * A template from a measured probe pattern (ph×pw): re-centred on its centre of mass (integer
     * shift), radius from the area above half maximum, edge width from the pixels between 10 % and
     * 90 % of the maximum (for an erfc edge these span 2.563·σ along the rim).
     */
    static Template fromProbe(int h, int w, float[] probe, int ph, int pw) {
        double max = 0;
        for (float v : probe) max = Math.max(max, v);
        double sx = 0, sy = 0, s = 0;
        int half = 0, band = 0;
        for (int r = 0; r < ph; r++) {
            for (int c = 0; c < pw; c++) {
                double v = probe[r * pw + c];
                if (v > 0.1 * max) {
                    sx += v * c; sy += v * r; s += v;
                }
                if (v > 0.5 * max) half++;
                if (v > 0.1 * max && v < 0.9 * max) band++;
            }
        }
        if (!(max > 0) || half < 3) throw new IllegalArgumentException("the probe pattern has no disk (maximum " + max + ")");
        double radius = Math.sqrt(half / Math.PI);
        double edge = Math.max(0.3, band / (2 * Math.PI * radius * 2.563));
        int cx = (int) Math.round(sx / s), cy = (int) Math.round(sy / s);
        float[] t = new float[h * w];
        for (int r = 0; r < ph; r++) {
            for (int c = 0; c < pw; c++) {
                int dy = r - cy, dx = c - cx;
                if (Math.abs(dy) >= h / 2 || Math.abs(dx) >= w / 2) continue;
                t[Math.floorMod(dy, h) * w + Math.floorMod(dx, w)] = (float) (probe[r * pw + c] / max);
            }
        }
        return of(h, w, t, new DiskModel(radius, edge), t);
    }

    /**
     * The template of a measured probe from what {@link #fromProbe} made of it: its re-centred pattern
     * {@code disk} (h×w, see {@link #probe}) and its disk model. The same numbers give the same template, bit for bit.
     */
    static Template fromTemplate(int h, int w, float[] disk, DiskModel m) {
        if (disk.length != h * w) throw new IllegalArgumentException("probe template of " + disk.length + " values for a " + h + "×" + w + " frame");
        return of(h, w, disk, m, disk);
    }

    private static Template of(int h, int w, float[] disk, DiskModel m, float[] probe) {
        double inner = m.radius + 2 * m.edge + 1;
        double outer = Math.sqrt(inner * inner + m.radius * m.radius);
        double sum = 0;
        int ring = 0;
        for (int r = 0; r < h; r++) {
            int dy = r <= h / 2 ? r : r - h;
            for (int c = 0; c < w; c++) {
                int dx = c <= w / 2 ? c : c - w;
                double rho = Math.hypot(dx, dy);
                sum += disk[r * w + c];
                if (rho >= inner && rho < outer) ring++;
            }
        }
        float neg = (float) (sum / Math.max(1, ring));
        float[] spec = new float[h * 2 * w];
        float[] spec2 = new float[h * 2 * w];
        for (int r = 0; r < h; r++) {
            int dy = r <= h / 2 ? r : r - h;
            for (int c = 0; c < w; c++) {
                int dx = c <= w / 2 ? c : c - w;
                double rho = Math.hypot(dx, dy);
                float v = disk[r * w + c];
                if (rho >= inner && rho < outer) v -= neg;
                spec[2 * (r * w + c)] = v;
                spec2[2 * (r * w + c)] = v * v;
            }
        }
        FloatFFT_2D fft = new FloatFFT_2D(h, w);
        fft.complexForward(spec);
        fft.complexForward(spec2);
        // S(T) − i·S(T²): −i·(a + ib) = b − ia
        for (int i = 0; i < spec.length; i += 2) {
            spec[i] += spec2[i + 1];
            spec[i + 1] -= spec2[i];
        }
        return new Template(h, w, spec, m, probe);
    }
}
