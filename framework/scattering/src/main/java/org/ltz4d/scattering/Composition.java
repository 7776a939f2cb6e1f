package org.ltz4d.scattering;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ltz4d.api.error.InvalidParameterException;

/**
 * A composition such as {@code Fe85.2Si0.5B9.5P4Cu0.8} (at.%, or any proportions: the amounts are
 * normalised to atomic fractions). An element without a number counts 1 ({@code FeB} = Fe50B50).
 * A symbol given twice adds up. One copy for every bundle that needs a composition (S(q)/PDF,
 * the simulator's glass patterns).
 */
public final class Composition {
    private static final Pattern TOKEN = Pattern.compile("([A-Z][a-z]?)(\\d+(?:\\.\\d*)?|\\.\\d+)?");

    private final Map<String, Double> fractions;

    private Composition(Map<String, Double> fractions) {
        this.fractions = Collections.unmodifiableMap(fractions);
    }

    /**
     * Parses the composition; {@code parameter} names the CLI option in errors. Element symbols are
     * checked against {@code known} (the scattering table's symbols).
     */
    public static Composition parse(String parameter, String text, java.util.Set<String> known) {
        String expected = "a composition such as Fe85.2Si0.5B9.5P4Cu0.8 (element symbols, each followed by an optional amount in at.%)";
        if (text == null || text.isBlank()) throw new InvalidParameterException(parameter, expected, text);
        String s = text.replaceAll("\\s+", "");
        Matcher m = TOKEN.matcher(s);
        Map<String, Double> amounts = new LinkedHashMap<>();
        int pos = 0;
        while (pos < s.length()) {
            if (!m.find(pos) || m.start() != pos) {
                throw new InvalidParameterException(parameter, expected + "; cannot read from position " + (pos + 1), text);
            }
            String sym = m.group(1);
            if (known != null && !known.contains(sym)) {
                throw new InvalidParameterException(parameter, "known element symbols (H..Lr); '" + sym + "' is not one", text);
            }
            double amount = m.group(2) == null ? 1.0 : Double.parseDouble(m.group(2));
            amounts.merge(sym, amount, Double::sum);
            pos = m.end();
        }
        double total = 0;
        for (double a : amounts.values()) total += a;
        if (amounts.isEmpty() || !(total > 0)) throw new InvalidParameterException(parameter, expected + " with a positive total", text);
        Map<String, Double> f = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : amounts.entrySet()) {
            if (e.getValue() > 0) f.put(e.getKey(), e.getValue() / total);
        }
        return new Composition(f);
    }

    /** Element symbol → atomic fraction (summing to 1), in the order given. */
    public Map<String, Double> fractions() {
        return fractions;
    }

    public List<String> symbols() {
        return new ArrayList<>(fractions.keySet());
    }

    /**
     * The composition-weighted averages of the electron scattering factor at q (Å⁻¹, q = 2π/d):
     * {@code out[0]} = ⟨f⟩ (Å), {@code out[1]} = ⟨f²⟩ (Å²).
     */
    public void averages(ScatteringFactors table, double q, double[] out) {
        double s1 = 0;
        double s2 = 0;
        for (Map.Entry<String, Double> e : fractions.entrySet()) {
            double f = table.fq(e.getKey(), q);
            s1 += e.getValue() * f;
            s2 += e.getValue() * f * f;
        }
        out[0] = s1;
        out[1] = s2;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Double> e : fractions.entrySet()) {
            sb.append(e.getKey()).append(String.format(java.util.Locale.ROOT, "%.4g", 100 * e.getValue()));
        }
        return sb.toString();
    }
}
