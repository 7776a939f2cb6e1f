package org.ltz4d.render;

import java.util.Objects;

/**
 * A colour map from [0, 1] to opaque RGB, as a 256-entry table interpolated linearly (in sRGB)
 * between control points. NaN maps to the map's NaN colour. Immutable and thread-safe.
 */
public final class ColorMap {

    /** Matplotlib's viridis (perceptually uniform, colour-blind safe), from 10 control points. */
    public static final ColorMap VIRIDIS = fromControlPoints("viridis", 0x808080,
            0x440154, 0x482878, 0x3E4A89, 0x31688E, 0x26828E, 0x1F9E89, 0x35B779, 0x6DCD59, 0xB4DE2C, 0xFDE725);

    /**
     * A diverging blue–white–red map (ColorBrewer RdBu, reversed: low = blue, high = red) for
     * signed quantities centred on zero. NaN is a dark grey, so it differs from the white centre.
     */
    public static final ColorMap DIVERGING = fromControlPoints("diverging", 0x606060,
            0x053061, 0x2166AC, 0x4393C3, 0x92C5DE, 0xD1E5F0, 0xF7F7F7, 0xFDDBC7, 0xF4A582, 0xD6604D, 0xB2182B, 0x67001F);

    /** Linear grey from black to white; NaN is a dark red so it cannot be mistaken for a value. */
    public static final ColorMap GREY = fromControlPoints("grey", 0x800000, 0x000000, 0xFFFFFF);

    private static final int SIZE = 256;

    private final String name;
    private final int[] table;
    private final int nanRgb;

    private ColorMap(String name, int[] table, int nanRgb) {
        this.name = name;
        this.table = table;
        this.nanRgb = nanRgb;
    }

    /**
     * A map interpolating linearly between equally spaced control points {@code rgb} (0xRRGGBB,
     * at least two); {@code nanRgb} is used for NaN values.
     */
    public static ColorMap fromControlPoints(String name, int nanRgb, int... rgb) {
        Objects.requireNonNull(name, "name");
        if (rgb.length < 2) throw new IllegalArgumentException("a colour map needs at least two control points");
        int[] t = new int[SIZE];
        int segments = rgb.length - 1;
        for (int i = 0; i < SIZE; i++) {
            double x = i / (double) (SIZE - 1) * segments;
            int k = Math.min((int) Math.floor(x), segments - 1);
            double f = x - k;
            t[i] = lerp(rgb[k], rgb[k + 1], f);
        }
        return new ColorMap(name, t, nanRgb & 0xFFFFFF);
    }

    static int lerp(int a, int b, double f) {
        int r = (int) Math.round(((a >> 16) & 255) * (1 - f) + ((b >> 16) & 255) * f);
        int g = (int) Math.round(((a >> 8) & 255) * (1 - f) + ((b >> 8) & 255) * f);
        int bl = (int) Math.round((a & 255) * (1 - f) + (b & 255) * f);
        return (r << 16) | (g << 8) | bl;
    }

    public String name() {
        return name;
    }

    /** The colour (0xRRGGBB) of {@code t} in [0, 1]; values outside are clamped, NaN gives the NaN colour. */
    public int rgb(double t) {
        if (Double.isNaN(t)) return nanRgb;
        if (t <= 0) return table[0];
        if (t >= 1) return table[SIZE - 1];
        return table[(int) Math.round(t * (SIZE - 1))];
    }

    /** The colour of {@code value} on the range {@code range}. */
    public int rgb(double value, Range range) {
        return rgb(range.normalise(value));
    }

    /** The colour used for NaN (no value). */
    public int nanRgb() {
        return nanRgb;
    }

    @Override
    public String toString() {
        return name;
    }
}
