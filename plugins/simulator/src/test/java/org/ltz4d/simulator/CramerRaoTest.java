package org.ltz4d.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

/** The Cramér–Rao tool against an independent bound of the ring model, and its scaling. */
class CramerRaoTest {

    /**
     * On the ring pattern the tool (strain parametrisation, whole-image derivatives through the
     * simulator) agrees with the bound of the ring fitter's CRB test (plugins/amorphous Crb.java):
     * Fisher information of PatternParams.intensity in (cx, cy, q11, q12, q22, amplitude,
     * background) — width and pedestal held — carried to strain through the Jacobian of
     * (D_ref·Q·D_ref)^(1/2) − I.
     */
    @Test
    void onTheRingPatternItAgreesWithTheRingModelBound() {
        SimulationSpec s = SimulationSpec.builder().scan(4, 5).strainField(StrainField.orientations(0.01, 5))
                .magneticField(MagneticField.uniform(0.5, 0.3)).build();
        int y = 2, x = 4;
        CramerRao.Bound b = CramerRao.annulus(s, y, x, 35, 75);
        FrameTruth t = Simulator.truth(s, y, x);
        PatternParams p = t.pattern();
        // independent bound in the form's parameters
        double[] th = {p.cx(), p.cy(), p.q11(), p.q12(), p.q22(), p.amplitude(), p.background()};
        double[] h = {1e-4, 1e-4, p.q11() * 1e-5, p.q11() * 1e-5, p.q22() * 1e-5, p.amplitude() * 1e-5, p.background() * 1e-5};
        int np = 7;
        DMatrixRMaj f = new DMatrixRMaj(np, np);
        double[] d = new double[np];
        int pixels = 0;
        for (int r = 0; r < 192; r++) {
            for (int c = 0; c < 192; c++) {
                double dx = c - p.cx(), dy = r - p.cy();
                double rho = 55 * Math.sqrt(p.q11() * dx * dx + 2 * p.q12() * dx * dy + p.q22() * dy * dy);
                if (rho < 35 || rho > 75) continue;
                pixels++;
                double mu = p.intensity(c, r);
                for (int k = 0; k < np; k++) {
                    d[k] = (with(p, th, k, h[k]).intensity(c, r) - with(p, th, k, -h[k]).intensity(c, r)) / (2 * h[k]);
                }
                for (int i = 0; i < np; i++) for (int j = 0; j < np; j++) f.add(i, j, d[i] * d[j] / mu);
            }
        }
        assertEquals(pixels, b.pixels());
        DMatrixRMaj cov = new DMatrixRMaj(np, np);
        assertTrue(CommonOps_DDRM.invert(f, cov));
        // strain of Q against Q_ref and its Jacobian in (q11, q12, q22)
        double[] qref = s.referenceForm();
        double[] e0 = strain(qref, p.q11(), p.q12(), p.q22());
        assertEquals(t.exx(), e0[0], 1e-12);
        assertEquals(t.exy(), e0[2], 1e-12);
        double[][] jac = new double[3][3];
        for (int k = 0; k < 3; k++) {
            double[] qp = {p.q11(), p.q12(), p.q22()}, qm = qp.clone();
            double hh = p.q11() * 1e-6;
            qp[k] += hh;
            qm[k] -= hh;
            double[] ep = strain(qref, qp[0], qp[1], qp[2]), em = strain(qref, qm[0], qm[1], qm[2]);
            for (int i = 0; i < 3; i++) jac[i][k] = (ep[i] - em[i]) / (2 * hh);
        }
        for (int i = 0; i < 3; i++) {
            double v = 0;
            for (int a = 0; a < 3; a++) for (int c = 0; c < 3; c++) v += jac[i][a] * jac[i][c] * cov.get(2 + a, 2 + c);
            String name = CramerRao.PARAMETERS.get(2 + i);
            System.out.printf("ring CRB %s: tool %.4e, independent %.4e%n", name, b.sigma(2 + i), Math.sqrt(v));
            assertEquals(Math.sqrt(v), b.sigma(2 + i), 2e-3 * Math.sqrt(v), name);
        }
        assertEquals(Math.sqrt(cov.get(0, 0)), b.sigma("cx"), 2e-3 * Math.sqrt(cov.get(0, 0)));
        assertEquals(Math.sqrt(cov.get(1, 1)), b.sigma("cy"), 2e-3 * Math.sqrt(cov.get(1, 1)));
        assertEquals(b.sigma(1) / Simulator.deflectionPxPerTesla(s), b.sigmaBxTesla(), 1e-15);
    }

    static PatternParams with(PatternParams p, double[] th, int k, double dv) {
        double[] a = th.clone();
        a[k] += dv;
        return new PatternParams(a[0], a[1], a[2], a[3], a[4], p.width(), a[5], p.pedestal(), a[6], p.decay(), a[0], a[1],
                p.beamRadius(), p.beamEdge(), p.beamPeak());
    }

    /** (D_ref·Q·D_ref)^(1/2) − I as {exx, eyy, exy}, D_ref = Q_ref^(−1/2). */
    static double[] strain(double[] qref, double q11, double q12, double q22) {
        double[] r = SimulatorTest.sqrtm(qref[0], qref[1], qref[2]);
        double det = r[0] * r[2] - r[1] * r[1];
        double d11 = r[2] / det, d12 = -r[1] / det, d22 = r[0] / det;
        double a11 = d11 * (q11 * d11 + q12 * d12) + d12 * (q12 * d11 + q22 * d12);
        double a12 = d11 * (q11 * d12 + q12 * d22) + d12 * (q12 * d12 + q22 * d22);
        double a22 = d12 * (q11 * d12 + q12 * d22) + d22 * (q12 * d12 + q22 * d22);
        double[] e = SimulatorTest.sqrtm(a11, a12, a22);
        return new double[] {e[0] - 1, e[2] - 1, e[1]};
    }

    @Test
    void onTheGlassPatternItScalesWithDoseAndPointSpreadCostsInformation() {
        SimulationSpec.Builder b = SimulationSpec.builder().pattern(SimulationSpec.Pattern.GLASS).scan(2, 2)
                .strainField(StrainField.uniform(0.005, -0.003, 0.002));
        CramerRao.Bound lo = CramerRao.annulus(b.dose(1e6).build(), 1, 1, 40, 70);
        CramerRao.Bound hi = CramerRao.annulus(b.dose(4e6).build(), 1, 1, 40, 70);
        CramerRao.Bound blur = CramerRao.annulus(b.dose(1e6).psfPx(1.5).build(), 1, 1, 40, 70);
        for (int k = 0; k < 7; k++) {
            assertEquals(lo.sigma(k) / 2, hi.sigma(k), 1e-6 * lo.sigma(k), CramerRao.PARAMETERS.get(k));
            assertTrue(lo.sigma(k) > 0 && Double.isFinite(lo.sigma(k)));
        }
        for (int k = 0; k < 5; k++) assertTrue(blur.sigma(k) > lo.sigma(k), "PSF loses information: " + CramerRao.PARAMETERS.get(k));
        System.out.printf("glass CRB at 1e6 e-: cx %.4f px, exx %.2e, eyy %.2e, exy %.2e, amplitude %.2e, background %.2e (%d px, %.3g counts)%n",
                lo.sigma(0), lo.sigma(2), lo.sigma(3), lo.sigma(4), lo.sigma(5), lo.sigma(6), lo.pixels(), lo.counts());
        // a centre bound of a few hundredths of a pixel and strain of a few 1e-4 at 1e6 electrons
        assertTrue(lo.sigma(0) < 0.1 && lo.sigma(2) < 2e-3, "plausible magnitudes");
    }
}
