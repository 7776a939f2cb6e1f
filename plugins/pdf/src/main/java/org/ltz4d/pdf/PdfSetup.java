package org.ltz4d.pdf;

import org.ltz4d.scattering.Composition;
import org.ltz4d.scattering.ScatteringFactors;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.api.param.ParameterSpec;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.api.units.Unit;

/**
 * Everything about an S(q)/PDF run that does not change from frame to frame, computed once and
 * shared read-only by the workers: the unmasked pixels, the q grid, N-independent scattering
 * factor averages ⟨f²⟩ and ⟨f⟩² on the grid, and the Lorch-windowed sine kernel of the PDF.
 *
 * <p>Grid: bin k is centred at the normalised radius ρ_k = k·Δρ (px), q_k = 2π·s·ρ_k (s = the
 * pixel in Å⁻¹ of s = θ/λ), for k = 0..K with K = floor(q_max/Δq).
 */
public final class PdfSetup {
    public static final Unit PER_CUBIC_ANGSTROM = Unit.of("1/Å³", "number density");
    public static final Unit PER_SQUARE_ANGSTROM = Unit.of("1/Å²", "reduced pair distribution G(r)");
    public static final Unit COUNTS_PER_SQUARE_ANGSTROM = Unit.of("counts/Å²", "intensity per scattering cross-section");
    public static final Unit ATOMS = Unit.of("atoms", "coordination number");
    /** Default of {@code sq-clip-sigma}. */
    public static final double DEFAULT_CLIP_SIGMA = 5.0;

    /** The parameters of the {@code sq} fitter (CLI spellings without dashes). */
    public static List<ParameterSpec> parameterSpecs() {
        return List.of(
                ParameterSpec.text("composition", "composition in at.%, e.g. Fe85.2Si0.5B9.5P4Cu0.8 (normalised)", null),
                ParameterSpec.choice("scattering", "electron scattering factor parametrisation", "lobato", "lobato", "kirkland"),
                ParameterSpec.number("q-min", "lowest q of the PDF transform (below it F(q) is extrapolated linearly to 0)", Unit.INVERSE_ANGSTROM, 1.5, 0, 100),
                ParameterSpec.number("q-max", "highest q of the integration and the PDF transform (default: the circle inscribed in the detector less 2 px)", Unit.INVERSE_ANGSTROM, null, 0, 100),
                ParameterSpec.number("r-max", "largest r of G(r)", Unit.ANGSTROM, 10.0, 0.1, 1000),
                ParameterSpec.number("r-step", "r step of G(r)", Unit.ANGSTROM, 0.01, 1e-4, 10),
                ParameterSpec.number("pdf-peak-r-min", "smallest r searched for the first peak of G(r)", Unit.ANGSTROM, 1.0, 0, 100),
                ParameterSpec.number("number-density", "atomic number density ρ0 (for g(r) and the coordination number)", PER_CUBIC_ANGSTROM, null, 1e-6, 10),
                ParameterSpec.number("beam-stop-radius-px", "pixels closer than this to the pattern centre are left out (direct beam / beam stop)", Unit.PIXEL, 0.0, 0, 1e5),
                ParameterSpec.file("mask", "NumPy .npy bool mask (det_y, det_x), true = dead/hot pixel to leave out"),
                ParameterSpec.number("sq-bin-px", "radial bin width of the azimuthal integration in normalised detector pixels", Unit.PIXEL, 1.0, 0.1, 100),
                ParameterSpec.number("sq-fit-q-min", "lower end of the high-q range where N⟨f²⟩ + background is fitted (default 0.6·q-max)", Unit.INVERSE_ANGSTROM, null, 0, 100),
                ParameterSpec.integer("sq-background-order", "polynomial order in q of the smooth background fitted with N⟨f²⟩ (-1: none)", 0, -1, 3),
                ParameterSpec.number("sq-clip-sigma", "per q bin, pixels more than this many Poisson sigma above (hot) or below (dead, beam-stop shadow) the bin's mean are left out (0: off)", Unit.DIMENSIONLESS, DEFAULT_CLIP_SIGMA, 0, 1000));
    }

    // detector
    final int width;
    final int height;
    /** Per pixel 1 (used) or 0 (masked), row-major. */
    final float[] weight;
    final int usedPixels;
    /** Column index as float, 0..width-1. */
    final float[] columnX;
    final double beamStopPx;
    /** Outlier rejection threshold in Poisson σ (0: off). */
    final double clipSigma;
    // grid
    final double binPx;
    final double dq;
    final int nq;
    final double[] q;
    final double qMax;
    final int iqMin;
    final int iqMax;
    final int iFitMin;
    final int bgOrder;
    final double[] f2;
    final double[] fm2;
    // pdf
    final double rStep;
    final int nr;
    final double[] r;
    /** Row-major nq × nr (q-major, so the product is a sequence of vectorisable axpy): (2/π)·w_k·L(q_k)·sin(q_k·r_j). */
    final float[] kernel;
    final double numberDensity;
    /** First r index searched for the G(r) peak (set from pdf-peak-r-min; 1.0 Å by default). */
    final int peakRMinIndex;
    final Composition composition;
    final ScatteringFactors.Kind scattering;

    /**
     * The user's pixel mask ({@code --mask}, a .npy file) checked against the detector, or null when
     * none is given. The only thing of an S(q) run read from a file: {@link SqFitter#setup} reads it,
     * on the machine that starts the run.
     */
    public static boolean[] readMask(Parameters p, int detY, int detX) {
        Optional<Path> maskFile = p.existingFile("mask");
        return maskFile.isPresent() ? NpyMask.read(maskFile.get(), detY, detX) : null;
    }

    /**
     * Builds the set-up from the run's parameters, calibration, detector shape and pixel mask
     * ({@link #readMask}; null: none). Reads no file.
     */
    public static PdfSetup create(Parameters p, Calibration cal, int detY, int detX, boolean[] mask) {
        double sPerPx = cal.requireInverseAngstromPerPixel("the S(q) q axis (fitter sq)");
        ScatteringFactors.Kind kind = ScatteringFactors.Kind.parse(p.choice("scattering", "lobato", "lobato", "kirkland"));
        Composition comp = Composition.parse("composition", p.requireString("composition", "a composition such as Fe85.2Si0.5B9.5P4Cu0.8 (at.%)"),
                ScatteringFactors.of(kind).symbols());
        double binPx = p.positive("sq-bin-px", 1.0);
        double dq = 2 * Math.PI * sPerPx * binPx;
        double qInscribed = 2 * Math.PI * sPerPx * (Math.min(detX, detY) / 2.0 - 2);
        double qCorner = 2 * Math.PI * sPerPx * Math.hypot(detX, detY) / 2.0;
        double qMax = p.number("q-max", qInscribed);
        if (!(qMax > 0) || qMax > qCorner) {
            throw new InvalidParameterException("q-max", String.format(java.util.Locale.ROOT,
                    "a q in (0, %.4g] 1/Å (the detector's half diagonal at %.5g 1/Å per px)", qCorner, 2 * Math.PI * sPerPx), String.valueOf(qMax));
        }
        double qMin = p.number("q-min", 1.5);
        if (!(qMin >= 0) || qMin >= qMax - 4 * dq) {
            throw new InvalidParameterException("q-min", String.format(java.util.Locale.ROOT, "a q in [0, %.4g) 1/Å (below q-max less 4 bins)", qMax - 4 * dq), String.valueOf(qMin));
        }
        double fitMin = p.number("sq-fit-q-min", 0.6 * qMax);
        if (!(fitMin >= qMin) || fitMin > qMax - 8 * dq) {
            throw new InvalidParameterException("sq-fit-q-min", String.format(java.util.Locale.ROOT, "a q in [q-min, q-max less 8 bins] = [%.4g, %.4g] 1/Å", qMin, qMax - 8 * dq), String.valueOf(fitMin));
        }
        int order = p.integer("sq-background-order", 0);
        if (order < -1 || order > 3) throw new InvalidParameterException("sq-background-order", "an integer in [-1, 3]", String.valueOf(order));
        double rMax = p.positive("r-max", 10.0);
        double rStep = p.positive("r-step", 0.01);
        if (rMax / rStep > 1e6) throw new InvalidParameterException("r-step", "at most 1e6 r points up to r-max", String.valueOf(rStep));
        double peakRMin = p.number("pdf-peak-r-min", 1.0);
        if (!(peakRMin >= 0) || peakRMin >= rMax) throw new InvalidParameterException("pdf-peak-r-min", "an r in [0, r-max) Å", String.valueOf(peakRMin));
        double rho0 = p.number("number-density", Double.NaN);
        if (!Double.isNaN(rho0) && !(rho0 > 0)) throw new InvalidParameterException("number-density", "a positive number of atoms per Å³", String.valueOf(rho0));
        double beamStop = p.number("beam-stop-radius-px", 0.0);
        if (!(beamStop >= 0)) throw new InvalidParameterException("beam-stop-radius-px", "a radius ≥ 0 px", String.valueOf(beamStop));
        double clip = p.number("sq-clip-sigma", DEFAULT_CLIP_SIGMA);
        if (!(clip >= 0) || clip > 1000) throw new InvalidParameterException("sq-clip-sigma", "a number of sigma in [0, 1000] (0: no clipping)", String.valueOf(clip));
        return new PdfSetup(detY, detX, mask, beamStop, binPx, dq, qMin, qMax, fitMin, order, rMax, rStep, peakRMin, rho0, comp, kind, clip);
    }

    /** Explicit set-up (tests, benchmark). */
    public PdfSetup(int detY, int detX, boolean[] mask, double beamStopPx, double binPx, double dq, double qMin, double qMax,
            double fitQMin, int bgOrder, double rMax, double rStep, double peakRMin, double numberDensity, Composition comp,
            ScatteringFactors.Kind kind, double clipSigma) {
        this.clipSigma = clipSigma;
        this.width = detX;
        this.height = detY;
        this.beamStopPx = beamStopPx;
        this.binPx = binPx;
        this.dq = dq;
        this.qMax = qMax;
        this.bgOrder = bgOrder;
        this.numberDensity = numberDensity;
        this.composition = comp;
        this.scattering = kind;
        weight = new float[detX * detY];
        int n = 0;
        for (int i = 0; i < weight.length; i++) {
            weight[i] = mask != null && mask[i] ? 0f : 1f;
            if (weight[i] > 0) n++;
        }
        usedPixels = n;
        columnX = new float[detX];
        for (int x = 0; x < detX; x++) columnX[x] = x;
        iqMax = (int) Math.floor(qMax / dq + 1e-9);
        nq = iqMax + 1;
        iqMin = (int) Math.ceil(qMin / dq - 1e-9);
        iFitMin = (int) Math.ceil(fitQMin / dq - 1e-9);
        q = new double[nq];
        f2 = new double[nq];
        fm2 = new double[nq];
        ScatteringFactors sf = ScatteringFactors.of(kind);
        double[] avg = new double[2];
        for (int k = 0; k < nq; k++) {
            q[k] = k * dq;
            comp.averages(sf, q[k], avg);
            f2[k] = avg[1];
            fm2[k] = avg[0] * avg[0];
        }
        this.rStep = rStep;
        nr = (int) Math.floor(rMax / rStep + 1e-9) + 1;
        r = new double[nr];
        for (int j = 0; j < nr; j++) r[j] = j * rStep;
        peakRMinIndex = (int) Math.ceil(peakRMin / rStep - 1e-9);
        kernel = new float[nr * nq];
        for (int k = 1; k < nq; k++) {
            double x = Math.PI * q[k] / qMax;
            double lorch = x == 0 ? 1 : Math.sin(x) / x;
            double w = (k == iqMax ? 0.5 : 1.0) * dq * lorch * 2 / Math.PI;
            for (int j = 0; j < nr; j++) kernel[k * nr + j] = (float) (w * Math.sin(q[k] * r[j]));
        }
    }

    /** q axis in Å⁻¹ of {@code sq/I} and {@code sq/S}. */
    public double[] q() {
        return q.clone();
    }

    /** r axis in Å of {@code pdf/G}. */
    public double[] r() {
        return r.clone();
    }

    public int nq() {
        return nq;
    }

    public int nr() {
        return nr;
    }

    public boolean hasDensity() {
        return !Double.isNaN(numberDensity);
    }

    /** Attributes describing the run (for the axes in results.h5). */
    public Map<String, Object> attributes() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("composition", composition.toString());
        m.put("scattering", scattering == ScatteringFactors.Kind.LOBATO ? "Lobato & Van Dyck 2014" : "Kirkland 2010");
        m.put("q_min_inv_angstrom", iqMin * dq);
        m.put("q_max_inv_angstrom", qMax);
        m.put("q_fit_min_inv_angstrom", iFitMin * dq);
        m.put("background_order", bgOrder);
        m.put("bin_px", binPx);
        m.put("window", "Lorch");
        m.put("clip_sigma", clipSigma);
        if (hasDensity()) m.put("number_density_per_cubic_angstrom", numberDensity);
        return m;
    }
}
