package org.ltz4d.ltem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.ltz4d.api.analysis.Correlation;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.Figure;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.error.InvalidInputException;
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.api.error.MissingCalibrationException;
import org.ltz4d.api.units.Unit;

/** The three phase retrievals through their service interface, as the engine calls them. */
class PhaseRetrievalTest {
    static final Grid G = new Grid(64, 64, Samples.PIXEL_NM);

    private static double[] stripePhase() {
        double[][] m = Samples.stripes(G, 16, 6);
        return MagneticPhase.fromMagnetisation(G, m[0], m[1], Samples.BT);
    }

    private static MapSet imageMaps(double[][] images, float scale) {
        List<DataMap> l = new ArrayList<>();
        for (int k = 0; k < images.length; k++) {
            float[] f = new float[images[k].length];
            for (int i = 0; i < f.length; i++) f[i] = scale * (float) images[k][i];
            l.add(DataMap.of("ltem/image_" + k, Shape.of(G.ny, G.nx), f, Unit.COUNTS, "image"));
        }
        return MapSet.of(l);
    }

    private static void checkFigures(Correlation c, int expected) throws Exception {
        assertEquals(expected, c.figures().size());
        for (Figure f : c.figures()) {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(f.content()));
            assertTrue(Math.min(img.getWidth(), img.getHeight()) >= 600, f.fileName() + " " + img.getWidth() + "×" + img.getHeight());
        }
    }

    @Test
    void tieWritesPhaseAndInductionMaps() throws Exception {
        double[] truth = stripePhase();
        double[][] im = new ForwardModel(G, Optics.ideal(300)).simulate(truth, null, new double[] {-20000, 0, 20000});
        TestContext ctx = new TestContext(Calibration.none(), Map.of("defocus-nm", "20000", "pixel-nm", "4", "beam-kv", "300"), Shape.of(1, 1));
        Correlation c = new LtemTieRetrieval().retrieve(imageMaps(im, 1000f), ctx);
        double[] phase = toDouble(c.maps().require("ltem/phase"));
        assertTrue(Samples.correlation(phase, truth) > 0.999);
        DataMap btx = c.maps().require("magnetic/Bt_x");
        assertEquals(Unit.TESLA_NANOMETRE, btx.unit());
        assertEquals(Samples.BT, btx.get(8, 32), 0.02 * Samples.BT, "B_x·t in the +x domain, T·nm");
        assertEquals(-Samples.BT, btx.get(24, 32), 0.02 * Samples.BT);
        checkFigures(c, 2);
    }

    @Test
    void fitRefinesDefocusAndReportsLoss() throws Exception {
        double[] truth = stripePhase();
        double[][] im = new ForwardModel(G, Optics.ideal(300).withDivergence(1e-6)).simulate(truth, null, new double[] {-500000, 0, 500000});
        // calibration supplies pixel and beam energy; 3 images; one value D ⇒ −D, 0, +D
        Calibration cal = Calibration.builder().scanStepNm(4, 4).beamKv(300).build();
        TestContext ctx = new TestContext(cal, Map.of("defocus-nm", "500000", "iterations", "30", "refine-defocus", "true"), Shape.of(1, 1));
        Correlation c = new LtemFitRetrieval().retrieve(imageMaps(im, 1f), ctx);
        DataMap z = c.maps().require("ltem/defocus_nm");
        assertEquals(Shape.of(3), z.shape());
        assertEquals(Unit.NANOMETRE, z.unit());
        DataMap loss = c.maps().require("ltem/loss");
        assertTrue(loss.size() >= 2 && loss.get(loss.size() - 1) < loss.get(0), "loss decreases");
        assertTrue(Samples.correlation(toDouble(c.maps().require("ltem/phase")), truth) > 0.99);
        assertTrue(c.maps().contains("magnetic/Bt_x") && c.maps().contains("magnetic/Bt_y") && c.maps().contains("ltem/phase_tie"));
        checkFigures(c, 3);
    }

    @Test
    void tieSeparatesAFlippedSeries() {
        double[] mag = stripePhase();
        double[] el = new double[G.size()];
        for (int r = 0; r < G.ny; r++) for (int c = 0; c < G.nx; c++) el[r * G.nx + c] = 2 * Math.exp(-((r - 30) * (r - 30) + (c - 34) * (c - 34)) / 150.0);
        double[] up = new double[G.size()], down = new double[G.size()];
        for (int i = 0; i < up.length; i++) {
            up[i] = el[i] + mag[i];
            down[i] = el[i] - mag[i];
        }
        ForwardModel fm = new ForwardModel(G, Optics.ideal(300));
        double[] zs = {-20000, 0, 20000};
        double[][] a = fm.simulate(up, null, zs), b = fm.simulate(down, null, zs);
        // flipped images given first, as indices 0..2
        double[][] all = {b[0], b[1], b[2], a[0], a[1], a[2]};
        TestContext ctx = new TestContext(Calibration.none(), Map.of("defocus-nm", "-20000,0,20000", "pixel-nm", "4", "beam-kv", "300",
                "flip-images", "0,1,2"), Shape.of(1, 1));
        Correlation c = new LtemTieRetrieval().retrieve(imageMaps(all, 1f), ctx);
        double cm = Samples.correlation(toDouble(c.maps().require("ltem/phase")), mag);
        double ce = Samples.correlation(toDouble(c.maps().require("ltem/phase_electrostatic")), el);
        assertTrue(cm > 0.999 && ce > 0.99, "magnetic " + cm + ", electrostatic " + ce);
        assertThrows(InvalidParameterException.class, () -> new LtemTieRetrieval().retrieve(imageMaps(all, 1f),
                new TestContext(Calibration.none(), Map.of("defocus-nm", "20000", "pixel-nm", "4", "beam-kv", "300", "flip-images", "0,1"), Shape.of(1, 1))));
    }

    @Test
    void singleImageGoesThroughSitieAndTheFit() {
        double[] truth = stripePhase();
        double[][] im = new ForwardModel(G, Optics.ideal(300).withDivergence(1e-6)).simulate(truth, null, new double[] {300000});
        Calibration cal = Calibration.builder().scanStepNm(4, 4).beamKv(300).build();
        Correlation tie = new LtemTieRetrieval().retrieve(imageMaps(im, 1f), new TestContext(cal, Map.of("defocus-nm", "300000"), Shape.of(1, 1)));
        Correlation fit = new LtemFitRetrieval().retrieve(imageMaps(im, 1f),
                new TestContext(cal, Map.of("defocus-nm", "300000", "iterations", "40", "reg-weight", "0.001"), Shape.of(1, 1)));
        double ct = Samples.correlation(toDouble(tie.maps().require("ltem/phase")), truth);
        double cf = Samples.correlation(toDouble(fit.maps().require("ltem/phase")), truth);
        System.out.printf("one image at z = +300 µm: SITIE correlation %.4f, fit %.4f%n", ct, cf);
        assertTrue(ct > 0.99 && cf > 0.99, ct + " " + cf);
        assertEquals(300000, fit.maps().require("ltem/defocus_nm").get(0), 1e-3);
    }

    @Test
    void missingInputsAreTypedErrors() {
        double[][] im = {Samples.ones(G.size()), Samples.ones(G.size()), Samples.ones(G.size())};
        LtemTieRetrieval tie = new LtemTieRetrieval();
        assertThrows(InvalidParameterException.class, () -> tie.retrieve(imageMaps(im, 1),
                new TestContext(Calibration.none(), Map.of("pixel-nm", "4", "beam-kv", "300"), Shape.of(1, 1))));
        assertThrows(MissingCalibrationException.class, () -> tie.retrieve(imageMaps(im, 1),
                new TestContext(Calibration.none(), Map.of("defocus-nm", "1000", "beam-kv", "300"), Shape.of(1, 1))));
        InvalidParameterException e = assertThrows(InvalidParameterException.class, () -> tie.retrieve(imageMaps(im, 1),
                new TestContext(Calibration.none(), Map.of("defocus-nm", "-1,2", "pixel-nm", "4", "beam-kv", "300"), Shape.of(1, 1))));
        assertEquals("defocus-nm", e.parameter());
        assertThrows(InvalidInputException.class, () -> tie.retrieve(MapSet.empty(),
                new TestContext(Calibration.none(), Map.of("defocus-nm", "1000"), Shape.of(1, 1))));
        assertThrows(InvalidInputException.class, () -> new DpcPhaseRetrieval().retrieve(MapSet.empty(),
                new TestContext(Calibration.none(), Map.of(), Shape.of(4, 4))));
    }

    @Test
    void dpcPhaseIntegratesDeflectionAndInductionMaps() throws Exception {
        // a vortex deflection map: θ = (λ/2π)·∇φ, in mrad
        Grid g = new Grid(64, 80, 4);
        double[][] m = Samples.vortex(g, 100, 8);
        double[] truth = MagneticPhase.fromMagnetisation(g, m[0], m[1], Samples.BT);
        double[] gx = new double[g.size()], gy = new double[g.size()];
        MagneticPhase.gradient(truth, g.ny, g.nx, g.dyNm, g.dxNm, gx, gy); // finite differences, as a measurement would give
        double lambda = Optics.wavelengthNm(200);
        float[] tx = new float[g.size()], ty = new float[g.size()];
        for (int i = 0; i < tx.length; i++) {
            tx[i] = (float) (gx[i] * lambda / (2 * Math.PI) * 1e3);
            ty[i] = (float) (gy[i] * lambda / (2 * Math.PI) * 1e3);
        }
        tx[5] = Float.NaN;
        Shape s = Shape.of(g.ny, g.nx);
        MapSet maps = MapSet.of(DataMap.of("magnetic/theta_x_mrad", s, tx, Unit.MILLIRADIAN, ""),
                DataMap.of("magnetic/theta_y_mrad", s, ty, Unit.MILLIRADIAN, ""));
        Calibration cal = Calibration.builder().scanStepNm(4, 4).beamKv(200).build();
        Correlation c = new DpcPhaseRetrieval().retrieve(maps, new TestContext(cal, Map.of(), s));
        double[] phase = toDouble(c.maps().require("dpc/phase"));
        assertTrue(Double.isNaN(phase[5]));
        phase[5] = truth[5];
        double rms = Samples.rmsError(phase, truth);
        System.out.printf("dpc-phase from θ: RMS %.4f rad of a %.1f rad vortex phase%n", rms, Render.robustRange(truth, 0)[1] - Render.robustRange(truth, 0)[0]);
        assertTrue(rms < 0.05, "rms " + rms);
        checkFigures(c, 2);
        // the same from B·t = (ħ/e)(−∂φ/∂y, ∂φ/∂x) in T·nm
        float[] bx = new float[g.size()], by = new float[g.size()];
        for (int i = 0; i < bx.length; i++) {
            bx[i] = (float) (-MagneticPhase.HBAR_OVER_E * gy[i]);
            by[i] = (float) (MagneticPhase.HBAR_OVER_E * gx[i]);
        }
        MapSet bt = MapSet.of(DataMap.of("magnetic/Bt_x", s, bx, Unit.TESLA_NANOMETRE, ""), DataMap.of("magnetic/Bt_y", s, by, Unit.TESLA_NANOMETRE, ""));
        double[] p2 = toDouble(new DpcPhaseRetrieval().retrieve(bt, new TestContext(cal, Map.of(), s)).maps().require("dpc/phase"));
        assertTrue(Samples.rmsError(p2, truth) < 0.05, "from B·t: rms " + Samples.rmsError(p2, truth));
        // and DPC agrees with Lorentz TEM of the same film (TIE of a ±20 µm series at 200 kV)
        double[][] im = new ForwardModel(g, Optics.ideal(200)).simulate(truth, null, new double[] {-20000, 0, 20000});
        DataMap[] ims = new DataMap[3];
        for (int k = 0; k < 3; k++) ims[k] = DataMap.of("ltem/image_" + k, s, LtemInput.toFloat(im[k]), Unit.COUNTS, "");
        Correlation ltem = new LtemTieRetrieval().retrieve(MapSet.of(ims), new TestContext(cal, Map.of("defocus-nm", "20000"), s));
        double agree = Samples.correlation(toDouble(ltem.maps().require("ltem/phase")), p2);
        System.out.printf("DPC phase vs LTEM (TIE) phase of the same vortex: correlation %.5f, RMS difference %.4f rad%n", agree,
                Samples.rmsError(toDouble(ltem.maps().require("ltem/phase")), p2));
        assertTrue(agree > 0.999, "DPC vs LTEM correlation " + agree);
    }

    static double[] toDouble(DataMap d) {
        double[] a = new double[d.size()];
        for (int i = 0; i < a.length; i++) a[i] = d.get(i);
        return a;
    }
}
