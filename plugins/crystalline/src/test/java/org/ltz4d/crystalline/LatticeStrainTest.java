package org.ltz4d.crystalline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.param.Parameters;

/**
 * Simulated scans with known strain, rotation, two grains and a beam shift: the strain and
 * rotation RMS errors over the scan against the truth, at a moderate dose (a first-order disk
 * ≈ 3·10⁴ counts, the direct beam ≈ 2.4·10⁵, ≈ 8·10⁵ electrons per pattern; background 2 counts/px).
 */
class LatticeStrainTest {

    static double[] polar(double len, double deg) {
        return new double[] {len * Math.cos(Math.toRadians(deg)), len * Math.sin(Math.toRadians(deg))};
    }

    static CrystalSim hexagonal() {
        double[] a = polar(24, 10), b = polar(24, 70);
        return new CrystalSim(14, 14, 128, 5.0, 1.0, new double[] {a[0], a[1], b[0], b[1]}, true,
                400, 3000, 2, 25, 3e-3, 0.4);
    }

    static CrystalSim cubic() {
        double[] a = polar(26, -20), b = polar(26, 70);
        return new CrystalSim(14, 14, 128, 5.0, 1.0, new double[] {a[0], a[1], b[0], b[1]}, false,
                400, 3000, 2, 30, 3e-3, 0.4);
    }

    @Test
    void hexagonalSmCo5LikeStrainRotationGrains() {
        check(hexagonal(), 60, 11);
    }

    @Test
    void cubicStrainRotationGrains() {
        check(cubic(), 90, 12);
    }

    /**
     * DESIGN.md §4b, exactly: grains turned by 0°, 17° and 40° with a known lab-frame strain,
     * F = (I+ε)·R, g = F^-T·g_ref, each basis also relabelled by a 60° lattice rotation (as the
     * fitter labels another grain's basis): the deriver returns ε itself (not Rᵀ·ε·R, the right
     * stretch, which differs by 2·10⁻³ at 17° for this ε) and the turn modulo 60°.
     */
    @Test
    void labFrameStretchForGrainsTurnedBy17And40Degrees() {
        double[] a = polar(24, 10), b = polar(24, 70);
        double[] ref = {a[0], a[1], b[0], b[1]};
        double exx = 2.5e-3, eyy = -1.5e-3, exy = 1.2e-3;
        for (double turn : new double[] {0, 17, 40}) {
            double c = Math.cos(Math.toRadians(turn)), s = Math.sin(Math.toRadians(turn));
            double F00 = (1 + exx) * c + exy * s, F01 = -(1 + exx) * s + exy * c, F10 = exy * c + (1 + eyy) * s, F11 = -exy * s + (1 + eyy) * c;
            double det = F00 * F11 - F01 * F10;
            double M00 = F11 / det, M01 = -F10 / det, M10 = -F01 / det, M11 = F00 / det; // F^-T
            double[] g = {M00 * ref[0] + M01 * ref[1], M10 * ref[0] + M11 * ref[1], M00 * ref[2] + M01 * ref[3], M10 * ref[2] + M11 * ref[3]};
            double[][] labels = {g, {g[2], g[3], g[2] - g[0], g[3] - g[1]}}; // (g1, g2) and its 60° turn (g2, g2 − g1)
            for (double[] l : labels) {
                var r = LatticeStrainDeriver.compute(new float[] {(float) l[0]}, new float[] {(float) l[1]}, new float[] {(float) l[2]},
                        new float[] {(float) l[3]}, ref, "auto", 0, false);
                assertEquals(exx, r.exx[0], 2e-6, "ε_xx at " + turn + "°");
                assertEquals(eyy, r.eyy[0], 2e-6, "ε_yy at " + turn + "°");
                assertEquals(exy, r.exy[0], 2e-6, "ε_xy at " + turn + "°");
                double d = r.rot[0] - turn;
                assertEquals(0, d - 60 * Math.rint(d / 60), 1e-3, "rotation at " + turn + "°");
            }
        }
    }

    /**
     * Issue 12 / DESIGN.md §4b end to end: a realistic hexagonal scan (disks 0.3–10 % of the direct
     * beam, ~1 % for the first order, inner contrast — a gradient and a rocking-curve-like band of 30 %
     * depth, both turning with the crystal —, a diffuse halo, ≈ 4.9·10⁵ electrons per pattern) of three
     * grains: the reference grain, one turned by 17° and one by 40°, at default settings. Each grain
     * is measured against its own Cramér–Rao bound (its own disks, positions and intensities).
     * <p>
     * Every grain's scatter is at its bound. The 40° grain's basis is labelled by the 60° lattice
     * rotation closest to the set-up basis (its g1, g2 are other reflections than the reference's),
     * and the unmodelled band puts a systematic error of about the bound's size on each reflection's
     * centre that breaks the lattice symmetry: the reference cancels it only for the same
     * reflections, so the 40° grain carries a constant bias (the difference of those reflections'
     * errors); a grain turned by exactly 60° — the same disk positions as the reference — shows it
     * too (RMS/bound 2.5 in ε_xy, {@code -Dsim.turns=0,20,60}); without the band every grain is at its
     * bound ({@link #threeGrainScanWithoutTheBandAtTheBoundInEveryGrain}).
     */
    @Test
    void realisticThreeGrainScan() {
        double[] turns = turns();
        double[][] res = threeGrain(Double.parseDouble(System.getProperty("sim.rocking", "0.3")), Double.parseDouble(System.getProperty("sim.direct", "4000")),
                System.getProperty("sim.reflections"), turns);
        assertGrainsAtTheirBounds(res, turns);
    }

    /**
     * A grain turned by exactly 60° has its disks where the reference's are; only the inner contrast tells its
     * reflections apart ({@link ContrastLabels}, built on the converged profile fits). It keeps its own labels (mean
     * reported rotation 60°, not 0°) and its strain is at its bound, as are the 0° and 20° grains.
     */
    @Test
    void grainsTurnedBy20And60DegreesKeepTheirReflections() {
        double[] turns = {0, 20, 60};
        assertGrainsAtTheirBounds(threeGrain(0.3, 4000, null, turns), turns);
    }

    static double[] turns() {
        return java.util.Arrays.stream(System.getProperty("sim.turns", "0,17,40").split(",")).mapToDouble(Double::parseDouble).toArray();
    }

    static void assertGrainsAtTheirBounds(double[][] res, double[] turns) {
        for (int g = 0; g < 3; g++) {
            double[] r = res[g];
            assertEquals(0, r[0], "grain " + g + ": positions where the lattice fit failed");
            assertTrue(r[4] <= 0.03, "grain " + g + ": rotation RMS " + r[4] + " deg");
            for (int c = 0; c < 3; c++) {
                // the scatter about the grain's mean: at the grain's own bound in every grain
                assertTrue(r[5 + c] <= 1.3 * r[8 + c], "grain " + g + ": strain SD / own bound " + r[5 + c] / r[8 + c] + " > 1.3");
                // the RMS (with any bias): at the bound in every grain — the 40° grain labelled by its reflections' inner
                // contrast (ContrastLabels), so its g1, g2 are the reference's reflections, not those of the −20° turn
                assertTrue(r[1 + c] <= 1.3 * r[8 + c], "grain " + g + ": strain RMS / own bound " + r[1 + c] / r[8 + c] + " > 1.3");
            }
            assertTrue(Math.max(r[1], Math.max(r[2], r[3])) <= STRAIN_RMS, "grain " + g + ": strain RMS > " + STRAIN_RMS);
            // labelled by its reflections, the turned grain's reported rotation is its turn (not the turn modulo 60°)
            assertEquals(turns[g], r[14], 0.5, "grain " + g + ": mean reported rotation (deg)");
        }
    }

    /**
     * Issue 12's target, strain RMS ≤ 2·10⁻⁴ in every grain, where the Cramér–Rao bound allows it: the
     * realistic three-grain scan (1 % disks, inner contrast with the 30 % band, halo) at 10× the direct
     * beam, 3.8·10⁶ e⁻/pattern ({@link #strainBoundAtTheIssuesDose}: 1 % disks need ≥ 3.2·10⁶ for a bound
     * of 2·10⁻⁴). At this dose the disks' systematic centre errors (the unmodelled band) exceed their
     * counting errors (reduced χ² ≈ 7), so the fit takes {@code --reflections circle}: the same reflections
     * in every grain, which cancel against the reference (with all disks the turned grains keep a constant
     * bias of 1.5–4·10⁻⁴ from the reflections that the frame's corners hold in one orientation and not in
     * another). Asserted: every grain's bound (all disks, computed) below 2·10⁻⁴; the pipeline's strain
     * RMS ≤ 2·10⁻⁴ in the 0°, 17° and 40° grains, and ≤ 1.3× the bound of the circle's reflections.
     */
    @Test
    void issuesStrainTargetAtTheDoseItNeeds() {
        double[][] res = threeGrain(0.3, 40000, "circle");
        for (int g = 0; g < 3; g++) {
            double[] r = res[g];
            assertEquals(0, r[0], "grain " + g + ": positions where the lattice fit failed");
            for (int c = 0; c < 3; c++) {
                assertTrue(r[15 + c] < 2e-4, "grain " + g + ": bound " + r[15 + c] + " not below the target at this dose");
                assertTrue(r[1 + c] <= 2e-4, "grain " + g + ": strain RMS " + r[1 + c] + " > 2e-4");
                assertTrue(r[1 + c] <= 1.3 * r[8 + c], "grain " + g + ": strain RMS / own bound " + r[1 + c] / r[8 + c] + " > 1.3");
            }
        }
    }

    /**
     * {@link #realisticThreeGrainScan} without the unmodelled rocking-curve band (the gradient stays,
     * fitted by the gradient model): every grain, the 40° one included, is within 1.3× its own
     * Cramér–Rao bound. So the 40° grain's excess with the band is the band's per-reflection
     * systematic error, not the bound, the disk subset, the weights, the reference or the strain formula.
     */
    @Test
    void threeGrainScanWithoutTheBandAtTheBoundInEveryGrain() {
        double[][] res = threeGrain(0);
        for (int g = 0; g < 3; g++) {
            double[] r = res[g];
            assertEquals(0, r[0], "grain " + g + ": positions where the lattice fit failed");
            for (int c = 0; c < 3; c++) {
                assertTrue(r[1 + c] <= 1.3 * r[8 + c], "grain " + g + ": strain RMS / own bound " + r[1 + c] / r[8 + c] + " > 1.3");
                assertTrue(r[1 + c] >= 0.7 * r[8 + c], "grain " + g + ": strain RMS / own bound " + r[1 + c] / r[8 + c] + " < 0.7: bound or test wrong");
            }
        }
    }

    /**
     * The three-grain scan with a rocking band of the given depth; per grain {masked, RMS ε_xx, ε_yy,
     * ε_xy, rotation RMS (deg), SD ε_xx, ε_yy, ε_xy (about the grain's mean), own bound ε_xx, ε_yy,
     * ε_xy (RMS over the grain's positions of each position's bound), mean error ε_xx, ε_yy, ε_xy, mean reported rotation (deg)}.
     */
    static double[][] threeGrain(double rocking) {
        return threeGrain(rocking, Double.parseDouble(System.getProperty("sim.direct", "4000")));
    }

    /** As {@link #threeGrain(double)} with a direct-beam peak of {@code direct} counts/px (4000: ≈ 4.9·10⁵ e⁻/pattern). */
    static double[][] threeGrain(double rocking, double direct) {
        return threeGrain(rocking, direct, System.getProperty("sim.reflections"));
    }

    /** As {@link #threeGrain(double, double)} with {@code --reflections} (null: the default). */
    static double[][] threeGrain(double rocking, double direct, String reflections) {
        return threeGrain(rocking, direct, reflections, turns());
    }

    /** As {@link #threeGrain(double, double, String)} with the grains' turns (deg). */
    static double[][] threeGrain(double rocking, double direct, String reflections, double[] turns) {
        double[] a = polar(24, 10), b = polar(24, 70);
        int size = Integer.getInteger("sim.size", 192);
        CrystalSim sim = CrystalSim.realistic(15, size, 5.0, new double[] {a[0], a[1], b[0], b[1]}, true,
                direct, Double.parseDouble(System.getProperty("sim.rel", "0.01")),
                turns, 3e-3, 0.4);
        sim.rockingAmp = rocking;
        Harness.MemoryDataset ds = sim.sample(31);
        int n = sim.ny * sim.nx, px = sim.size * sim.size;
        double electrons = 0;
        double[] lam = new double[px];
        sim.expected(n / 2, lam);
        for (double v : lam) electrons += v;
        System.out.printf("three-grain scan, band %.0f %%: %.3g electrons per pattern, direct-beam peak %.0f counts/px, disks %.1f–%.1f counts/px%n",
                100 * rocking, electrons, sim.direct, sim.relMin * sim.direct, sim.relMax * sim.direct);
        assertTrue(Boolean.getBoolean("sim.anyDose") || direct != 4000 || electrons > 3e5 && electrons < 6e5, "dose per pattern " + electrons);
        Map<String, String> fpm = new java.util.HashMap<>();
        if (System.getProperty("sim.model") != null) fpm.put(DiskFitter.P_MODEL, System.getProperty("sim.model"));
        if (reflections != null) fpm.put(DiskFitter.P_REFLECTIONS, reflections);
        MapSet fit = Harness.run(new DiskFitter(), ds, Parameters.of(fpm));
        float[] det = fit.require(DiskFitter.THRESHOLD).toArray();
        float[] nd = fit.require(DiskFitter.NDISKS).toArray(), chi = fit.require(DiskFitter.CHI2).toArray();
        java.util.Arrays.sort(nd);
        java.util.Arrays.sort(chi);
        System.out.printf("detection: threshold %.1f σ, model %s, disks per pattern %.0f–%.0f (median %.0f), median reduced χ² %.2f%n",
                det[0], det[2] == 1 ? "gradient" : "uniform", nd[0], nd[n - 1], nd[n / 2], chi[n / 2]);
        // --reflections circle: the fitter's circle (origin ≈ size/2 + 0.5 px, disk window R + 4σ + 1, margin), its bound over those reflections
        double circle = "circle".equals(reflections) ? sim.size / 2.0 - 0.5 - (5.0 + 4 + 1) - DiskFitter.CIRCLE_MARGIN : Double.POSITIVE_INFINITY;
        MapSet st = new LatticeStrainDeriver().derive(fit, new Harness.ACtx(Calibration.none(),
                Parameters.of(Map.of(LatticeStrainDeriver.P_ROI, "0:4,0:4")), fit.require("lattice/g1x").shape()));
        double[][] res = new double[3][];
        for (int g = 0; g < 3; g++) {
            double[] m = new double[3], v = new double[3], bv = new double[3], fv = new double[3];
            double rot = 0, nds = 0, rotMean = 0;
            int k = 0, masked = 0;
            for (int i = 0; i < n; i++) {
                if (sim.grain[i] != g) continue;
                if (fit.require("fit/mask").get(i) != 0) { masked++; continue; }
                double[] e = {st.require("strain/exx").get(i) - sim.exx[i], st.require("strain/eyy").get(i) - sim.eyy[i],
                        st.require("strain/exy").get(i) - sim.exy[i]};
                double[] bi = strainBound(sim, i, 64, circle);
                double[] bf = circle < Double.POSITIVE_INFINITY ? strainBound(sim, i, 64) : bi;
                for (int c = 0; c < 3; c++) { m[c] += e[c]; v[c] += e[c] * e[c]; bv[c] += bi[c] * bi[c]; fv[c] += bf[c] * bf[c]; }
                double d = st.require("lattice/rotation_deg").get(i) - (sim.rotDeg[i] + sim.turnDeg(i));
                d -= 60 * Math.rint(d / 60);
                rot += d * d;
                rotMean += st.require("lattice/rotation_deg").get(i);
                nds += fit.require("lattice/n_disks").get(i);
                k++;
            }
            double[] r = new double[18];
            r[0] = masked;
            r[14] = rotMean / k;
            r[4] = Math.sqrt(rot / k);
            for (int c = 0; c < 3; c++) {
                r[1 + c] = Math.sqrt(v[c] / k);
                r[11 + c] = m[c] / k;
                r[5 + c] = Math.sqrt(Math.max(0, v[c] / k - r[11 + c] * r[11 + c]));
                r[8 + c] = Math.sqrt(bv[c] / k);
                r[15 + c] = Math.sqrt(fv[c] / k);
            }
            System.out.printf("grain %d (%.0f°): %d positions, masked %d, %.1f disks; strain RMS %.2e %.2e %.2e (xx/yy/xy), mean %.2e %.2e %.2e, "
                    + "SD %.2e %.2e %.2e; own bound %.2e %.2e %.2e; RMS/bound %.2f %.2f %.2f, SD/bound %.2f %.2f %.2f; rotation RMS %.4f deg, mean reported rotation %.2f deg; bound of all 64 disks %.2e %.2e %.2e%n",
                    g, sim.grainTurnsDeg[g], k, masked, nds / k, r[1], r[2], r[3], r[11], r[12], r[13], r[5], r[6], r[7], r[8], r[9], r[10],
                    r[1] / r[8], r[2] / r[9], r[3] / r[10], r[5] / r[8], r[6] / r[9], r[7] / r[10], r[4], r[14], r[15], r[16], r[17]);
            res[g] = r;
        }
        return res;
    }

    /**
     * Cramér–Rao standard deviations of (ε_xx, ε_yy, ε_xy) at position i of a realistic scan: each of
     * the {@code maxDisks} strongest disks inside the frame gets the bound of its centre from the
     * Poisson Fisher information of the simulated disk (centre, amplitude, local background, the
     * fitter's two gradient parameters unknown; numerical derivatives), the disks are combined by
     * weighted least squares over (1, h, k) as the lattice fit combines them, and δε = −sym(δG·G⁻¹)
     * to first order (reference taken as exact).
     */
    static double[] strainBound(CrystalSim sim, int i, int maxDisks) {
        return strainBound(sim, i, maxDisks, Double.POSITIVE_INFINITY);
    }

    /** As {@link #strainBound(CrystalSim, int, int)} over the reflections with |h·g1 + k·g2| ≤ {@code circle} px of the reference basis. */
    static double[] strainBound(CrystalSim sim, int i, int maxDisks, double circle) {
        double[] g = sim.basis(i);
        double g0 = Math.hypot(g[0], g[1]);
        int hm = (int) Math.ceil(sim.size / Math.min(Math.hypot(g[0], g[1]), Math.hypot(g[2], g[3]))) + 1;
        int reach = sim.disk.window();
        java.util.List<double[]> disks = new java.util.ArrayList<>();
        double[] lam = new double[sim.size * sim.size];
        sim.expected(i, lam);
        for (int h = -hm; h <= hm; h++) for (int k = -hm; k <= hm; k++) {
            double cx = sim.ox[i] + h * g[0] + k * g[2], cy = sim.oy[i] + h * g[1] + k * g[3];
            if (cx < reach || cy < reach || cx > sim.size - 1 - reach || cy > sim.size - 1 - reach) continue;
            if (Math.hypot(h * sim.gRef[0] + k * sim.gRef[2], h * sim.gRef[1] + k * sim.gRef[3]) > circle) continue;
            double a = sim.amplitude(h, k, Math.hypot(h * g[0] + k * g[2], h * g[1] + k * g[3]), g0);
            double[] fi = new double[36];
            double[] j = new double[6];
            for (int r = (int) (cy - reach); r <= (int) (cy + reach) + 1; r++) {
                for (int c = (int) (cx - reach); c <= (int) (cx + reach) + 1; c++) {
                    double dx = c - cx, dy = r - cy, rho = Math.hypot(dx, dy);
                    double l = lam[r * sim.size + c];
                    double e = 1e-4;
                    // the disk's own term moves with its centre (contrast attached to the disk)
                    double d0 = sim.disk.exact(rho);
                    double dxp = a * sim.disk.exact(Math.hypot(dx - e, dy)) * sim.contrast(i, h, k, dx - e, dy)
                            - a * sim.disk.exact(Math.hypot(dx + e, dy)) * sim.contrast(i, h, k, dx + e, dy);
                    double dyp = a * sim.disk.exact(Math.hypot(dx, dy - e)) * sim.contrast(i, h, k, dx, dy - e)
                            - a * sim.disk.exact(Math.hypot(dx, dy + e)) * sim.contrast(i, h, k, dx, dy + e);
                    j[0] = dxp / (2 * e);
                    j[1] = dyp / (2 * e);
                    j[2] = d0 * sim.contrast(i, h, k, dx, dy);
                    j[3] = 1;
                    j[4] = d0 * dx;
                    j[5] = d0 * dy;
                    for (int p = 0; p < 6; p++) for (int q = 0; q < 6; q++) fi[p * 6 + q] += j[p] * j[q] / l;
                }
            }
            double[] lo = new double[36], ev = new double[6];
            if (!Small.cholesky(fi, 6, lo)) continue;
            double var = 0.5 * (Small.inverseDiag(lo, 6, 0, ev) + Small.inverseDiag(lo, 6, 1, ev));
            disks.add(new double[] {a, h, k, var});
        }
        disks.sort((u, v) -> Double.compare(v[0], u[0]));
        double[] nm = new double[9];
        for (int d = 0; d < Math.min(maxDisks, disks.size()); d++) {
            double[] q = disks.get(d);
            double[] row = {1, q[1], q[2]};
            for (int p = 0; p < 3; p++) for (int r = 0; r < 3; r++) nm[p * 3 + r] += row[p] * row[r] / q[3];
        }
        // covariance of (o, g1, g2) per coordinate = nm⁻¹ (x and y alike, independent)
        double[][] inv = SiliconMibTest.invert3(new double[][] {{nm[0], nm[1], nm[2]}, {nm[3], nm[4], nm[5]}, {nm[6], nm[7], nm[8]}});
        double c11 = inv[1][1], c12 = inv[1][2], c22 = inv[2][2];
        // G = [[g1x, g2x], [g1y, g2y]]; D = δG·G⁻¹; ε ≈ −sym(D) for small strain and rotation
        double det = g[0] * g[3] - g[2] * g[1];
        double i00 = g[3] / det, i01 = -g[2] / det, i10 = -g[1] / det, i11 = g[0] / det;
        double vxx = i00 * i00 * c11 + 2 * i00 * i10 * c12 + i10 * i10 * c22; // Var D00 = Var(δg1x i00 + δg2x i10)
        double vyy = i01 * i01 * c11 + 2 * i01 * i11 * c12 + i11 * i11 * c22; // Var D11 = Var(δg1y i01 + δg2y i11)
        // D01 = δg1x·i01 + δg2x·i11 and D10 = δg1y·i00 + δg2y·i10: x and y components share the covariance, so
        // Var D01 = Var D11 and Var D10 = Var D00
        return new double[] {Math.sqrt(vxx), Math.sqrt(vyy), 0.5 * Math.sqrt(vxx + vyy)};
    }

    /**
     * Issue 12's target, strain RMS ≤ 2·10⁻⁴ in every grain at ≈ 4·10⁵ e⁻/pattern, against the
     * Cramér–Rao bound of the realistic pattern model of {@link #realisticThreeGrainScan} (hexagonal,
     * |g| = 24 px, 192² frames, radius 5 px, diffuse halo, inner contrast with the gradient model's two
     * parameters unknown, 64 strongest disks, reference exact): the direct beam is scaled so that every
     * pattern holds 4·10⁵ electrons, and the first-order disks are 1 %, 2 %, … of the direct beam. No
     * unbiased estimator can beat this bound, so the target is reachable only where the bound is below it.
     */
    @Test
    void strainBoundAtTheIssuesDose() {
        double[] a = polar(24, 10), b = polar(24, 70);
        double dose = 4e5;
        double[] rels = {0.01, 0.02, 0.03, 0.05, 0.1};
        double[] worst = new double[rels.length];
        for (int r = 0; r < rels.length; r++) {
            double rel = rels[r];
            java.util.function.DoubleFunction<CrystalSim> at = direct -> CrystalSim.realistic(15, 192, 5.0, new double[] {a[0], a[1], b[0], b[1]},
                    true, direct, rel, new double[] {0, 17, 40}, 3e-3, 0.4);
            int i = 2 * 15 + 2; // inside the reference ROI
            double e1 = electrons(at.apply(1000), i), e2 = electrons(at.apply(2000), i);
            double direct = 1000 + 1000 * (dose - e1) / (e2 - e1); // electrons are affine in the direct beam's peak
            CrystalSim sim = at.apply(direct);
            double[] bound = strainBound(sim, i, 64);
            worst[r] = Math.max(bound[0], Math.max(bound[1], bound[2]));
            // Poisson: the Fisher information is proportional to the dose for a pattern of fixed shape
            double needed = dose * Math.pow(worst[r] / 2e-4, 2);
            System.out.printf("bound at %.3g e⁻/pattern, first-order disks %.0f %% of the direct beam (%.0f counts/px, direct %.0f): "
                    + "ε_xx %.2e ε_yy %.2e ε_xy %.2e; 2e-4 needs ≥ %.2g e⁻/pattern%n",
                    electrons(sim, i), 100 * rels[r], sim.amp1, direct, bound[0], bound[1], bound[2], needed);
            assertTrue(worst[r] > 2e-4, rels[r] + " disks at 4e5 e⁻: bound " + worst[r] + " below the target");
        }
        // 1 % disks: the bound is ≈ 2.8× the target; 2e-4 needs ≈ 3·10⁶ e⁻/pattern (8× the issue's dose)
        assertEquals(5.7e-4, worst[0], 0.4e-4, "bound of 1 % disks at 4e5 e⁻/pattern");
        assertTrue(dose * Math.pow(worst[0] / 2e-4, 2) > 2.5e6, "dose that 1 % disks need for 2e-4");
    }

    static double electrons(CrystalSim sim, int i) {
        double[] lam = new double[sim.size * sim.size];
        sim.expected(i, lam);
        double e = 0;
        for (double v : lam) e += v;
        return e;
    }

    /**
     * Strain RMS bound of {@link #realisticThreeGrainScan}. Not the issue's 2·10⁻⁴: with first-order
     * disks at 1 % of the direct beam falling to 0.3 %, inner contrast that needs the six-parameter
     * gradient model, and ≈ 4.9·10⁵ electrons per pattern, the reference grain itself scatters by
     * 3–5·10⁻⁴ (counting noise; it falls as 1/√dose), see plugins/crystalline/README.md.
     */
    static final double STRAIN_RMS = 1e-3;

    /**
     * Without --reference-roi the reference is the median over the scan's most common lattice (its
     * largest grain), not over the whole scan, whose median would mix two grains into a lattice
     * neither has: 20 positions of an unstrained, unrotated grain, 16 of a strained grain turned by 17°.
     */
    @Test
    void defaultReferenceIsTheLargestGrain() {
        double[] a = polar(24, 10), b = polar(24, 70);
        double[] ref = {a[0], a[1], b[0], b[1]};
        int n = 36;
        float[][] g = new float[4][n];
        double[] exx = new double[n];
        for (int i = 0; i < n; i++) {
            double turn = i < 20 ? 0 : 17;
            exx[i] = i < 20 ? 0 : 1e-3 * Math.sin(i); // the larger grain unstrained, the turned one strained by ±1e-3
            double c = Math.cos(Math.toRadians(turn)), s = Math.sin(Math.toRadians(turn));
            double F00 = (1 + exx[i]) * c, F01 = -(1 + exx[i]) * s, F10 = s, F11 = c;
            double det = F00 * F11 - F01 * F10;
            double M00 = F11 / det, M01 = -F10 / det, M10 = -F01 / det, M11 = F00 / det;
            g[0][i] = (float) (M00 * ref[0] + M01 * ref[1]);
            g[1][i] = (float) (M10 * ref[0] + M11 * ref[1]);
            g[2][i] = (float) (M00 * ref[2] + M01 * ref[3]);
            g[3][i] = (float) (M10 * ref[2] + M11 * ref[3]);
        }
        org.ltz4d.api.data.Shape shape = org.ltz4d.api.data.Shape.of(6, 6);
        MapSet in = MapSet.of(org.ltz4d.api.analysis.DataMap.of(DiskFitter.G1X, shape, g[0], org.ltz4d.api.units.Unit.PIXEL, ""),
                org.ltz4d.api.analysis.DataMap.of(DiskFitter.G1Y, shape, g[1], org.ltz4d.api.units.Unit.PIXEL, ""),
                org.ltz4d.api.analysis.DataMap.of(DiskFitter.G2X, shape, g[2], org.ltz4d.api.units.Unit.PIXEL, ""),
                org.ltz4d.api.analysis.DataMap.of(DiskFitter.G2Y, shape, g[3], org.ltz4d.api.units.Unit.PIXEL, ""));
        MapSet st = new LatticeStrainDeriver().derive(in, new Harness.ACtx(Calibration.none(), Parameters.empty(), shape));
        String refText = (String) st.require("strain/exx").attributes().get("reference");
        assertTrue(refText.contains("20 positions"), refText);
        double worst = 0;
        for (int i = 0; i < n; i++) worst = Math.max(worst, Math.abs(st.require("strain/exx").get(i) - exx[i]));
        assertTrue(worst < 1e-5, "worst ε_xx error " + worst + " (a reference mixing both grains gives ~0.3)");
        double d = st.require("lattice/rotation_deg").get(30) - 17;
        assertEquals(0, d - 60 * Math.rint(d / 60), 0.05, "rotation of the 17° grain");
    }

    @Test
    void emptyPatternsAreMaskedNotZero() {
        CrystalSim sim = hexagonal();
        Harness.MemoryDataset ds = sim.sample(4);
        int px = sim.size * sim.size;
        java.util.SplittableRandom r = new java.util.SplittableRandom(9);
        for (int f : new int[] {5, 77}) for (int j = 0; j < px; j++) ds.data[f * px + j] = CrystalSim.poisson(r, 3); // vacuum-like: no disks
        MapSet fit = Harness.run(new DiskFitter(), ds, Parameters.of(Map.of(DiskFitter.P_RADIUS, "5")));
        int masked = 0;
        for (int i = 0; i < sim.ny * sim.nx; i++) masked += (int) fit.require("fit/mask").get(i);
        assertEquals(2, masked);
        for (int f : new int[] {5, 77}) {
            assertEquals(1f, fit.require("fit/mask").get(f));
            assertTrue(Float.isNaN(fit.require("lattice/g1x").get(f)) && Float.isNaN(fit.require("beam/center_x").get(f)));
        }
        MapSet st = new LatticeStrainDeriver().derive(fit, new Harness.ACtx(Calibration.none(), Parameters.empty(), fit.require("lattice/g1x").shape()));
        assertTrue(Float.isNaN(st.require("strain/exx").get(5)) && Float.isFinite(st.require("strain/exx").get(6)));
    }

    void check(CrystalSim sim, double period, long seed) {
        Harness.MemoryDataset ds = sim.sample(seed);
        Parameters p = Parameters.of(Map.of(DiskFitter.P_RADIUS, "5"));
        MapSet fit = Harness.run(new DiskFitter(), ds, p);
        Parameters dp = Parameters.of(Map.of(LatticeStrainDeriver.P_ROI, "0:4,0:4"));
        MapSet st = new LatticeStrainDeriver().derive(fit, new Harness.ACtx(Calibration.none(), dp, fit.require("lattice/g1x").shape()));
        int n = sim.ny * sim.nx;
        double exx = 0, eyy = 0, exy = 0, rot = 0, ob = 0;
        int masked = 0;
        for (int i = 0; i < n; i++) {
            if (fit.require("fit/mask").get(i) != 0) { masked++; continue; }
            exx += sq(st.require("strain/exx").get(i) - sim.exx[i]);
            eyy += sq(st.require("strain/eyy").get(i) - sim.eyy[i]);
            exy += sq(st.require("strain/exy").get(i) - sim.exy[i]);
            double trueRot = sim.rotDeg[i] + sim.turnDeg(i);
            rot += sq(st.require("lattice/rotation_deg").get(i) - trueRot);
            ob += sq(fit.require("beam/center_x").get(i) - sim.ox[i]) + sq(fit.require("beam/center_y").get(i) - sim.oy[i]);
        }
        int k = n - masked;
        if (Boolean.getBoolean("debug.crystal")) {
            DiskFitter.Setup su = DiskFitter.createSetup(ds, p);
            System.out.println("seed " + java.util.Arrays.toString(su.seed()) + " ref " + java.util.Arrays.toString(sim.gRef));
            for (int i = 0; i < n; i += 7) System.out.printf("%d g2=%b rot %.3f true %.3f exx %.2e true %.2e g1 %.2f,%.2f chi2 %.2f n %d%n", i, sim.grain2[i],
                    st.require("lattice/rotation_deg").get(i), sim.rotDeg[i] + sim.turnDeg(i),
                    st.require("strain/exx").get(i), sim.exx[i], fit.require("lattice/g1x").get(i), fit.require("lattice/g1y").get(i),
                    fit.require("fit/chi2_reduced").get(i), (int) fit.require("lattice/n_disks").get(i));
        }
        double rxx = Math.sqrt(exx / k), ryy = Math.sqrt(eyy / k), rxy = Math.sqrt(exy / k), rr = Math.sqrt(rot / k), rb = Math.sqrt(ob / (2 * k));
        System.out.printf("%s: masked %d/%d, RMS exx %.2e eyy %.2e exy %.2e, rotation %.4f deg, beam centre %.4f px%n",
                sim.hexagonal ? "hexagonal" : "cubic", masked, n, rxx, ryy, rxy, rr, rb);
        assertEquals(0, masked, "positions where the lattice fit failed");
        assertTrue(rxx <= 2e-4 && ryy <= 2e-4 && rxy <= 2e-4, "strain RMS " + rxx + ", " + ryy + ", " + rxy + " > 2e-4");
        assertTrue(rr <= 0.03, "rotation RMS " + rr + " deg > 0.03");
        assertTrue(rb <= 0.02, "beam-centre RMS " + rb + " px > 0.02");
        // in-plane orientation of the shortest g, folded to the lattice symmetry, against the truth
        assertEquals(period, (double) st.require("orientation/inplane_deg").attributes().get("fold_period_deg"));
        double oe = 0;
        for (int i = 0; i < n; i++) {
            double[] g = sim.basis(i);
            double t = LatticeStrainDeriver.inplane(g[0], g[1], g[2], g[3], period, 0, false);
            double d = st.require("orientation/inplane_deg").get(i) - t;
            d -= period * Math.rint(d / period);
            oe += d * d;
        }
        assertTrue(Math.sqrt(oe / n) < 0.05, "in-plane orientation RMS " + Math.sqrt(oe / n) + " deg");
    }

    static double sq(double v) {
        return v * v;
    }
}
