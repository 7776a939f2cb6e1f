package org.ltz4d.pdf;

import java.util.ArrayList;
import java.util.List;
import org.ltz4d.api.analysis.AnalysisContext;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.analysis.QuantityDeriver;
import org.ltz4d.api.analysis.ScratchBuffers;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.api.units.Unit;
import org.osgi.service.component.annotations.Component;

/**
 * Deriver {@code pdf}: the axes {@code /sq/q} (Å⁻¹) and {@code /pdf/r} (Å) of the per-position
 * stacks the {@code sq} fitter wrote, with the run's normalisation settings as attributes, and the
 * mean and standard deviation over positions of S(q) and G(r) ({@code /sq/S_mean},
 * {@code /sq/S_std}, {@code /pdf/G_mean}, {@code /pdf/G_std}; NaN positions left out), and with
 * {@code --number-density} the g(r) stack {@code /pdf/g}.
 */
@Component(service = QuantityDeriver.class)
public final class PdfDeriver implements QuantityDeriver {
    public static final String NAME = "pdf";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> requires() {
        return List.of("sq/S", "pdf/G");
    }

    @Override
    public MapSet derive(MapSet inputs, AnalysisContext context) {
        Parameters p = context.parameters();
        DataMap s = inputs.require("sq/S");
        DataMap g = inputs.require("pdf/G");
        int nq = s.shape().dim(s.shape().rank() - 1);
        int nr = g.shape().dim(g.shape().rank() - 1);
        double dq = 2 * Math.PI * context.calibration().requireInverseAngstromPerPixel("the S(q) q axis (deriver pdf)") * p.positive("sq-bin-px", 1.0);
        double rStep = p.positive("r-step", 0.01);
        float[] q = new float[nq];
        for (int k = 0; k < nq; k++) q[k] = (float) (k * dq);
        float[] r = new float[nr];
        for (int j = 0; j < nr; j++) r[j] = (float) (j * rStep);
        List<DataMap> out = new ArrayList<>();
        DataMap qm = DataMap.of("sq/q", Shape.of(nq), q, Unit.INVERSE_ANGSTROM, "q = 2 pi s of the S(q) and I(q) stacks (last axis of /sq/S)");
        qm = qm.withAttribute("composition", p.string("composition", ""))
                .withAttribute("scattering", p.string("scattering", "lobato"))
                .withAttribute("q_min_inv_angstrom", p.number("q-min", 1.5))
                .withAttribute("window", "Lorch")
                .withAttribute("background_order", p.integer("sq-background-order", 0));
        out.add(qm);
        out.add(DataMap.of("pdf/r", Shape.of(nr), r, Unit.ANGSTROM, "r of the G(r) stack (last axis of /pdf/G)"));
        double rho0 = p.number("number-density", Double.NaN);
        if (rho0 > 0) {
            // g(r) = 1 + G(r)/(4πrρ0), NaN at r = 0; position by position into scratch storage
            // (the stack may be larger than the heap)
            java.nio.FloatBuffer src = g.values();
            java.nio.FloatBuffer gv = ScratchBuffers.allocate("the g(r) stack /pdf/g", g.size());
            float[] row = new float[nr];
            for (int base = 0; base < g.size(); base += nr) {
                src.get(base, row);
                for (int j = 0; j < nr; j++) row[j] = j == 0 ? Float.NaN : (float) (1 + row[j] / (4 * Math.PI * rho0 * r[j]));
                gv.put(base, row);
            }
            out.add(DataMap.of("pdf/g", g.shape(), gv, Unit.DIMENSIONLESS, "pair distribution g(r) = 1 + G/(4 pi r rho0), on /pdf/r")
                    .withAttribute("number_density_per_cubic_angstrom", rho0));
        }
        float[][] ms = meanStd(s, nq);
        out.add(DataMap.of("sq/S_mean", Shape.of(nq), ms[0], Unit.DIMENSIONLESS, "mean S(q) over the positions with a value"));
        out.add(DataMap.of("sq/S_std", Shape.of(nq), ms[1], Unit.DIMENSIONLESS, "standard deviation of S(q) over positions"));
        float[][] mg = meanStd(g, nr);
        out.add(DataMap.of("pdf/G_mean", Shape.of(nr), mg[0], PdfSetup.PER_SQUARE_ANGSTROM, "mean G(r) over the positions with a value"));
        out.add(DataMap.of("pdf/G_std", Shape.of(nr), mg[1], PdfSetup.PER_SQUARE_ANGSTROM, "standard deviation of G(r) over positions"));
        return MapSet.of(out);
    }

    /** Mean and standard deviation along the last axis over positions (NaN left out). */
    static float[][] meanStd(DataMap stack, int n) {
        int positions = stack.size() / n;
        double[] sum = new double[n];
        double[] sum2 = new double[n];
        int[] count = new int[n];
        java.nio.FloatBuffer v = stack.values();
        for (int p = 0; p < positions; p++) {
            int base = p * n;
            for (int k = 0; k < n; k++) {
                float x = v.get(base + k);
                if (Float.isNaN(x)) continue;
                sum[k] += x;
                sum2[k] += (double) x * x;
                count[k]++;
            }
        }
        float[] mean = new float[n];
        float[] std = new float[n];
        for (int k = 0; k < n; k++) {
            if (count[k] == 0) {
                mean[k] = Float.NaN;
                std[k] = Float.NaN;
                continue;
            }
            double m = sum[k] / count[k];
            mean[k] = (float) m;
            std[k] = count[k] > 1 ? (float) Math.sqrt(Math.max(0, (sum2[k] - count[k] * m * m) / (count[k] - 1))) : Float.NaN;
        }
        return new float[][] {mean, std};
    }
}
