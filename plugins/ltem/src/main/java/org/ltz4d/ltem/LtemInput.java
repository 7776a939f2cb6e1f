package org.ltz4d.ltem;

import java.util.ArrayList;
import java.util.List;
import org.ltz4d.api.analysis.AnalysisContext;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.ImageRegistration;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.analysis.RegistrationOptions;
import org.ltz4d.api.analysis.SimilarityTransform;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.error.InvalidInputException;
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.api.error.MissingCalibrationException;
import org.ltz4d.api.error.PluginException;
import org.ltz4d.api.error.ShapeMismatchException;
import org.ltz4d.api.param.ParameterSpec;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.api.units.Unit;

/**
 * The Lorentz TEM input convention shared by {@code ltem-tie} and {@code ltem-fit}: images in maps
 * {@code ltem/image_0}, {@code ltem/image_1}, … (2D, same shape), parameters {@code defocus-nm}
 * (over-focus per image, DESIGN.md §3 sign, or one value D meaning −D, 0, +D for three images /
 * −D, +D for two / D for one), {@code pixel-nm} and {@code beam-kv} (else from the calibration's
 * scan step and beam energy), {@code flip-images} (indices of the flipped-sample series).
 * Each image is normalised to mean 1.
 */
final class LtemInput {
    static final String IMAGE_PREFIX = "ltem/image_";
    static final Unit PER_NM = Unit.of("1/nm", "spatial frequency");

    static final ParameterSpec DEFOCUS = new ParameterSpec("defocus-nm", ParameterSpec.Type.DOUBLE_LIST,
            "over-focus of each image in nm (z > 0 over-focus; Kirkland's Δf = −z), or one value D meaning −D,0,+D",
            Unit.NANOMETRE, null, -1e9, 1e9, List.of());
    static final ParameterSpec PIXEL = ParameterSpec.number("pixel-nm", "image pixel size (default: the calibration's scan step)",
            Unit.NANOMETRE, null, 1e-6, 1e6);
    static final ParameterSpec BEAM = ParameterSpec.number("beam-kv", "beam energy (default: the calibration's)",
            Unit.KILOVOLT, null, 1, 5000);
    static final ParameterSpec QC = ParameterSpec.number("qc", "Tikhonov frequency of the inverse Laplacian (0 = none)",
            PER_NM, 0.0, 0, 1e3);
    static final ParameterSpec FLIP = new ParameterSpec("flip-images", ParameterSpec.Type.INT_LIST,
            "indices of the images of the flipped-sample series (same defocus order, registered to the others); "
                    + "the magnetic phase is then (φ − φ_flipped)/2",
            Unit.DIMENSIONLESS, null, 0, 0, List.of());
    static final ParameterSpec MIRROR = new ParameterSpec("mirror-pad", ParameterSpec.Type.BOOLEAN,
            "symmetrise (mirror-pad) before Fourier solving", Unit.DIMENSIONLESS, "true", 0, 1, List.of());
    static final ParameterSpec TIE_MODE = ParameterSpec.choice("tie-intensity",
            "TIE with the measured in-focus intensity (full) or a uniform one (uniform)", "full", "full", "uniform");
    /** The name of the service {@code --align similarity} needs, in its error. */
    static final String REGISTRATION_SERVICE = "image registration";
    static final ParameterSpec ALIGN = ParameterSpec.choice("align",
            "register the images before the phase retrieval: none, shift (sub-pixel cross-correlation against the reference image; "
                    + "each image is moved by a Fourier phase ramp, periodic boundaries), or similarity (as shift within the reference's "
                    + "series; the other series' images, e.g. of the flipped sample, by rotation, scale, shift and a mirror to the image at "
                    + "the same defocus; bicubic resampling, edges repeated)", "none", "none", "shift", "similarity");
    static final ParameterSpec ALIGN_MAX_ROTATION = ParameterSpec.number("align-max-rotation-deg",
            "with --align similarity: the rotations searched before the refinement, ± this", Unit.DEGREE, 10.0, 0, 180);
    static final ParameterSpec ALIGN_REFERENCE = ParameterSpec.integer("align-reference",
            "index of the image the others are registered to (default: the in-focus image of the series, else its middle one)", null, 0, 100000);
    static final ParameterSpec ALIGN_UPSAMPLE = ParameterSpec.integer("align-upsample",
            "sub-pixel refinement of the registration: the shift is found to 1/N pixel", 100, 1, 1000);

    final Grid grid;
    final double beamKv;
    final double lambdaNm;
    final double[][] images;      // the (unflipped) series, normalised
    final double[][] flipped;     // the flipped series or null
    final double[] defocusNm;
    final double qc;
    final boolean mirror;
    final Tie.Mode tieMode;
    /** Per input image (in {@code ltem/image_k} order): the shift (dy, dx) in pixels removed by the alignment, or null without it. */
    Registration.Shift[] shifts;
    /** With {@code --align similarity}: per input image the transform removed (else null). */
    SimilarityTransform[] transforms;
    int alignReference = -1;

    private LtemInput(Grid grid, double beamKv, double[][] images, double[][] flipped, double[] defocusNm, double qc,
            boolean mirror, Tie.Mode tieMode) {
        this.grid = grid;
        this.beamKv = beamKv;
        this.lambdaNm = Optics.wavelengthNm(beamKv);
        this.images = images;
        this.flipped = flipped;
        this.defocusNm = defocusNm;
        this.qc = qc;
        this.mirror = mirror;
        this.tieMode = tieMode;
    }

    static List<ParameterSpec> specs() {
        return List.of(DEFOCUS, PIXEL, BEAM, QC, FLIP, MIRROR, TIE_MODE, ALIGN, ALIGN_REFERENCE, ALIGN_UPSAMPLE, ALIGN_MAX_ROTATION);
    }

    /**
     * The input of {@code retrieval}'s run; {@code registration} is the image registration service
     * {@code --align similarity} needs (null when none is active: then that option fails with a
     * {@link PluginException} naming it, the others work).
     */
    static LtemInput from(MapSet maps, AnalysisContext ctx, String retrieval, ImageRegistration registration) {
        Parameters p = ctx.parameters();
        Calibration cal = ctx.calibration();
        List<DataMap> all = new ArrayList<>();
        for (int i = 0; maps.contains(IMAGE_PREFIX + i); i++) all.add(maps.require(IMAGE_PREFIX + i));
        if (all.isEmpty()) {
            throw new InvalidInputException(null, IMAGE_PREFIX + "0", "at least one Lorentz TEM image in maps " + IMAGE_PREFIX + "0, "
                    + IMAGE_PREFIX + "1, …", "maps " + maps.paths());
        }
        DataMap first = all.get(0);
        if (first.shape().rank() != 2) {
            throw new ShapeMismatchException(null, first.path(), "a 2D image", "shape " + first.shape());
        }
        int ny = first.shape().rows(), nx = first.shape().cols();
        if (ny < 8 || nx < 8) throw new ShapeMismatchException(null, first.path(), "an image of at least 8×8 pixels", "shape " + first.shape());
        double[][] raw = new double[all.size()][];
        for (int i = 0; i < all.size(); i++) {
            DataMap d = all.get(i);
            if (!d.shape().equals(first.shape())) {
                throw new ShapeMismatchException(null, d.path(), "the shape of " + first.path() + " " + first.shape(), "shape " + d.shape());
            }
            raw[i] = normalised(d);
        }
        boolean[] isFlip = new boolean[raw.length];
        int nFlip = 0;
        if (p.has(FLIP.name())) {
            int[] idx = p.intList(FLIP.name(), 0).orElseThrow();
            for (int i : idx) {
                if (i < 0 || i >= raw.length) throw new InvalidParameterException(FLIP.name(), "image indices in [0, " + (raw.length - 1) + "]", p.string(FLIP.name(), ""));
                if (!isFlip[i]) nFlip++;
                isFlip[i] = true;
            }
        }
        int nSeries = raw.length - nFlip;
        if (nFlip > 0 && nFlip != nSeries) {
            throw new InvalidParameterException(FLIP.name(), "as many flipped images as unflipped ones (" + nSeries + ")", p.string(FLIP.name(), ""));
        }
        double[] z = defocus(p, nSeries);
        Registration.Shift[] shifts = null;
        SimilarityTransform[] transforms = null;
        int refIndex = -1;
        String alignMode = p.choice(ALIGN.name(), "none", "none", "shift", "similarity");
        if ("similarity".equals(alignMode)) {
            if (registration == null) {
                throw new PluginException(REGISTRATION_SERVICE, "needed by --" + ALIGN.name() + " similarity of " + retrieval
                        + " is not installed or not active (the ImageRegistration service of bundle org.ltz4d.registration; "
                        + "--" + ALIGN.name() + " shift works without it)", null);
            }
            refIndex = alignReference(p, isFlip, z);
            double maxRot = p.number(ALIGN_MAX_ROTATION.name(), 10);
            if (!(maxRot >= 0 && maxRot <= 180)) {
                throw new InvalidParameterException(ALIGN_MAX_ROTATION.name(), "0 to 180 degrees", p.string(ALIGN_MAX_ROTATION.name(), ""));
            }
            int up = p.integer(ALIGN_UPSAMPLE.name(), 100);
            if (up < 1 || up > 1000) throw new InvalidParameterException(ALIGN_UPSAMPLE.name(), "an integer in [1, 1000]", Integer.toString(up));
            transforms = alignSimilarity(registration, raw, refIndex, ny, nx, up, maxRot, allDefocus(isFlip, z), isFlip, pixelX(p, cal),
                    p.has(BEAM.name()) ? p.positive(BEAM.name(), 300) : cal.requireBeamKv("Lorentz TEM image alignment"));
            shifts = new Registration.Shift[transforms.length];
            for (int i = 0; i < transforms.length; i++) {
                shifts[i] = new Registration.Shift(transforms[i].shiftYPx(), transforms[i].shiftXPx(), transforms[i].ncc());
            }
        }
        if ("shift".equals(alignMode)) {
            refIndex = alignReference(p, isFlip, z);
            int up = p.integer(ALIGN_UPSAMPLE.name(), 100);
            if (up < 1 || up > 1000) throw new InvalidParameterException(ALIGN_UPSAMPLE.name(), "an integer in [1, 1000]", Integer.toString(up));
            shifts = align(raw, refIndex, ny, nx, up, allDefocus(isFlip, z), isFlip, pixelX(p, cal), p.has(BEAM.name()) ? p.positive(BEAM.name(), 300)
                    : cal.requireBeamKv("Lorentz TEM image alignment"));
        }
        double[][] series = new double[nSeries][];
        double[][] flips = nFlip > 0 ? new double[nFlip][] : null;
        for (int i = 0, a = 0, b = 0; i < raw.length; i++) {
            if (isFlip[i]) flips[b++] = raw[i];
            else series[a++] = raw[i];
        }
        double pixel = pixelX(p, cal);
        double pixelY = p.has(PIXEL.name()) ? pixel : cal.scanStepYNm().orElse(pixel);
        double kv = p.has(BEAM.name()) ? p.positive(BEAM.name(), 300) : cal.requireBeamKv("Lorentz TEM phase retrieval");
        double qc = p.number(QC.name(), 0);
        if (!(qc >= 0)) throw new InvalidParameterException(QC.name(), "a number ≥ 0 (1/nm)", p.string(QC.name(), ""));
        boolean mirror = !p.has(MIRROR.name()) || p.flag(MIRROR.name());
        Tie.Mode mode = "uniform".equals(p.choice(TIE_MODE.name(), "full", "full", "uniform")) ? Tie.Mode.UNIFORM : Tie.Mode.FULL;
        LtemInput in = new LtemInput(new Grid(ny, nx, pixelY, pixel), kv, series, flips, z, qc, mirror, mode);
        in.shifts = shifts;
        in.transforms = transforms;
        in.alignReference = refIndex;
        return in;
    }

    /** The reference of the alignment: {@code align-reference}, else the series' in-focus image, else its middle one (input index). */
    private static int alignReference(Parameters p, boolean[] isFlip, double[] z) {
        if (p.has(ALIGN_REFERENCE.name())) {
            int r = p.integer(ALIGN_REFERENCE.name(), 0);
            if (r < 0 || r >= isFlip.length) {
                throw new InvalidParameterException(ALIGN_REFERENCE.name(), "an image index in [0, " + (isFlip.length - 1) + "]", Integer.toString(r));
            }
            return r;
        }
        int[] seriesIdx = new int[z.length];
        for (int i = 0, a = 0; i < isFlip.length; i++) if (!isFlip[i]) seriesIdx[a++] = i;
        for (int k = 0; k < z.length; k++) if (z[k] == 0) return seriesIdx[k];
        return seriesIdx[z.length / 2];
    }

    /**
     * The low-pass (cycles per pixel) of the registration of images a defocus difference {@code dz}
     * apart: σ_q with πλ|dz|·(5σ_q)² = 1, so the Fresnel phase πλ|dz|q² at σ_q is 0.04 rad and the
     * contrasts of the two images still agree there (a weaker low-pass lets the defocus fringes
     * pull the correlation peak by pixels on a film with flat, featureless areas).
     */
    static double alignLowPass(double pixelNm, double lambdaNm, double dzNm) {
        if (dzNm == 0) return Double.POSITIVE_INFINITY;
        return pixelNm / (5 * Math.sqrt(Math.PI * lambdaNm * Math.abs(dzNm)));
    }

    private static double[] allDefocus(boolean[] isFlip, double[] z) {
        double[] out = new double[isFlip.length];
        for (int i = 0, a = 0, b = 0; i < isFlip.length; i++) out[i] = isFlip[i] ? z[b++] : z[a++];
        return out;
    }

    private static double pixelX(Parameters p, Calibration cal) {
        return p.has(PIXEL.name()) ? p.positive(PIXEL.name(), 1)
                : cal.scanStepXNm().orElseThrow(() -> new MissingCalibrationException(null, "pixel size",
                        "the image pixel size from the file or --pixel-nm P", "none"));
    }

    /**
     * Registers every image to {@code raw[ref]} in place; returns the shifts removed (pixels). First
     * each image against the reference with the low-pass of their defocus difference
     * ({@link #alignLowPass}). Then, for an image at z whose group (flipped or not) holds the
     * reference at z = 0 and a partner at −z, the Fresnel terms odd in z cancel in the pair:
     * I(z) ≈ 2·I(0) − I(−z), so it is registered again against that template (the partner as
     * aligned so far) with a four times wider pass band; three rounds.
     */
    static Registration.Shift[] align(double[][] raw, int ref, int ny, int nx, int upsample, double[] zNm, boolean[] isFlip,
            double pixelNm, double kv) {
        Registration reg = new Registration(ny, nx, upsample);
        double lambda = Optics.wavelengthNm(kv);
        Registration.Shift[] out = new Registration.Shift[raw.length];
        double[][] orig = raw.clone();
        int[] partner = new int[raw.length];
        java.util.Arrays.fill(partner, -1);
        for (int i = 0; i < raw.length; i++) {
            if (i == ref) {
                out[i] = new Registration.Shift(0, 0, 1);
                continue;
            }
            out[i] = reg.measure(raw[ref], orig[i], alignLowPass(pixelNm, lambda, zNm[i] - zNm[ref]));
            raw[i] = reg.shift(orig[i], -out[i].dy(), -out[i].dx());
            if (zNm[ref] != 0 || zNm[i] == 0 || isFlip[i] != isFlip[ref]) continue;
            for (int j = 0; j < raw.length; j++) if (j != i && isFlip[j] == isFlip[i] && zNm[j] == -zNm[i]) partner[i] = j;
        }
        double[] template = new double[ny * nx];
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < raw.length; i++) {
                int j = partner[i];
                if (j < 0) continue;
                for (int p = 0; p < template.length; p++) template[p] = 2 * raw[ref][p] - raw[j][p];
                out[i] = reg.measure(template, orig[i], 4 * alignLowPass(pixelNm, lambda, zNm[i]));
                raw[i] = reg.shift(orig[i], -out[i].dy(), -out[i].dx());
            }
        }
        return out;
    }

    /**
     * {@code --align similarity}: the images of the reference's series (flipped or not) are
     * shift-aligned as by {@link #align} (within a series the specimen only drifts); each image of
     * the other series is then registered by a similarity transform (the {@link ImageRegistration}
     * service: rotation, scale, shift, mirror; ±{@code maxRot} searched) to the aligned image of the
     * reference's series at the same defocus, so
     * the two show the same Fresnel contrast and the scale is not confused with the defocus
     * (without such a partner: to the reference, low-passed for their defocus difference). The other
     * series is one specimen turned over once, so it gets one rotation, scale and mirror: the median
     * over its images (the reversed magnetic contrast biases single images, most the over-focus
     * scale), each image's shift then refined with them held. Images are resampled in place; the
     * transforms removed are returned (shifts as rotation 0, scale 1).
     */
    static SimilarityTransform[] alignSimilarity(ImageRegistration registration, double[][] raw, int ref, int ny, int nx, int upsample,
            double maxRot, double[] zNm, boolean[] isFlip, double pixelNm, double kv) {
        int n = raw.length;
        int[] group = java.util.stream.IntStream.range(0, n).filter(i -> isFlip[i] == isFlip[ref]).toArray();
        double[][] sub = new double[group.length][];
        double[] subZ = new double[group.length];
        int subRef = 0;
        for (int k = 0; k < group.length; k++) {
            sub[k] = raw[group[k]];
            subZ[k] = zNm[group[k]];
            if (group[k] == ref) subRef = k;
        }
        Registration.Shift[] s = align(sub, subRef, ny, nx, upsample, subZ, new boolean[group.length], pixelNm, kv);
        SimilarityTransform[] out = new SimilarityTransform[n];
        for (int k = 0; k < group.length; k++) {
            raw[group[k]] = sub[k];
            out[group[k]] = new SimilarityTransform(0, 1, s[k].dx(), s[k].dy(), false, s[k].peak(), 1);
        }
        Shape shape = Shape.of(ny, nx);
        RegistrationOptions search = RegistrationOptions.DEFAULTS.withMaxRotationDeg(maxRot).withMirror(true);
        double lambda = Optics.wavelengthNm(kv);
        int[] others = java.util.stream.IntStream.range(0, n).filter(i -> isFlip[i] != isFlip[ref]).toArray();
        int[] target = new int[n];
        double[][] q = new double[n][];
        for (int i : others) {
            target[i] = ref;
            for (int g : group) if (zNm[g] == zNm[i]) target[i] = g;
            double qs = target[i] == ref ? alignLowPass(pixelNm, lambda, zNm[i] - zNm[ref]) : Double.POSITIVE_INFINITY;
            try {
                out[i] = registration.register(raw[target[i]], shape, raw[i], shape, search.withLowPass(qs));
            } catch (InvalidInputException e) {
                throw new InvalidInputException(null, IMAGE_PREFIX + i, "an image that a similarity within ±" + maxRot + "° maps onto "
                        + IMAGE_PREFIX + target[i], e.getMessage(), e);
            }
            q[i] = new double[] {qs};
        }
        if (others.length >= 2) {
            // one specimen turned over once: one rotation, scale and mirror for the whole other series (the median over its
            // images, the majority's mirror), then each image's shift refined with them held
            double[] rot = new double[others.length], sc = new double[others.length];
            int mirrored = 0;
            for (int k = 0; k < others.length; k++) {
                rot[k] = out[others[k]].rotationDeg();
                sc[k] = out[others[k]].scale();
                if (out[others[k]].mirror()) mirrored++;
            }
            java.util.Arrays.sort(rot);
            java.util.Arrays.sort(sc);
            double r = median(rot), scale = median(sc);
            boolean mirror = 2 * mirrored > others.length;
            for (int i : others) {
                SimilarityTransform t = out[i];
                SimilarityTransform start = SimilarityTransform.of(r, scale, t.mirror() == mirror ? t.shiftXPx() : 0,
                        t.mirror() == mirror ? t.shiftYPx() : 0, mirror);
                out[i] = registration.register(raw[target[i]], shape, raw[i], shape, search.withLowPass(q[i][0]).withHeld(start));
            }
        }
        for (int i : others) raw[i] = registration.resample(raw[i], shape, out[i], shape, true);
        return out;
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    }

    /** Logs the alignment and records the shifts as {@code NAME.align_dy_px_k}, {@code NAME.align_dx_px_k}. */
    void reportAlignment(String name, java.util.Map<String, Object> stats, AnalysisContext ctx) {
        if (shifts == null) return;
        StringBuilder sb = new StringBuilder(name + ": aligned to image " + alignReference + ", shifts (dy, dx) px:");
        stats.put(name + ".align_reference", alignReference);
        for (int k = 0; k < shifts.length; k++) {
            Registration.Shift s = shifts[k];
            stats.put(name + ".align_dy_px_" + k, s.dy());
            stats.put(name + ".align_dx_px_" + k, s.dx());
            stats.put(name + ".align_peak_" + k, s.peak());
            sb.append(String.format(" [%d] (%.2f, %.2f)", k, s.dy(), s.dx()));
            if (transforms != null) {
                SimilarityTransform t = transforms[k];
                stats.put(name + ".align_rotation_deg_" + k, t.rotationDeg());
                stats.put(name + ".align_scale_" + k, t.scale());
                stats.put(name + ".align_mirror_" + k, t.mirror() ? 1 : 0);
                sb.append(String.format(" rot %.3f° scale %.5f%s", t.rotationDeg(), t.scale(), t.mirror() ? " mirrored" : ""));
            }
        }
        if (transforms != null) {
            stats.put(name + ".align_method", "similarity: T(r) = c + F·s·R(θ)·(r − c) + d maps a reference pixel into the image "
                    + "(F mirrors x); the image is resampled at T(r)");
        }
        ctx.log(sb.toString());
    }

    static double[] defocus(Parameters p, int n) {
        double[] d = p.doubleList(DEFOCUS.name()).orElseThrow(
                () -> new InvalidParameterException(DEFOCUS.name(), "the over-focus of each image in nm (or D for −D,0,+D)", null));
        if (d.length == n) return d;
        if (d.length == 1) {
            double v = Math.abs(d[0]);
            if (n == 3) return new double[] {-v, 0, v};
            if (n == 2) return new double[] {-v, v};
        }
        throw new InvalidParameterException(DEFOCUS.name(), n + " values (one per image of the series), or one value D for 2 or 3 images",
                p.string(DEFOCUS.name(), ""));
    }

    private static double[] normalised(DataMap d) {
        int n = d.size();
        double[] a = new double[n];
        double s = 0;
        for (int i = 0; i < n; i++) {
            float v = d.get(i);
            if (!Float.isFinite(v)) {
                throw new InvalidInputException(null, d.path(), "finite intensities", "NaN or infinity at pixel (" + i / d.shape().cols()
                        + ", " + i % d.shape().cols() + ")");
            }
            a[i] = v;
            s += v;
        }
        double mean = s / n;
        if (!(mean > 0)) throw new InvalidInputException(null, d.path(), "a positive mean intensity", "mean " + mean);
        for (int i = 0; i < n; i++) a[i] /= mean;
        return a;
    }

    /** TIE of the series, and with a flipped series the magnetic phase (φ − φ_flipped)/2 and electrostatic (φ + φ_flipped)/2. */
    double[][] tie() {
        Tie.Result a = Tie.reconstruct(grid, lambdaNm, images, defocusNm, qc, mirror, tieMode);
        if (flipped == null) return new double[][] {a.phase(), null};
        Tie.Result b = Tie.reconstruct(grid, lambdaNm, flipped, defocusNm, qc, mirror, tieMode);
        double[] mag = new double[grid.size()], el = new double[grid.size()];
        for (int i = 0; i < mag.length; i++) {
            mag[i] = 0.5 * (a.phase()[i] - b.phase()[i]);
            el[i] = 0.5 * (a.phase()[i] + b.phase()[i]);
        }
        return new double[][] {mag, el};
    }

    static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) f[i] = (float) a[i];
        return f;
    }
}
