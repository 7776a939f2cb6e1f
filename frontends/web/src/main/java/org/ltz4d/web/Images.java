package org.ltz4d.web;

import org.ltz4d.render.ColorMap;
import org.ltz4d.render.ColorWheel;
import org.ltz4d.render.MapImage;
import org.ltz4d.render.Png;
import org.ltz4d.render.Range;

/** PNGs of maps and patterns through the figures' colour maps and colour wheels (one pixel per value; the page scales them). */
final class Images {
    private Images() {
    }

    static ColorMap colorMap(String name) {
        return switch (name == null ? "viridis" : name) {
            case "viridis" -> ColorMap.VIRIDIS;
            case "grey", "gray" -> ColorMap.GREY;
            case "diverging" -> ColorMap.DIVERGING;
            default -> throw new WebException(400, "parameter 'cmap': expected viridis, grey or diverging, got '" + name + "'");
        };
    }

    /** A scalar map between its 1st and 99th percentiles (diverging maps: symmetric about 0). */
    static byte[] scalar(float[] values, int rows, int cols, ColorMap map) {
        Range range = map == ColorMap.DIVERGING ? Range.symmetricPercentile(values, 99) : Range.percentile(values, 1, 99);
        return Png.encode(MapImage.scalar(values, rows, cols, map, range));
    }

    /** A vector map in the colour wheel, brightness |v| / (99th percentile of |v|). */
    static byte[] vector(float[] vx, float[] vy, int rows, int cols) {
        float[] mag = new float[vx.length];
        for (int i = 0; i < mag.length; i++) mag[i] = (float) Math.hypot(vx[i], vy[i]);
        double max = Range.percentileValue(mag, 99);
        return Png.encode(MapImage.vector(vx, vy, rows, cols, max > 0 ? max : 1));
    }

    /** A diffraction pattern in grey, linear or log(1 + I), between the minimum and the 99.9th percentile. */
    static byte[] pattern(float[] frame, int rows, int cols, boolean log) {
        float[] v = frame;
        if (log) {
            v = new float[frame.length];
            for (int i = 0; i < v.length; i++) v[i] = (float) Math.log1p(Math.max(0, frame[i]));
        }
        return Png.encode(MapImage.scalar(v, rows, cols, ColorMap.GREY, Range.percentile(v, 0, 99.9)));
    }

    /** The colour wheel's legend. */
    static byte[] wheelLegend() {
        return Png.encode(ColorWheel.legend(96, false, ""));
    }
}
