package org.ltz4d.crystalline;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ltz4d.api.analysis.AnalysisContext;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.analysis.QuantityDeriver;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.api.param.ParameterSpec;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.api.units.Electron;
import org.ltz4d.api.units.Unit;
import org.osgi.service.component.annotations.Component;

/**
 * {@code phase}: phase and zone axis per position by matching the measured reduced reciprocal
 * lattice (|g1| ≤ |g2| in Å⁻¹ and their acute angle) against kinematic zone-axis patterns of the
 * candidate structures. For every zone [uvw] of the grid (|u|,|v|,|w| ≤ {@code zone-max-index}) the
 * zero-order Laue zone reflections get I = |F|²·sinc²(π·t·s), F with the Lobato (2014) electron
 * scattering factors and s = λ·g²/2 the excitation error at the exact zone axis; the visible ones
 * (I ≥ 10⁻³ of the strongest) define the simulated 2D lattice. Score = exp(−d²/2τ²) with d² the
 * squared relative misfit of the two lengths plus the squared angle misfit (rad), τ =
 * {@code phase-tolerance}. With the detector pixel in Å⁻¹ (or mrad and the beam energy) the
 * lengths are matched; without it the shape alone (|g1|/|g2| and the angle: zone axes of one
 * structure, but not structures with similar cells, are told apart), and the pixel size the best
 * matches imply is reported (attribute {@code implied_inverse_angstrom_per_pixel}).
 */
@Component(service = QuantityDeriver.class)
public class PhaseDeriver implements QuantityDeriver {
    public static final String NAME = "phase";
    public static final String P_STRUCTURE = "structure";
    public static final String P_LATTICE = "lattice";
    public static final String P_SPACE_GROUP = "space-group";
    public static final String P_ELEMENT = "element";
    public static final String P_TOL = "phase-tolerance";
    public static final String P_ZONE = "zone-max-index";
    public static final String P_THICK = "thickness-nm";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(
                ParameterSpec.text(P_STRUCTURE, "candidate structures: CIF files, comma-separated (the label is the index in this list)", null),
                new ParameterSpec(P_LATTICE, ParameterSpec.Type.DOUBLE_LIST, "a candidate cell a,b,c (Å),alpha,beta,gamma (deg), after the CIFs in the label order", Unit.ANGSTROM, null, 0, 0, List.of()),
                ParameterSpec.text(P_SPACE_GROUP, "space group of --lattice: a centring letter P/I/F/C/A/B/R, or a Hermann–Mauguin symbol (e.g. Fd-3m) whose systematic absences "
                        + "(centring, glides, screws) are removed from the predicted reflections", "P"),
                ParameterSpec.text(P_ELEMENT, "element on each lattice point of --lattice", "Fe"),
                ParameterSpec.number(P_TOL, "relative tolerance τ of the lattice match", Unit.DIMENSIONLESS, 0.03, 1e-4, 1),
                ParameterSpec.integer(P_ZONE, "largest |u|,|v|,|w| of the zone-axis grid", 3, 1, 6),
                THICKNESS);
    }

    /**
     * The specimen thickness: the same quantity, name, unit, range, (absent) default and help text as
     * the B deriver's {@code --thickness-nm} (magnetic-beam), so the crystalline pipeline has one
     * {@code --thickness-nm}, accepted with {@code --structure} alone too. Phase matching uses it for
     * the kinematic excitation-error shape sinc²(π·t·s); not given, it assumes {@link #ASSUMED_THICKNESS_NM}.
     */
    static final ParameterSpec THICKNESS = ParameterSpec.number(P_THICK, "sample thickness (constant); without it B·t is reported in T·nm",
            Unit.NANOMETRE, null, 1e-3, 1e6);
    /** Thickness (nm) the kinematic intensities assume when {@code --thickness-nm} is not given. */
    static final double ASSUMED_THICKNESS_NM = 50;

    @Override
    public List<String> requires() {
        return List.of(DiskFitter.G1X, DiskFitter.G1Y, DiskFitter.G2X, DiskFitter.G2Y);
    }

    /** One simulated zone: reduced |g1| ≤ |g2| (Å⁻¹) and their acute angle (deg). */
    record Zone(int structure, int u, int v, int w, double l1, double l2, double angleDeg) {
    }

    static List<Structure> structures(Parameters p, Structure.Scattering sf) {
        List<Structure> out = new ArrayList<>();
        p.string(P_STRUCTURE).ifPresent(s -> {
            for (String f : s.split("[,;]")) {
                if (f.isBlank()) continue;
                Path path = Path.of(f.trim());
                if (!Files.isRegularFile(path)) throw new InvalidParameterException(P_STRUCTURE, "readable CIF files", f.trim());
                out.add(Structure.readCif(path, sf));
            }
        });
        p.doubleList(P_LATTICE).ifPresent(c -> {
            if (c.length != 6) throw new InvalidParameterException(P_LATTICE, "a,b,c,alpha,beta,gamma (6 numbers)", p.string(P_LATTICE, ""));
            int z = sf.atomicNumber(p.string(P_ELEMENT, "Fe"));
            if (z <= 0) throw new InvalidParameterException(P_ELEMENT, "an element symbol", p.string(P_ELEMENT, ""));
            out.add(Structure.fromCell("lattice", c, p.string(P_SPACE_GROUP, "P"), z, P_SPACE_GROUP));
        });
        if (out.isEmpty()) throw new InvalidParameterException(P_STRUCTURE, "one or more CIF files (or --lattice)", null);
        return out;
    }

    /** The zone-axis table of the candidate structures. */
    static List<Zone> simulate(List<Structure> structures, Structure.Scattering sf, double lambdaA, double thicknessA, double gMax, int maxIndex) {
        List<Zone> zones = new ArrayList<>();
        for (int si = 0; si < structures.size(); si++) {
            Structure st = structures.get(si);
            for (int u = -maxIndex; u <= maxIndex; u++) for (int v = -maxIndex; v <= maxIndex; v++) for (int w = 0; w <= maxIndex; w++) {
                if (w == 0 && (v < 0 || (v == 0 && u <= 0))) continue; // one of ±[uvw]
                if (gcd(gcd(Math.abs(u), Math.abs(v)), w) != 1) continue;
                Zone z = zone(st, si, u, v, w, sf, lambdaA, thicknessA, gMax);
                if (z != null) zones.add(z);
            }
        }
        return zones;
    }

    static Zone zone(Structure st, int si, int u, int v, int w, Structure.Scattering sf, double lambdaA, double tA, double gMax) {
        int hm = (int) Math.ceil(gMax * st.a) + 1, km = (int) Math.ceil(gMax * st.b) + 1, lm = (int) Math.ceil(gMax * st.c) + 1;
        List<double[]> vis = new ArrayList<>();
        double imax = 0;
        for (int h = -hm; h <= hm; h++) for (int k = -km; k <= km; k++) for (int l = -lm; l <= lm; l++) {
            if (h * u + k * v + l * w != 0 || (h == 0 && k == 0 && l == 0) || !st.allowed(h, k, l)) continue;
            double[] g = st.g(h, k, l);
            double g2 = Structure.dot(g, g);
            if (g2 > gMax * gMax) continue;
            double s = 0.5 * lambdaA * g2;
            double x = Math.PI * tA * s;
            double shape = x < 1e-9 ? 1 : Math.pow(Math.sin(x) / x, 2);
            double in = st.intensity(h, k, l, sf) * shape;
            imax = Math.max(imax, in);
            vis.add(new double[] {g[0], g[1], g[2], in});
        }
        if (vis.isEmpty()) return null;
        // 2D coordinates in the plane normal to the zone axis
        double[] zd = st.dir(u, v, w);
        double zn = Math.sqrt(Structure.dot(zd, zd));
        double[] ez = Structure.scale(zd, 1 / zn);
        double[] e1 = null;
        List<double[]> pts = new ArrayList<>();
        for (double[] g : vis) {
            if (g[3] < 1e-3 * imax) continue;
            double[] gv = {g[0], g[1], g[2]};
            if (e1 == null) e1 = Structure.scale(gv, 1 / Math.sqrt(Structure.dot(gv, gv)));
            double[] e2 = Structure.cross(ez, e1);
            pts.add(new double[] {Structure.dot(gv, e1), Structure.dot(gv, e2)});
        }
        if (pts.size() < 2) return null;
        double[] xs = new double[pts.size() + 1], ys = new double[pts.size() + 1];
        for (int i = 0; i < pts.size(); i++) { xs[i + 1] = pts.get(i)[0]; ys[i + 1] = pts.get(i)[1]; }
        double[] basis = Lattice2.detect(xs, ys, xs.length, 0, 1e-6);
        if (basis == null) return null;
        double l1 = Math.hypot(basis[0], basis[1]), l2 = Math.hypot(basis[2], basis[3]);
        return new Zone(si, u, v, w, l1, l2, Lattice2.acuteAngleDeg(basis));
    }

    /** Largest |g| (1/Å) of the simulated zone patterns when the detector pixel is not calibrated. */
    static final double UNSCALED_G_MAX = 1.2;

    static double median(List<Double> v) {
        if (v.isEmpty()) return Double.NaN;
        List<Double> s = new ArrayList<>(v);
        java.util.Collections.sort(s);
        int k = s.size();
        return k % 2 == 1 ? s.get(k / 2) : 0.5 * (s.get(k / 2 - 1) + s.get(k / 2));
    }

    static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    @Override
    public MapSet derive(MapSet in, AnalysisContext ctx) {
        Calibration cal = ctx.calibration();
        double kv = cal.requireBeamKv("phase matching (the excitation error needs the wavelength)");
        // with a detector pixel calibration the lengths in 1/Å are matched; without one only the shape (|g1|/|g2|, angle)
        boolean scaled = cal.detectorPixel().isPresent();
        double sPerPx = scaled ? cal.requireInverseAngstromPerPixel("phase matching (structures in 1/Å need the detector pixel calibrated)") : Double.NaN;
        Parameters p = ctx.parameters();
        Structure.Scattering sf = Structure.Scattering.load();
        List<Structure> st = structures(p, sf);
        double tol = p.positive(P_TOL, 0.03);
        DataMap m1 = in.require(DiskFitter.G1X);
        Shape shape = m1.shape();
        float[] g1x = m1.toArray(), g1y = in.require(DiskFitter.G1Y).toArray(), g2x = in.require(DiskFitter.G2X).toArray(), g2y = in.require(DiskFitter.G2Y).toArray();
        double gMaxMeasured = 0;
        for (int i = 0; i < g1x.length; i++) {
            if (Float.isFinite(g1x[i])) gMaxMeasured = Math.max(gMaxMeasured, Math.max(Math.hypot(g1x[i], g1y[i]), Math.hypot(g2x[i], g2y[i])));
        }
        double gMax = scaled ? Math.max(0.3, 3.0 * gMaxMeasured * sPerPx) : UNSCALED_G_MAX;
        List<Zone> zones = simulate(st, sf, Electron.wavelengthAngstrom(kv), 10 * p.positive(P_THICK, ASSUMED_THICKNESS_NM), gMax, p.integer(P_ZONE, 3));
        int n = g1x.length;
        float[] label = new float[n], score = new float[n], zu = new float[n], zv = new float[n], zw = new float[n];
        List<Double> implied = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (!(Float.isFinite(g1x[i]) && Float.isFinite(g2y[i]))) {
                label[i] = score[i] = zu[i] = zv[i] = zw[i] = Float.NaN;
                continue;
            }
            double[] red = Lattice2.reduce(new double[] {g1x[i], g1y[i], g2x[i], g2y[i]});
            double p1 = Math.hypot(red[0], red[1]), p2 = Math.hypot(red[2], red[3]), ang = Lattice2.acuteAngleDeg(red);
            Zone best = null;
            double bd = Double.MAX_VALUE;
            for (Zone z : zones) {
                double d = scaled
                        ? Lattice2.sq((p1 * sPerPx - z.l1()) / z.l1()) + Lattice2.sq((p2 * sPerPx - z.l2()) / z.l2())
                        : Lattice2.sq((p1 / p2) / (z.l1() / z.l2()) - 1);
                d += Lattice2.sq(Math.toRadians(ang - z.angleDeg()));
                if (d < bd) { bd = d; best = z; }
            }
            if (best == null) {
                label[i] = score[i] = zu[i] = zv[i] = zw[i] = Float.NaN;
                continue;
            }
            label[i] = best.structure();
            score[i] = (float) Math.exp(-bd / (2 * tol * tol));
            zu[i] = best.u(); zv[i] = best.v(); zw[i] = best.w();
            implied.add(0.5 * (best.l1() / p1 + best.l2() / p2));
        }
        String match = scaled ? "lengths |g1|, |g2| in 1/Å and their angle" : "shape only: |g1|/|g2| and the angle (no detector pixel calibration)";
        double impliedS = median(implied);
        if (!scaled) {
            ctx.log(NAME + ": no detector pixel calibration; matched the lattice shape only, which implies "
                    + String.format(java.util.Locale.ROOT, "%.5g", impliedS) + " 1/Å per pixel (give --pixel-inv-angstrom or --pixel-mrad to match lengths too)");
        }
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < st.size(); i++) names.append(i > 0 ? ", " : "").append(i).append('=').append(st.get(i).name);
        return MapSet.of(
                DataMap.labels("phase/label", shape, label, Unit.LABEL, "index of the best-matching candidate structure").withAttribute("structures", names.toString())
                        .withAttribute("match", match).withAttribute("implied_inverse_angstrom_per_pixel", impliedS),
                DataMap.of("phase/score", shape, score, Unit.DIMENSIONLESS, "match score exp(-d²/2τ²), 1 = perfect").withAttribute("tolerance", tol),
                DataMap.labels("orientation/zone_u", shape, zu, Unit.DIMENSIONLESS, "zone axis [uvw] of the best match: u"),
                DataMap.labels("orientation/zone_v", shape, zv, Unit.DIMENSIONLESS, "zone axis [uvw] of the best match: v"),
                DataMap.labels("orientation/zone_w", shape, zw, Unit.DIMENSIONLESS, "zone axis [uvw] of the best match: w"));
    }
}
