package org.ltz4d.crystalline;

import org.ltz4d.scattering.ScatteringFactors;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ltz4d.api.error.CorruptFileException;
import org.ltz4d.api.error.InvalidInputException;
import org.ltz4d.api.error.InvalidParameterException;

/**
 * A crystal structure for kinematic simulation: cell (Å, degrees) and the atoms of the full cell
 * (fractional coordinates, element, occupancy), expanded with the symmetry operations. Read from
 * a minimal CIF (cell, {@code _symmetry_equiv_pos_as_xyz} or {@code _space_group_symop_operation_xyz}
 * — or, without them, the Hermann–Mauguin symbol expanded by {@link SpaceGroups} —,
 * {@code _atom_site_*}), or built from cell parameters and a lattice-centring letter.
 */
final class Structure {
    record Atom(int z, double x, double y, double zc, double occupancy) {
    }

    final String name;
    final double a, b, c, alpha, beta, gamma;
    final List<Atom> atoms;
    /** Reciprocal metric: rows of B* such that g(hkl) Cartesian = B*·(h,k,l), Å⁻¹. */
    final double[][] recip;

    Structure(String name, double a, double b, double c, double alpha, double beta, double gamma, List<Atom> atoms) {
        this.name = name;
        this.a = a; this.b = b; this.c = c; this.alpha = alpha; this.beta = beta; this.gamma = gamma;
        this.atoms = List.copyOf(atoms);
        double ca = Math.cos(Math.toRadians(alpha)), cb = Math.cos(Math.toRadians(beta)), cg = Math.cos(Math.toRadians(gamma));
        double sg = Math.sin(Math.toRadians(gamma));
        // direct basis: a along x, b in xy
        double[] av = {a, 0, 0};
        double[] bv = {b * cg, b * sg, 0};
        double cx = c * cb, cy = c * (ca - cb * cg) / sg;
        double[] cv = {cx, cy, Math.sqrt(Math.max(0, c * c - cx * cx - cy * cy))};
        double vol = dot(av, cross(bv, cv));
        double[] as = scale(cross(bv, cv), 1 / vol), bs = scale(cross(cv, av), 1 / vol), cs = scale(cross(av, bv), 1 / vol);
        recip = new double[][] {as, bs, cs};
        this.direct = new double[][] {av, bv, cv};
    }

    /** Direct basis vectors (Å) as rows. */
    final double[][] direct;

    /**
     * Two generic points' orbits under the space group's operations (fractional x, y, z each), for
     * its systematic absences; empty when the structure carries all its atoms explicitly (a CIF),
     * whose structure factors then vanish by themselves.
     */
    private List<double[]> generic = List.of();

    /**
     * False for a systematic absence of the space group given to {@link #fromCell}: F(hkl) of a
     * general position's orbit is zero (centring, glide planes, screw axes), for two unrelated
     * general positions (a special coincidence for one cannot hold for both).
     */
    boolean allowed(int h, int k, int l) {
        if (generic.isEmpty()) return true;
        for (double[] orbit : generic) {
            double re = 0, im = 0;
            for (int i = 0; i < orbit.length; i += 3) {
                double ph = 2 * Math.PI * (h * orbit[i] + k * orbit[i + 1] + l * orbit[i + 2]);
                re += Math.cos(ph);
                im += Math.sin(ph);
            }
            double n = orbit.length / 3.0;
            if (re * re + im * im > 1e-8 * n * n) return true;
        }
        return false;
    }

    /** g(hkl) Cartesian in Å⁻¹ (1/d). */
    double[] g(int h, int k, int l) {
        return new double[] {h * recip[0][0] + k * recip[1][0] + l * recip[2][0], h * recip[0][1] + k * recip[1][1] + l * recip[2][1],
                h * recip[0][2] + k * recip[1][2] + l * recip[2][2]};
    }

    /** Direction [uvw] Cartesian (Å). */
    double[] dir(int u, int v, int w) {
        return new double[] {u * direct[0][0] + v * direct[1][0] + w * direct[2][0], u * direct[0][1] + v * direct[1][1] + w * direct[2][1],
                u * direct[0][2] + v * direct[1][2] + w * direct[2][2]};
    }

    /** Structure factor amplitude² at (hkl), with the electron scattering factors at |g| (Å). */
    double intensity(int h, int k, int l, Scattering sf) {
        double[] gv = g(h, k, l);
        double g2 = dot(gv, gv);
        double re = 0, im = 0;
        for (Atom at : atoms) {
            double f = sf.fe(at.z(), g2) * at.occupancy();
            double ph = 2 * Math.PI * (h * at.x() + k * at.y() + l * at.zc());
            re += f * Math.cos(ph);
            im += f * Math.sin(ph);
        }
        return re * re + im * im;
    }

    /**
     * Cell + space group with one atom of element {@code z} per lattice point (the centring letter P,
     * I, F, C, A, B, R of the symbol); a full Hermann–Mauguin symbol that {@link SpaceGroups} knows
     * also removes the group's other systematic absences (glides, screws: e.g. Si 200 in Fd-3m) from
     * the reflections ({@link #allowed}). A bare letter is the centring alone; a longer symbol the
     * table does not know is an {@link InvalidParameterException} on {@code parameter}.
     */
    static Structure fromCell(String name, double[] cell, String spaceGroup, int z, String parameter) {
        Structure st = fromCell(name, cell, spaceGroup, z);
        String sym = spaceGroup == null ? "" : spaceGroup.trim();
        if (sym.length() <= 1) return st;
        List<String> ops = SpaceGroups.operations(sym).orElseThrow(() -> new InvalidParameterException(parameter,
                "a centring letter (P, I, F, C, A, B, R) or a Hermann–Mauguin symbol of the table: " + new java.util.TreeSet<>(SpaceGroups.known()), sym));
        List<double[]> orbits = new ArrayList<>();
        for (double[] p0 : new double[][] {{0.1234, 0.3571, 0.7113}, {0.4321, 0.1617, 0.2718}}) {
            double[] orbit = new double[3 * ops.size()];
            for (int i = 0; i < ops.size(); i++) System.arraycopy(applyOp(null, ops.get(i), p0[0], p0[1], p0[2]), 0, orbit, 3 * i, 3);
            orbits.add(orbit);
        }
        st.generic = List.copyOf(orbits);
        return st;
    }

    /** Cell + centring (P, I, F, C, A, B, R) with one atom of element {@code z} per lattice point. */
    static Structure fromCell(String name, double[] cell, String spaceGroup, int z) {
        char lat = spaceGroup == null || spaceGroup.isBlank() ? 'P' : Character.toUpperCase(spaceGroup.trim().charAt(0));
        List<double[]> t = new ArrayList<>();
        t.add(new double[] {0, 0, 0});
        switch (lat) {
            case 'I' -> t.add(new double[] {.5, .5, .5});
            case 'F' -> { t.add(new double[] {0, .5, .5}); t.add(new double[] {.5, 0, .5}); t.add(new double[] {.5, .5, 0}); }
            case 'C' -> t.add(new double[] {.5, .5, 0});
            case 'A' -> t.add(new double[] {0, .5, .5});
            case 'B' -> t.add(new double[] {.5, 0, .5});
            case 'R' -> { t.add(new double[] {2 / 3., 1 / 3., 1 / 3.}); t.add(new double[] {1 / 3., 2 / 3., 2 / 3.}); }
            default -> { }
        }
        List<Atom> atoms = new ArrayList<>();
        for (double[] v : t) atoms.add(new Atom(z, v[0], v[1], v[2], 1));
        return new Structure(name, cell[0], cell[1], cell[2], cell[3], cell[4], cell[5], atoms);
    }

    /** Minimal CIF reader (first data block). */
    static Structure readCif(Path file, Scattering sf) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidInputException(file, "file", "a readable CIF file", e.toString(), e);
        }
        Map<String, String> items = new HashMap<>();
        List<String> ops = new ArrayList<>();
        List<Map<String, String>> sites = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String ln = lines.get(i).trim();
            if (ln.startsWith("loop_")) {
                List<String> keys = new ArrayList<>();
                int j = i + 1;
                while (j < lines.size() && lines.get(j).trim().startsWith("_")) keys.add(lines.get(j++).trim().split("\\s+")[0].toLowerCase(Locale.ROOT));
                List<String> toks = new ArrayList<>();
                while (j < lines.size()) {
                    String l = lines.get(j).trim();
                    if (l.startsWith("_") || l.startsWith("loop_") || l.startsWith("data_")) break;
                    if (!l.isEmpty() && !l.startsWith("#")) toks.addAll(tokens(l));
                    j++;
                }
                int opKey = Math.max(keys.indexOf("_symmetry_equiv_pos_as_xyz"), keys.indexOf("_space_group_symop_operation_xyz"));
                boolean siteLoop = keys.contains("_atom_site_fract_x");
                for (int r = 0; keys.size() > 0 && r + keys.size() <= toks.size(); r += keys.size()) {
                    if (opKey >= 0) ops.add(toks.get(r + opKey));
                    if (siteLoop) {
                        Map<String, String> m = new HashMap<>();
                        for (int k = 0; k < keys.size(); k++) m.put(keys.get(k), toks.get(r + k));
                        sites.add(m);
                    }
                }
                i = j - 1;
            } else if (ln.startsWith("_")) {
                List<String> t = tokens(ln);
                if (t.size() >= 2) items.put(t.get(0).toLowerCase(Locale.ROOT), t.get(1));
            }
        }
        double[] cell = new double[6];
        String[] ck = {"_cell_length_a", "_cell_length_b", "_cell_length_c", "_cell_angle_alpha", "_cell_angle_beta", "_cell_angle_gamma"};
        for (int k = 0; k < 6; k++) cell[k] = number(file, ck[k], items.get(ck[k]));
        if (sites.isEmpty()) throw new InvalidInputException(file, "_atom_site_fract_x loop", "atom sites", "none");
        if (ops.isEmpty()) {
            // no explicit operators: expand the space-group symbol, if the file gives one
            String[] keys = {"_space_group_name_h-m_alt", "_symmetry_space_group_name_h-m"};
            String key = null;
            for (String k : keys) if (items.containsKey(k) && key == null) key = k;
            if (key == null) {
                ops.add("x,y,z");
            } else {
                String sym = items.get(key);
                final String field = key;
                ops.addAll(SpaceGroups.operations(sym).orElseThrow(() -> new InvalidInputException(file, field,
                        "a Hermann–Mauguin symbol ltz4d can expand (" + String.join(", ", new java.util.TreeSet<>(SpaceGroups.known()))
                                + ") or explicit operators (_symmetry_equiv_pos_as_xyz or _space_group_symop_operation_xyz)", sym)));
            }
        }
        List<Atom> atoms = new ArrayList<>();
        for (Map<String, String> s : sites) {
            String sym = s.getOrDefault("_atom_site_type_symbol", s.get("_atom_site_label"));
            int z = sf.atomicNumber(sym == null ? "" : sym);
            if (z <= 0) throw new InvalidInputException(file, "_atom_site_type_symbol", "an element symbol", sym);
            double x = number(file, "_atom_site_fract_x", s.get("_atom_site_fract_x"));
            double y = number(file, "_atom_site_fract_y", s.get("_atom_site_fract_y"));
            double zc = number(file, "_atom_site_fract_z", s.get("_atom_site_fract_z"));
            double occ = s.containsKey("_atom_site_occupancy") ? number(file, "_atom_site_occupancy", s.get("_atom_site_occupancy")) : 1;
            List<double[]> seen = new ArrayList<>();
            for (String op : ops) {
                double[] p = applyOp(file, op, x, y, zc);
                boolean dup = false;
                for (double[] q : seen) {
                    double dx = frac(p[0] - q[0]), dy = frac(p[1] - q[1]), dz = frac(p[2] - q[2]);
                    if (Math.min(dx, 1 - dx) < 1e-3 && Math.min(dy, 1 - dy) < 1e-3 && Math.min(dz, 1 - dz) < 1e-3) dup = true;
                }
                if (dup) continue;
                seen.add(p);
                atoms.add(new Atom(z, p[0], p[1], p[2], occ));
            }
        }
        String name = file.getFileName().toString().replaceFirst("\\.cif$", "");
        return new Structure(name, cell[0], cell[1], cell[2], cell[3], cell[4], cell[5], atoms);
    }

    private static double frac(double v) {
        return v - Math.floor(v);
    }

    /** Applies a symmetry operation such as {@code -y,x-y,z+1/2}. */
    static double[] applyOp(Path file, String op, double x, double y, double z) {
        String[] parts = op.replace("'", "").replace(" ", "").toLowerCase(Locale.ROOT).split(",");
        if (parts.length != 3) throw new CorruptFileException(file, "symmetry operation", "three comma-separated expressions", op);
        double[] out = new double[3];
        for (int k = 0; k < 3; k++) {
            String e = parts[k];
            double v = 0;
            int i = 0;
            while (i < e.length()) {
                double sign = 1;
                if (e.charAt(i) == '+' || e.charAt(i) == '-') { sign = e.charAt(i) == '-' ? -1 : 1; i++; }
                int j = i;
                while (j < e.length() && e.charAt(j) != '+' && e.charAt(j) != '-') j++;
                String t = e.substring(i, j);
                if (t.equals("x")) v += sign * x;
                else if (t.equals("y")) v += sign * y;
                else if (t.equals("z")) v += sign * z;
                else if (t.contains("/")) {
                    String[] fr = t.split("/");
                    v += sign * Double.parseDouble(fr[0]) / Double.parseDouble(fr[1]);
                } else if (!t.isEmpty()) {
                    try {
                        v += sign * Double.parseDouble(t);
                    } catch (NumberFormatException ex) {
                        throw new CorruptFileException(file, "symmetry operation", "terms x, y, z and fractions", op);
                    }
                }
                i = j;
            }
            out[k] = frac(v);
        }
        return out;
    }

    private static double number(Path file, String key, String v) {
        if (v == null) throw new InvalidInputException(file, key, "a number", "missing");
        String s = v.replaceAll("\\(.*\\)", "");
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new CorruptFileException(file, key, "a number", v);
        }
    }

    private static List<String> tokens(String line) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < line.length()) {
            char ch = line.charAt(i);
            if (Character.isWhitespace(ch)) { i++; continue; }
            if (ch == '\'' || ch == '"') {
                int j = line.indexOf(ch, i + 1);
                if (j < 0) j = line.length();
                out.add(line.substring(i + 1, j));
                i = j + 1;
            } else {
                int j = i;
                while (j < line.length() && !Character.isWhitespace(line.charAt(j))) j++;
                out.add(line.substring(i, j));
                i = j;
            }
        }
        return out;
    }

    static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    static double[] cross(double[] a, double[] b) {
        return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }

    static double[] scale(double[] a, double s) {
        return new double[] {a[0] * s, a[1] * s, a[2] * s};
    }

    /**
     * Lobato &amp; Van Dyck (2014) electron scattering factors (the shared table of bundle
     * org.ltz4d.scattering), indexed by atomic number for the structure-factor loops.
     */
    static final class Scattering {
        private final double[][] a = new double[104][];
        private final double[][] b = new double[104][];
        private final Map<String, Integer> symbols = new HashMap<>();

        static Scattering load() {
            ScatteringFactors table = ScatteringFactors.of(ScatteringFactors.Kind.LOBATO);
            Scattering s = new Scattering();
            for (String symbol : table.symbols()) {
                int z = table.atomicNumber(symbol);
                double[] p = table.parameters(symbol);
                s.symbols.put(symbol.toLowerCase(Locale.ROOT), z);
                s.a[z] = java.util.Arrays.copyOfRange(p, 0, 5);
                s.b[z] = java.util.Arrays.copyOfRange(p, 5, 10);
            }
            return s;
        }

        /** Atomic number of a symbol such as {@code Sm}, {@code Co1}, {@code Fe3+}; 0 when unknown. */
        int atomicNumber(String label) {
            String letters = label.replaceAll("[^A-Za-z].*$", "");
            for (int len = Math.min(2, letters.length()); len >= 1; len--) {
                Integer z = symbols.get(letters.substring(0, len).toLowerCase(Locale.ROOT));
                if (z != null) return z;
            }
            return 0;
        }

        /** f_e(g) in Å, g² in Å⁻² (g = 1/d): Σ aᵢ(2 + bᵢg²)/(1 + bᵢg²)². */
        double fe(int z, double g2) {
            double f = 0;
            for (int k = 0; k < 5; k++) {
                double t = 1 + b[z][k] * g2;
                f += a[z][k] * (2 + b[z][k] * g2) / (t * t);
            }
            return f;
        }
    }
}
