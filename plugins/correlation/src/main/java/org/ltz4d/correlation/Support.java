package org.ltz4d.correlation;

import java.util.Locale;
import org.ltz4d.api.analysis.AnalysisContext;
import org.ltz4d.api.data.Calibration;

/** Small helpers shared by the correlators. */
final class Support {

    private Support() {
    }

    /** The scan step in nm for scale bars, NaN when the calibration does not know it. */
    static double nmPerPosition(AnalysisContext context) {
        Calibration c = context.calibration();
        if (c == null) return Double.NaN;
        return c.scanStepXNm().orElse(Double.NaN);
    }

    static String fmt(double v) {
        if (!Double.isFinite(v)) return "NaN";
        double a = Math.abs(v);
        if (a != 0 && (a < 1e-3 || a >= 1e5)) {
            String[] me = String.format(Locale.ROOT, "%.3e", v).split("e");
            return new java.math.BigDecimal(me[0]).stripTrailingZeros().toPlainString() + "e" + me[1];
        }
        return new java.math.BigDecimal(String.format(Locale.ROOT, "%.4g", v)).stripTrailingZeros().toPlainString();
    }

    /** The unit symbol in brackets for axis labels, nothing for dimensionless values. */
    static String unitSuffix(String symbol) {
        return symbol == null || symbol.equals("1") || symbol.isEmpty() ? "" : " (" + symbol + ")";
    }

    static float[] toFloat(int[] labels) {
        float[] f = new float[labels.length];
        for (int i = 0; i < f.length; i++) f[i] = labels[i];
        return f;
    }
}
