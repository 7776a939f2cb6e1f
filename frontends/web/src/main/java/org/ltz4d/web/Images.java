package org.ltz4d.web;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
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
        return Png.encode(MapImage.scalar(values, rows, cols, map, range(values, map)));
    }

    /** The values' range a scalar map is shown over: 1st to 99th percentile (diverging maps: symmetric about 0). */
    static Range range(float[] values, ColorMap map) {
        return map == ColorMap.DIVERGING ? Range.symmetricPercentile(values, 99) : Range.percentile(values, 1, 99);
    }

    /** A vector map in the colour wheel, brightness |v| / (99th percentile of |v|). */
    static byte[] vector(float[] vx, float[] vy, int rows, int cols) {
        return Png.encode(MapImage.vector(vx, vy, rows, cols, fullMagnitude(vx, vy)));
    }

    /** The magnitude shown at full brightness in the wheel: the 99th percentile of |v| (1 when none). */
    static double fullMagnitude(float[] vx, float[] vy) {
        float[] mag = new float[vx.length];
        for (int i = 0; i < mag.length; i++) mag[i] = (float) Math.hypot(vx[i], vy[i]);
        double max = Range.percentileValue(mag, 99);
        return max > 0 ? max : 1;
    }

    /**
     * A diffraction pattern in 8-bit grey, linear or log(1 + I), between two percentiles of its
     * values with a gamma ({@link Contrast}); encoded with fast deflate (a click's answer is
     * latency-bound, not size-bound, on the loopback).
     */
    static byte[] pattern(float[] frame, int rows, int cols, boolean log, Contrast contrast) {
        int n = rows * cols;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = log ? (float) Math.log1p(Math.max(0, frame[i])) : frame[i];
        Range range = Range.percentile(v, contrast.lo(), contrast.hi());
        double min = range.min(), scale = 1 / (range.max() - range.min()), gamma = contrast.gamma();
        BufferedImage img = new BufferedImage(cols, rows, BufferedImage.TYPE_BYTE_GRAY);
        byte[] px = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < n; i++) {
            double t = (v[i] - min) * scale;
            t = t > 0 ? (t < 1 ? t : 1) : 0; // NaN → 0
            if (gamma != 1) t = Math.pow(t, gamma);
            px[i] = (byte) Math.round(t * 255);
        }
        return fastPng(img);
    }

    /** PNG with deflate at a low level: ~3× quicker to write than the default for a 192² pattern. */
    static byte[] fastPng(BufferedImage img) {
        ImageWriter w = ImageIO.getImageWritersByFormatName("png").next();
        try (ByteArrayOutputStream out = new ByteArrayOutputStream(img.getWidth() * img.getHeight() + 1024);
                ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            ImageWriteParam p = w.getDefaultWriteParam();
            if (p.canWriteCompressed()) {
                p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                p.setCompressionQuality(0.8f);
            }
            w.setOutput(ios);
            w.write(null, new IIOImage(img, null, null), p);
            ios.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("PNG encoding failed", e);
        } finally {
            w.dispose();
        }
    }

    /** The colour wheel's legend. */
    static byte[] wheelLegend() {
        return Png.encode(ColorWheel.legend(96, false, ""));
    }
}
