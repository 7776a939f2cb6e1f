package org.ltz4d.web;

import javax.servlet.http.HttpServletRequest;

/**
 * How a pattern is shown: the grey scale spans the {@code lo}-th to the {@code hi}-th percentile of
 * the (log or linear) values, then a gamma: shown = t^gamma, t ∈ [0, 1] the position in that span.
 */
record Contrast(double lo, double hi, double gamma) {
    static final Contrast DEFAULT = new Contrast(0, 99.9, 1);

    static Contrast of(HttpServletRequest req) {
        double lo = number(req, "lo", DEFAULT.lo, "a percentile in [0, 100)");
        double hi = number(req, "hi", DEFAULT.hi, "a percentile in (lo, 100]");
        double gamma = number(req, "gamma", DEFAULT.gamma, "a gamma in [0.05, 20]");
        if (!(lo >= 0 && lo < 100)) throw new WebException(400, "parameter 'lo': expected a percentile in [0, 100), got " + lo);
        if (!(hi > lo && hi <= 100)) throw new WebException(400, "parameter 'hi': expected a percentile in (" + lo + ", 100], got " + hi);
        if (!(gamma >= 0.05 && gamma <= 20)) throw new WebException(400, "parameter 'gamma': expected a gamma in [0.05, 20], got " + gamma);
        return new Contrast(lo, hi, gamma);
    }

    private static double number(HttpServletRequest req, String name, double dflt, String expected) {
        String s = req.getParameter(name);
        if (s == null || s.isBlank()) return dflt;
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new WebException(400, "parameter '" + name + "': expected " + expected + ", got '" + s + "'");
        }
    }
}
