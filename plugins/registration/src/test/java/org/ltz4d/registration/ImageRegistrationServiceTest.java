package org.ltz4d.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.ltz4d.api.analysis.ImageRegistration;
import org.ltz4d.api.analysis.RegistrationOptions;
import org.ltz4d.api.analysis.SimilarityTransform;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.error.InvalidInputException;
import org.ltz4d.api.error.ShapeMismatchException;

/**
 * The {@link ImageRegistration} service on simulated pairs of known transform: a field of Gaussian
 * particles drawn analytically in both images (the moving one at T⁻¹ of each pixel, so the
 * simulation needs no interpolation), of different sizes, mirrored, rotated, scaled and shifted.
 */
class ImageRegistrationServiceTest {
    static final ImageRegistration SERVICE = new ImageRegistrationService();
    static final Shape REF = Shape.of(64, 64);
    static final Shape MOV = Shape.of(96, 88);

    /** F(r) = 1 + the particles of {@link AutoRegistrationTest.Field}, r in reference pixels, and its gradient. */
    record Field(AutoRegistrationTest.Field particles) {
        static Field random(long seed, int n, double size) {
            return new Field(AutoRegistrationTest.Field.random(seed, n, size));
        }

        /** {F, ∂F/∂x, ∂F/∂y} at (px, py). */
        double[] at(double px, double py) {
            double[] v = particles.valueAndGradient(px, py);
            v[0] += 1;
            return v;
        }

        /** The reference: F at each pixel, plus Gaussian noise of σ = {@code noise}. */
        double[] reference(Shape shape, double noise, Random r) {
            double[] v = new double[(int) shape.size()];
            for (int y = 0; y < shape.rows(); y++) for (int x = 0; x < shape.cols(); x++) v[y * shape.cols() + x] = at(x, y)[0] + noise * r.nextGaussian();
            return v;
        }

        /** The moving image: pixel m shows F at T⁻¹(m) = c_r + A⁻¹·(m − c_m − d), A = F·s·R(θ). */
        double[] moving(Shape shape, Shape ref, SimilarityTransform t) {
            double th = Math.toRadians(t.rotationDeg()), f = t.mirror() ? -1 : 1;
            double crx = (ref.cols() - 1) / 2.0, cry = (ref.rows() - 1) / 2.0, cmx = (shape.cols() - 1) / 2.0, cmy = (shape.rows() - 1) / 2.0;
            double[] v = new double[(int) shape.size()];
            for (int y = 0; y < shape.rows(); y++) {
                for (int x = 0; x < shape.cols(); x++) {
                    double ux = f * (x - cmx - t.shiftXPx()), uy = y - cmy - t.shiftYPx();
                    double px = crx + (Math.cos(th) * ux + Math.sin(th) * uy) / t.scale(), py = cry + (-Math.sin(th) * ux + Math.cos(th) * uy) / t.scale();
                    v[y * shape.cols() + x] = at(px, py)[0];
                }
            }
            return v;
        }
    }

    /**
     * The Cramér–Rao bounds (standard deviations) of (θ in rad, ln s, d_x, d_y) for a reference with
     * white Gaussian noise σ and a noise-free moving image, fitted with a gain and an offset over the
     * reference's central region (the service's: the outer tenth left out): the Fisher matrix
     * JᵀJ/σ², J's rows ∂(moving(T(r)))/∂p = [∇F·J₉₀(r − c), ∇F·(r − c), ∇F·A⁻¹e_x, ∇F·A⁻¹e_y, F, 1].
     */
    static double[] bounds(Field field, SimilarityTransform t, double noise) {
        double th = Math.toRadians(t.rotationDeg()), f = t.mirror() ? -1 : 1, s = t.scale();
        // A⁻¹ = R(−θ)·F/s
        double i00 = f * Math.cos(th) / s, i01 = Math.sin(th) / s, i10 = -f * Math.sin(th) / s, i11 = Math.cos(th) / s;
        int m = Math.max(2, REF.rows() / 10);
        double c = (REF.rows() - 1) / 2.0;
        DMatrixRMaj fisher = new DMatrixRMaj(6, 6);
        double[] j = new double[6];
        for (int y = m; y < REF.rows() - m; y++) {
            for (int x = m; x < REF.cols() - m; x++) {
                double[] g = field.at(x, y);
                double rx = x - c, ry = y - c;
                j[0] = g[1] * -ry + g[2] * rx;
                j[1] = g[1] * rx + g[2] * ry;
                j[2] = g[1] * i00 + g[2] * i10;
                j[3] = g[1] * i01 + g[2] * i11;
                j[4] = g[0];
                j[5] = 1;
                for (int a = 0; a < 6; a++) for (int b = 0; b < 6; b++) fisher.add(a, b, j[a] * j[b] / (noise * noise));
            }
        }
        CommonOps_DDRM.invert(fisher);
        return new double[] {Math.sqrt(fisher.get(0, 0)), Math.sqrt(fisher.get(1, 1)), Math.sqrt(fisher.get(2, 2)), Math.sqrt(fisher.get(3, 3))};
    }

    /**
     * A mirrored, rotated (7°), magnified (1.15) and shifted pair of different sizes, noise σ = 0.05 on
     * the reference, 16 noise draws: the RMS errors of rotation, scale and shift are within 0.7–1.5
     * of their Cramér–Rao bounds (the estimator is efficient), the mirror is found every time.
     */
    @Test
    void aKnownTransformIsRecoveredAtItsCramerRaoBound() {
        SimilarityTransform truth = SimilarityTransform.of(7, 1.15, 1.3, -2.2, true);
        Field field = Field.random(3, 60, 64);
        double noise = 0.05;
        double[] moving = field.moving(MOV, REF, truth);
        RegistrationOptions o = RegistrationOptions.DEFAULTS.withMirror(true).withScale(1.15 * 1.02);
        int trials = 16;
        double[] sq = new double[4];
        for (int k = 0; k < trials; k++) {
            double[] ref = field.reference(REF, noise, new Random(100 + k));
            SimilarityTransform t = SERVICE.register(ref, REF, moving, MOV, o);
            assertTrue(t.mirror(), "mirror found in draw " + k + ": " + t);
            double[] e = {Math.toRadians(t.rotationDeg() - truth.rotationDeg()), Math.log(t.scale() / truth.scale()), t.shiftXPx() - truth.shiftXPx(),
                t.shiftYPx() - truth.shiftYPx()};
            for (int i = 0; i < 4; i++) sq[i] += e[i] * e[i];
        }
        double[] crb = bounds(field, truth, noise);
        String[] names = {"rotation (rad)", "ln scale", "shift x (px)", "shift y (px)"};
        for (int i = 0; i < 4; i++) {
            double rms = Math.sqrt(sq[i] / trials);
            System.out.printf("registration %s: RMS error %.3g, Cramér–Rao bound %.3g, ratio %.2f%n", names[i], rms, crb[i], rms / crb[i]);
            assertTrue(rms / crb[i] > 0.7 && rms / crb[i] < 1.5, names[i] + ": RMS " + rms + " vs bound " + crb[i]);
        }
    }

    /**
     * The scale unknown (searched from 1/2 to 2; any rotation is {@link AutoRegistrationTest}'s), no
     * noise: the transform to 0.01°, 0.05 % and 0.02 px, NCC ≈ 1.
     */
    @Test
    void anUnknownScaleIsFound() {
        SimilarityTransform truth = SimilarityTransform.of(-12.4, 0.82, -3.1, 2.4, false);
        Field field = Field.random(5, 60, 64);
        double[] ref = field.reference(REF, 0, new Random(1)), mov = field.moving(MOV, REF, truth);
        long t0 = System.nanoTime();
        SimilarityTransform t = SERVICE.register(ref, REF, mov, MOV, RegistrationOptions.DEFAULTS.withMaxRotationDeg(20).withScale(Double.NaN));
        System.out.printf("unknown scale: %s (truth %s), %.2f s (64² onto 96×88, 41 rotations × 13 scales)%n", t, truth,
                (System.nanoTime() - t0) * 1e-9);
        assertFalse(t.mirror());
        assertEquals(0, Math.IEEEremainder(t.rotationDeg() - truth.rotationDeg(), 360), 0.01, t.toString());
        assertEquals(truth.scale(), t.scale(), 5e-4 * truth.scale(), t.toString());
        assertEquals(truth.shiftXPx(), t.shiftXPx(), 0.02, t.toString());
        assertEquals(truth.shiftYPx(), t.shiftYPx(), 0.02, t.toString());
        assertTrue(t.ncc() > 0.9999 && t.overlap() == 1, t.toString());
    }

    /** Resampling by the transform brings the moving image onto the reference (bicubic error ≤ 0.01 of a ~1 field); outside it NaN or the edge. */
    @Test
    void resamplingByTheTransformUndoesIt() {
        SimilarityTransform truth = SimilarityTransform.of(4, 1.3, 0.6, -0.4, true);
        Field field = Field.random(7, 60, 64);
        Shape small = Shape.of(64, 60);
        double[] moving = field.moving(small, REF, truth);
        double[] back = SERVICE.resample(moving, small, truth, REF, false);
        double[] edges = SERVICE.resample(moving, small, truth, REF, true);
        double worst = 0;
        int outside = 0;
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                double v = back[y * 64 + x];
                assertTrue(Double.isFinite(edges[y * 64 + x]), "edges extended at " + x + "," + y);
                if (Double.isNaN(v)) { outside++; continue; }
                assertEquals(v, edges[y * 64 + x], 0, "the same inside");
                // away from the moving image's edge (there the kernel sees repeated edge pixels): all four neighbours inside too
                boolean interior = x > 0 && y > 0 && x < 63 && y < 63 && !Double.isNaN(back[y * 64 + x - 1] + back[y * 64 + x + 1]
                        + back[(y - 1) * 64 + x] + back[(y + 1) * 64 + x]);
                if (interior) worst = Math.max(worst, Math.abs(v - field.at(x, y)[0]));
            }
        }
        System.out.printf("resampled: worst error %.2e, %d of 4096 pixels outside the moving image%n", worst, outside);
        assertTrue(worst < 0.01, "worst " + worst);
        assertTrue(outside > 100 && outside < 2000, "a 1.3× magnified moving image does not reach the reference's corners: " + outside);
    }

    @Test
    void badInputGivesTypedErrorsNamingTheImage() {
        double[] ok = Field.random(1, 30, 64).reference(REF, 0, new Random(1));
        RegistrationOptions o = RegistrationOptions.DEFAULTS;
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class, () -> SERVICE.register(ok, Shape.of(16, 16, 16), ok, REF, o));
        assertEquals("reference", e.field());
        e = assertThrows(ShapeMismatchException.class, () -> SERVICE.register(ok, REF, ok, Shape.of(64, 63), o));
        assertEquals("moving", e.field());
        assertTrue(e.getMessage().contains("4032 values"), e.getMessage());
        e = assertThrows(ShapeMismatchException.class, () -> SERVICE.register(new double[16], Shape.of(4, 4), ok, REF, o));
        assertTrue(e.getMessage().contains("8×8"), e.getMessage());
        double[] nan = new double[64 * 64];
        java.util.Arrays.fill(nan, Double.NaN);
        InvalidInputException f = assertThrows(InvalidInputException.class, () -> SERVICE.register(ok, REF, nan, REF, o));
        assertEquals("moving", f.field());
        // an 8×8 moving image at scale 1 covers 1/64 of the reference
        f = assertThrows(InvalidInputException.class, () -> SERVICE.register(ok, REF, new double[64], Shape.of(8, 8), o));
        assertEquals("moving", f.field());
        assertTrue(f.getMessage().contains("quarter"), f.getMessage());
        assertThrows(IllegalArgumentException.class, () -> o.withMaxRotationDeg(200));
        assertThrows(IllegalArgumentException.class, () -> o.withLowPass(0));
        assertThrows(IllegalArgumentException.class, () -> SimilarityTransform.of(0, -1, 0, 0, false));
    }

    /** With a transform held, only the shift moves: rotation, scale and mirror stay exactly as given. */
    @Test
    void aHeldTransformKeepsRotationScaleAndMirror() {
        SimilarityTransform truth = SimilarityTransform.of(3, 1.05, 0.8, 0.3, true);
        Field field = Field.random(9, 60, 64);
        SimilarityTransform start = SimilarityTransform.of(3, 1.05, 0, 0, true);
        SimilarityTransform t = SERVICE.register(field.reference(REF, 0, new Random(2)), REF, field.moving(MOV, REF, truth), MOV,
                RegistrationOptions.DEFAULTS.withHeld(start));
        assertEquals(3, t.rotationDeg(), 1e-12);
        assertEquals(1.05, t.scale(), 1e-12);
        assertTrue(t.mirror());
        assertEquals(0.8, t.shiftXPx(), 0.01, t.toString());
        assertEquals(0.3, t.shiftYPx(), 0.01, t.toString());
    }
}
