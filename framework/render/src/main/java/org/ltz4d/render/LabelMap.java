package org.ltz4d.render;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Categorical maps (clusters, binarised orientations, any integer labels): label c in a
 * categorical colour (matplotlib's tab10, distinct for colour-blind readers in its first entries,
 * repeating after ten), label −1 (no value) grey; as an image at one pixel per position, or as a
 * figure with title, scale bar and a {@link Legend} that ends with "no value".
 */
public final class LabelMap {
    /** Colour of label −1 (no value). */
    public static final int NO_VALUE_RGB = 0xB0B0B0;

    private static final int[] PALETTE = {0x1F77B4, 0xFF7F0E, 0x2CA02C, 0xD62728, 0x9467BD, 0x8C564B, 0xE377C2,
        0x7F7F7F, 0xBCBD22, 0x17BECF};

    private LabelMap() {
    }

    /** The colour of {@code label} in the default palette; negative labels are "no value". */
    public static int colour(int label) {
        if (label < 0) return NO_VALUE_RGB;
        return PALETTE[label % PALETTE.length];
    }

    /** The colour of {@code label}: {@code colours[label]} when given, else the default palette. */
    public static int colour(int label, int[] colours) {
        if (label < 0) return NO_VALUE_RGB;
        return colours != null && label < colours.length ? colours[label] : colour(label);
    }

    /** labels per position (row-major, −1 = no value) at one pixel per position; {@code colours} may be null. */
    public static BufferedImage image(int[] labels, int rows, int cols, int[] colours) {
        if (labels.length != rows * cols) throw new IllegalArgumentException("labels: need " + rows * cols + ", got " + labels.length);
        BufferedImage map = new BufferedImage(cols, rows, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < labels.length; i++) map.setRGB(i % cols, i / cols, colour(labels[i], colours));
        return map;
    }

    /**
     * The map upscaled with title and scale bar ({@link FigureBuilder}), and to its right the
     * legend: {@code legend.get(c)} describes label c, then "no value". {@code nmPerPosition} ≤ 0 or
     * NaN: no scale bar.
     */
    public static BufferedImage figure(int[] labels, int rows, int cols, String title, List<String> legend, int[] colours,
            double nmPerPosition) {
        FigureBuilder fb = FigureBuilder.map(image(labels, rows, cols, colours)).title(title).scaleBar(nmPerPosition);
        BufferedImage fig = fb.render();
        List<String> text = new ArrayList<>(legend);
        text.add("no value");
        int[] rgb = new int[text.size()];
        for (int c = 0; c < rgb.length; c++) rgb[c] = c < legend.size() ? colour(c, colours) : NO_VALUE_RGB;
        return Panels.row(0, List.of(fig, Legend.boxes(text, rgb, fb.mapArea().height)));
    }

    public static byte[] png(int[] labels, int rows, int cols, String title, List<String> legend, int[] colours, double nmPerPosition) {
        return Png.encode(figure(labels, rows, cols, title, legend, colours, nmPerPosition));
    }
}
