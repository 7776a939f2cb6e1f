package org.ltz4d.amorphous;

import java.util.Map;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.simulator.CramerRao;
import org.ltz4d.simulator.FrameTruth;
import org.ltz4d.simulator.SimulationSpec;
import org.ltz4d.simulator.Simulator;

/**
 * Runs beam + ring over a simulated scan and scores the result against the truth and the
 * Cramér–Rao bound of the simulator's own pattern model ({@link CramerRao}, centre, strain,
 * amplitude and background free). Strain is taken against the reference form fitted over the
 * unstrained positions (as the strain deriver does with its reference ROI); density from the
 * ring's area, Δρ = (A/A_ref)^(3/2) − 1, against det(I + e_true)^(−3/2) − 1 (the area change the
 * true form shows), its bound −(3/2)·(ε_xx + ε_yy) linearised.
 */
final class GlassScan {
    static final String[] NAMES = {"center_x", "center_y", "exx", "eyy", "exy", "density"};

    final SimulationSpec spec;
    final Map<String, float[]> maps;
    final double[] rms = new double[6], bound = new double[6], ratio = new double[6];
    int failedOnSample, failedOffSample, fitted;
    /** Error against the truth of every position, per {@link #NAMES} entry (NaN where off the sample or failed). */
    double[][] errors;
    /** The reference form fitted over the unstrained positions on the sample. */
    double[] qref;

    private GlassScan(SimulationSpec spec, Map<String, float[]> maps) {
        this.spec = spec;
        this.maps = maps;
    }

    /**
     * Fits {@code ds} (frames of {@code spec}) and scores every {@code boundEvery}-th position's bound
     * over the annulus [innerPx, outerPx] about the ring.
     */
    static GlassScan run(SimulationSpec spec, Harness.MemoryDataset ds, Parameters p, int boundEvery, double innerPx, double outerPx) {
        Map<String, float[]> m = Harness.run(ds, p, 2, 20, new BeamFitter(), new RingFitter());
        GlassScan g = new GlassScan(spec, m);
        int n = (int) spec.frameCount(), nx = spec.scanX();
        double[] qref = Crb.fittedReference(m, i -> {
            FrameTruth t = Simulator.truth(spec, i / nx, i % nx);
            return t.sample() == 1 && t.exx() == 0 && t.eyy() == 0 && t.exy() == 0;
        }, n);
        g.qref = qref;
        double detRef = qref[0] * qref[2] - qref[1] * qref[1];
        double[] se = new double[6], sb = new double[6];
        int nb = 0;
        g.errors = new double[6][n];
        for (double[] e : g.errors) java.util.Arrays.fill(e, Double.NaN);
        for (int i = 0; i < n; i++) {
            FrameTruth t = Simulator.truth(spec, i / nx, i % nx);
            boolean failed = m.get("fit/mask")[i] != 0;
            if (t.sample() != 1) {
                if (failed) g.failedOffSample++;
                continue;
            }
            if (failed) {
                g.failedOnSample++;
                continue;
            }
            g.fitted++;
            double q11 = m.get("ring/q11")[i], q12 = m.get("ring/q12")[i], q22 = m.get("ring/q22")[i];
            double[] e = Crb.strain(qref, q11, q12, q22);
            double rho = Math.pow(Math.sqrt((q11 * q22 - q12 * q12) / detRef), -1.5) - 1;
            double rhoTrue = Math.pow((1 + t.exx()) * (1 + t.eyy()) - t.exy() * t.exy(), -1.5) - 1;
            double[] err = {m.get("ring/center_x")[i] - t.ringCenterX(), m.get("ring/center_y")[i] - t.ringCenterY(),
                    e[0] - t.exx(), e[1] - t.eyy(), e[2] - t.exy(), rho - rhoTrue};
            for (int k = 0; k < 6; k++) se[k] += err[k] * err[k];
            for (int k = 0; k < 6; k++) g.errors[k][i] = err[k];
            if (i % boundEvery == 0) {
                CramerRao.Bound b = CramerRao.annulus(spec, i / nx, i % nx, innerPx, outerPx);
                double[] c = b.covariance();
                for (int k = 0; k < 5; k++) sb[k] += c[k * 7 + k];
                sb[5] += 2.25 * (c[2 * 7 + 2] + c[3 * 7 + 3] + 2 * c[2 * 7 + 3]);
                nb++;
            }
        }
        for (int k = 0; k < 6; k++) {
            g.rms[k] = Math.sqrt(se[k] / g.fitted);
            g.bound[k] = Math.sqrt(sb[k] / nb);
            g.ratio[k] = g.rms[k] / g.bound[k];
        }
        return g;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(String.format("dose %.3g: fitted %d, failed on sample %d, failed off sample %d;",
                spec.dose(), fitted, failedOnSample, failedOffSample));
        for (int k = 0; k < 6; k++) s.append(String.format(" %s rms %.3g bound %.3g ratio %.3f;", NAMES[k], rms[k], bound[k], ratio[k]));
        return s.toString();
    }
}
