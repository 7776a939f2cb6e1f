package org.ltz4d.ltem;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ltz4d.api.analysis.Correlation;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.units.Unit;

/**
 * Real images are not periodic: a field of view cut from a larger film. The fit's padding margin
 * keeps the periodic propagation from wrapping across the field. Errors are measured after removing
 * the best plane (a uniform gradient gives no contrast, see {@link Samples#rmsErrorPlane}).
 */
class PaddedFitTest {

    @Test
    void paddingHelpsOnAFieldOfViewCutFromALargerFilm() {
        Grid big = new Grid(256, 256, 4);
        double[] mx = new double[big.size()], my = new double[big.size()];
        double th = Math.toRadians(30), ux = Math.cos(th), uy = Math.sin(th);
        for (int r = 0; r < 256; r++) for (int c = 0; c < 256; c++) { // stripes at 30°, walls every 37 px
            double s = -uy * c + ux * r;
            double v = Math.tanh(20 * Math.sin(Math.PI * s / 37.0)) / Math.tanh(20);
            mx[r * 256 + c] = v * ux;
            my[r * 256 + c] = v * uy;
        }
        double[] truthBig = MagneticPhase.fromMagnetisation(big, mx, my, Samples.BT);
        double[][] imBig = new ForwardModel(big, Optics.ideal(300).withDivergence(1e-6)).simulate(truthBig, null, new double[] {-1e6, 0, 1e6});
        Padding cut = new Padding(128, 128, 64);
        double[] truth = cut.crop(truthBig);
        double[][] im = new double[3][];
        for (int k = 0; k < 3; k++) im[k] = cut.crop(imBig[k]);
        im = Samples.noisy(im, 0.1, 4);
        DataMap[] maps = new DataMap[3];
        for (int k = 0; k < 3; k++) maps[k] = DataMap.of("ltem/image_" + k, Shape.of(128, 128), LtemInput.toFloat(im[k]), Unit.COUNTS, "");
        double[] err = new double[2];
        double tieErr = 0;
        String[] pads = {"0", "16"};
        for (int i = 0; i < 2; i++) {
            Correlation c = new LtemFitRetrieval().retrieve(MapSet.of(maps), new TestContext(Calibration.builder().scanStepNm(4, 4).beamKv(300).build(),
                    Map.of("defocus-nm", "1000000", "iterations", "100", "pad-px", pads[i], "qc", "0.0005"), Shape.of(1, 1)));
            err[i] = Samples.rmsErrorPlane(PhaseRetrievalTest.toDouble(c.maps().require("ltem/phase")), truth, 128, 128);
            tieErr = Samples.rmsErrorPlane(PhaseRetrievalTest.toDouble(c.maps().require("ltem/phase_tie")), truth, 128, 128);
        }
        System.out.printf("non-periodic field, z = ±1 mm, σ = 0.1: RMS phase error (plane removed) TIE %.3f rad, fit without padding %.3f rad, "
                + "with 16 px padding %.3f rad%n", tieErr, err[0], err[1]);
        assertTrue(err[1] < 0.7 * err[0] && err[1] < 0.5 * tieErr, "padded " + err[1] + ", unpadded " + err[0] + ", TIE " + tieErr);
    }
}
