package org.ltz4d.scattering;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Electron scattering factors f_e(g) in Å of neutral atoms, g = 1/d = q/2π in Å⁻¹, from the
 * parametrisations embedded in this bundle (exact copies of {@code shared/data/scattering}, see
 * SCATTERING-NOTICE.txt): Lobato &amp; Van Dyck (2014) and Kirkland (2010). One copy for every
 * analysis that needs them (S(q)/PDF normalisation, kinematic structure factors).
 */
public final class ScatteringFactors {

    /** Which parametrisation. */
    public enum Kind {
        LOBATO("lobato2014.csv", 10), KIRKLAND("kirkland.csv", 12);

        /** The table's resource name in this package. */
        public final String resource;
        /** Parameters per element. */
        public final int columns;

        Kind(String resource, int columns) {
            this.resource = resource;
            this.columns = columns;
        }

        public static Kind parse(String s) {
            return "kirkland".equals(s) ? KIRKLAND : LOBATO;
        }
    }

    private static final Map<Kind, ScatteringFactors> CACHE = new java.util.concurrent.ConcurrentHashMap<>();

    private final Kind kind;
    private final Map<String, double[]> params;
    private final Map<String, Integer> atomicNumbers;

    private ScatteringFactors(Kind kind, Map<String, double[]> params, Map<String, Integer> atomicNumbers) {
        this.kind = kind;
        this.params = Collections.unmodifiableMap(params);
        this.atomicNumbers = Collections.unmodifiableMap(atomicNumbers);
    }

    /** The embedded table of this kind (parsed once). */
    public static ScatteringFactors of(Kind kind) {
        return CACHE.computeIfAbsent(kind, k -> {
            try (InputStream in = ScatteringFactors.class.getResourceAsStream(k.resource)) {
                if (in == null) throw new IllegalStateException("resource " + k.resource + " missing from the bundle");
                Map<String, Integer> z = new LinkedHashMap<>();
                return new ScatteringFactors(k, parse(in, k.columns, k.resource, z), z);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Parses a table {@code Z,symbol,p1..pN} with a header line. Public for the table test. */
    public static Map<String, double[]> parse(InputStream in, int columns, String name) throws IOException {
        return parse(in, columns, name, new LinkedHashMap<>());
    }

    private static Map<String, double[]> parse(InputStream in, int columns, String name, Map<String, Integer> atomicNumbers)
            throws IOException {
        Map<String, double[]> out = new LinkedHashMap<>();
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String header = r.readLine();
        if (header == null || !header.startsWith("Z,symbol")) throw new IOException(name + ": header Z,symbol,... expected, found " + header);
        String line;
        while ((line = r.readLine()) != null) {
            if (line.isBlank()) continue;
            String[] p = line.split(",");
            if (p.length != columns + 2) throw new IOException(name + ": " + (columns + 2) + " columns expected in line " + line);
            double[] v = new double[columns];
            for (int i = 0; i < columns; i++) v[i] = Double.parseDouble(p[i + 2].trim());
            out.put(p[1].trim(), v);
            atomicNumbers.put(p[1].trim(), Integer.parseInt(p[0].trim()));
        }
        return out;
    }

    public Kind kind() {
        return kind;
    }

    public Set<String> symbols() {
        return params.keySet();
    }

    /** Atomic number of an element symbol such as {@code Fe}; 0 when the table has no such element. */
    public int atomicNumber(String symbol) {
        return atomicNumbers.getOrDefault(symbol, 0);
    }

    /** A copy of the table's parameters of one element (Lobato: a1..a5, b1..b5). */
    public double[] parameters(String symbol) {
        double[] p = params.get(symbol);
        if (p == null) throw new IllegalArgumentException("no scattering factor for element " + symbol);
        return p.clone();
    }

    /** f_e in Å of element {@code symbol} at g = 1/d in Å⁻¹ (g = q/2π). */
    public double f(String symbol, double g) {
        double[] p = params.get(symbol);
        if (p == null) throw new IllegalArgumentException("no scattering factor for element " + symbol);
        double g2 = g * g;
        double sum = 0;
        if (kind == Kind.LOBATO) {
            for (int i = 0; i < 5; i++) {
                double a = p[i];
                double b = p[5 + i];
                double t = 1 + b * g2;
                sum += a * (2 + b * g2) / (t * t);
            }
        } else {
            for (int i = 0; i < 3; i++) {
                sum += p[2 * i] / (g2 + p[2 * i + 1]);
                sum += p[6 + 2 * i] * Math.exp(-p[6 + 2 * i + 1] * g2);
            }
        }
        return sum;
    }

    /** f_e in Å at q = 2π/d in Å⁻¹. */
    public double fq(String symbol, double q) {
        return f(symbol, q / (2 * Math.PI));
    }
}
