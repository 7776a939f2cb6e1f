package org.ltz4d.crystalline;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Symmetry operations of a space group from its Hermann–Mauguin symbol, generated from the group's
 * Hall symbol (Hall, Acta Cryst. A37, 517 (1981): lattice centring, an optional centre of
 * inversion, and up to three generating matrices with their translations) by closing the set under
 * composition, exactly (integer matrices, translations in twelfths). The table below holds the
 * Hall symbols of common metal, magnet and oxide structures; adding a group is one line.
 * <p>Groups with two origin choices take {@code :1} or {@code :2} after the symbol; without it,
 * origin choice 2 (origin at a centre of inversion, the ITA standard setting used by the Bilbao
 * server and most structure databases). Rhombohedral groups are in the hexagonal setting.
 */
final class SpaceGroups {
    private SpaceGroups() {
    }

    private static final Map<String, String> HALL = new HashMap<>();

    private static void put(String hm, String hall) {
        HALL.put(key(hm), hall);
    }

    static {
        // cubic
        put("Fd-3m:1", "F 4d 2 3 -1d");
        put("Fd-3m:2", "-F 4vw 2vw 3");
        put("Fm-3m", "-F 4 2 3");
        put("Im-3m", "-I 4 2 3");
        put("Pm-3m", "-P 4 2 3");
        put("Pm-3n", "-P 4n 2 3");
        put("Ia-3d", "-I 4bd 2c 3");
        put("F-43m", "F -4 2 3");
        put("I-43m", "I -4 2 3");
        put("P-43m", "P -4 2 3");
        put("Fm-3", "-F 2 2 3");
        put("Im-3", "-I 2 2 3");
        put("Pm-3", "-P 2 2 3");
        put("Pa-3", "-P 2ac 2ab 3");
        put("P2_13", "P 2ac 2ab 3");
        // hexagonal, trigonal (hexagonal axes)
        put("P6/mmm", "-P 6 2");
        put("P6_3/mmc", "-P 6c 2c");
        put("P6_3mc", "P 6c -2c");
        put("P-6m2", "P -6 2");
        put("P6/m", "-P 6");
        put("P6_3/m", "-P 6c");
        put("P-3m1", "-P 3 2\"");
        put("P-31m", "-P 3 2");
        put("R-3m", "-R 3 2\"");
        put("R-3c", "-R 3 2\"c");
        put("R-3", "-R 3");
        // tetragonal
        put("P4/mmm", "-P 4 2");
        put("I4/mmm", "-I 4 2");
        put("I4/mcm", "-I 4 2c");
        put("P4_2/mnm", "-P 4n 2n");
        put("I4_1/amd:1", "I 4bw 2bw -1bw");
        put("I4_1/amd:2", "-I 4bd 2");
        put("P4/nmm:1", "P 4ab 2ab -1ab");
        put("P4/nmm:2", "-P 4a 2a");
        // orthorhombic, monoclinic, triclinic
        put("Pnma", "-P 2ac 2n");
        put("Cmcm", "-C 2c 2");
        put("Pmmm", "-P 2 2");
        put("Immm", "-I 2 2");
        put("Fmmm", "-F 2 2");
        put("P2_1/c", "-P 2ybc");
        put("C2/m", "-C 2y");
        put("P1", "P 1");
        put("P-1", "-P 1");
    }

    /** Symbol spelled without spaces and underscores, lower case, old cubic spellings (Fd3m) with their bar. */
    static String key(String hm) {
        String k = hm.replace(" ", "").replace("_", "").replace("'", "").replace("\"", "").toLowerCase(Locale.ROOT);
        k = k.replace(":s", ":1").replace(":z", ":2").replace(":h", "");
        return k;
    }

    /** The symmetry operations (as {@code x,y,z} triplets) of a Hermann–Mauguin symbol, if the table knows it. */
    static Optional<List<String>> operations(String hm) {
        String k = key(hm);
        String hall = HALL.get(k);
        if (hall == null && !k.contains(":")) hall = HALL.get(k + ":2");
        if (hall == null && k.matches("[a-z]+[0-9]*m?3m?.*")) hall = HALL.get(k.replaceFirst("([a-z]+)3", "$1-3")); // Fd3m → Fd-3m
        if (hall == null && k.matches("[a-z]+3m")) hall = HALL.get(k.replaceFirst("3m", "-3m") + ":2");
        return hall == null ? Optional.empty() : Optional.of(fromHall(hall));
    }

    /** The Hermann–Mauguin symbols this table expands. */
    static Set<String> known() {
        return HALL.keySet();
    }

    /** A symmetry operation: integer rotation part (row-major 3×3) and translation in twelfths, in [0, 12). */
    record Op(int[] r, int[] t) {
        Op compose(Op o) {
            int[] m = new int[9];
            int[] v = new int[3];
            for (int i = 0; i < 3; i++) {
                int s = t[i];
                for (int j = 0; j < 3; j++) {
                    int a = 0;
                    for (int k = 0; k < 3; k++) a += r[i * 3 + k] * o.r[k * 3 + j];
                    m[i * 3 + j] = a;
                    s += r[i * 3 + j] * o.t[j];
                }
                v[i] = Math.floorMod(s, 12);
            }
            return new Op(m, v);
        }

        String key() {
            return java.util.Arrays.toString(r) + java.util.Arrays.toString(t);
        }

        /** As {@code -y,x-y,z+1/2}. */
        String xyz() {
            StringBuilder sb = new StringBuilder();
            String[] ax = {"x", "y", "z"};
            for (int i = 0; i < 3; i++) {
                if (i > 0) sb.append(',');
                StringBuilder row = new StringBuilder();
                for (int j = 0; j < 3; j++) {
                    int c = r[i * 3 + j];
                    if (c == 0) continue;
                    row.append(c < 0 ? "-" : row.length() > 0 ? "+" : "").append(Math.abs(c) == 1 ? "" : Math.abs(c) + "*").append(ax[j]);
                }
                if (t[i] != 0) {
                    int g = gcd(t[i], 12);
                    row.append('+').append(t[i] / g).append('/').append(12 / g);
                }
                sb.append(row);
            }
            return sb.toString();
        }
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    private static final int[] ID = {1, 0, 0, 0, 1, 0, 0, 0, 1};

    /** Rotation matrix of an N-fold axis along x, y, z, ' (a−b), " (a+b) or * (a+b+c). */
    private static int[] rotation(int n, char axis, String hall) {
        if (n == 1) return ID;
        int[] m = switch (axis + "" + n) {
            case "z2" -> new int[] {-1, 0, 0, 0, -1, 0, 0, 0, 1};
            case "z3" -> new int[] {0, -1, 0, 1, -1, 0, 0, 0, 1};
            case "z4" -> new int[] {0, -1, 0, 1, 0, 0, 0, 0, 1};
            case "z6" -> new int[] {1, -1, 0, 1, 0, 0, 0, 0, 1};
            case "x2" -> new int[] {1, 0, 0, 0, -1, 0, 0, 0, -1};
            case "x3" -> new int[] {1, 0, 0, 0, 0, -1, 0, 1, -1};
            case "x4" -> new int[] {1, 0, 0, 0, 0, -1, 0, 1, 0};
            case "x6" -> new int[] {1, 0, 0, 0, 1, -1, 0, 1, 0};
            case "y2" -> new int[] {-1, 0, 0, 0, 1, 0, 0, 0, -1};
            case "y3" -> new int[] {-1, 0, 1, 0, 1, 0, -1, 0, 0};
            case "y4" -> new int[] {0, 0, 1, 0, 1, 0, -1, 0, 0};
            case "y6" -> new int[] {0, 0, 1, 0, 1, 0, -1, 0, 1};
            case "'2" -> new int[] {0, -1, 0, -1, 0, 0, 0, 0, -1};
            case "\"2" -> new int[] {0, 1, 0, 1, 0, 0, 0, 0, -1};
            case "*3" -> new int[] {0, 0, 1, 1, 0, 0, 0, 1, 0};
            default -> throw new IllegalArgumentException("Hall symbol '" + hall + "': no " + n + "-fold axis along " + axis);
        };
        return m;
    }

    /** All operations of the group of a Hall symbol (without an origin shift), as x,y,z triplets. */
    static List<String> fromHall(String hall) {
        String[] tok = hall.trim().split("\\s+");
        List<Op> gens = new ArrayList<>();
        String lat = tok[0];
        boolean centro = lat.startsWith("-");
        char l = Character.toUpperCase(lat.charAt(centro ? 1 : 0));
        int[][] centring = switch (l) {
            case 'P' -> new int[][] {};
            case 'A' -> new int[][] {{0, 6, 6}};
            case 'B' -> new int[][] {{6, 0, 6}};
            case 'C' -> new int[][] {{6, 6, 0}};
            case 'I' -> new int[][] {{6, 6, 6}};
            case 'R' -> new int[][] {{8, 4, 4}, {4, 8, 8}};
            case 'F' -> new int[][] {{0, 6, 6}, {6, 0, 6}, {6, 6, 0}};
            default -> throw new IllegalArgumentException("Hall symbol '" + hall + "': unknown lattice " + l);
        };
        for (int[] c : centring) gens.add(new Op(ID, c));
        if (centro) gens.add(new Op(new int[] {-1, 0, 0, 0, -1, 0, 0, 0, -1}, new int[3]));
        int prevN = 0;
        for (int i = 1; i < tok.length; i++) {
            String s = tok[i];
            int p = 0;
            boolean improper = s.charAt(p) == '-';
            if (improper) p++;
            int n = s.charAt(p++) - '0';
            int screw = 0;
            if (p < s.length() && Character.isDigit(s.charAt(p))) screw = s.charAt(p++) - '0';
            char axis = 0;
            if (p < s.length() && "xyz'\"*".indexOf(s.charAt(p)) >= 0) axis = s.charAt(p++);
            if (axis == 0) {
                if (i == 1) axis = 'z';
                else if (i == 2 && n == 2) axis = prevN == 2 || prevN == 4 ? 'x' : '\'';
                else if (n == 3) axis = '*';
                else axis = 'z';
            }
            int[] t = new int[3];
            if (screw > 0) {
                int d = 12 * screw / n;
                switch (axis) {
                    case 'x' -> t[0] += d;
                    case 'y' -> t[1] += d;
                    default -> t[2] += d;
                }
            }
            for (; p < s.length(); p++) {
                switch (s.charAt(p)) {
                    case 'a' -> t[0] += 6;
                    case 'b' -> t[1] += 6;
                    case 'c' -> t[2] += 6;
                    case 'n' -> { t[0] += 6; t[1] += 6; t[2] += 6; }
                    case 'u' -> t[0] += 3;
                    case 'v' -> t[1] += 3;
                    case 'w' -> t[2] += 3;
                    case 'd' -> { t[0] += 3; t[1] += 3; t[2] += 3; }
                    default -> throw new IllegalArgumentException("Hall symbol '" + hall + "': unknown translation " + s.charAt(p));
                }
            }
            int[] r = rotation(n, axis, hall).clone();
            if (improper) for (int k = 0; k < 9; k++) r[k] = -r[k];
            for (int k = 0; k < 3; k++) t[k] = Math.floorMod(t[k], 12);
            gens.add(new Op(r, t));
            prevN = n;
        }
        // closure under composition
        Map<String, Op> group = new java.util.LinkedHashMap<>();
        Op id = new Op(ID, new int[3]);
        group.put(id.key(), id);
        List<Op> frontier = new ArrayList<>(group.values());
        while (!frontier.isEmpty()) {
            List<Op> next = new ArrayList<>();
            for (Op a : frontier) {
                for (Op g : gens) {
                    for (Op c : new Op[] {a.compose(g), g.compose(a)}) {
                        if (group.putIfAbsent(c.key(), c) == null) next.add(c);
                    }
                }
            }
            if (group.size() > 192) throw new IllegalStateException("Hall symbol '" + hall + "' generates more than 192 operations");
            frontier = next;
        }
        Set<String> out = new LinkedHashSet<>();
        for (Op o : group.values()) out.add(o.xyz());
        return new ArrayList<>(out);
    }
}
