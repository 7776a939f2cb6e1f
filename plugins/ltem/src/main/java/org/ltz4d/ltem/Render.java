package org.ltz4d.ltem;

import java.util.Arrays;
import org.ltz4d.api.analysis.Figure;
import org.ltz4d.render.Axes;
import org.ltz4d.render.ColorMap;
import org.ltz4d.render.FigureBuilder;
import org.ltz4d.render.LinePlot;
import org.ltz4d.render.MapImage;
import org.ltz4d.render.Range;

/**
 * Figures (PNG, map at least 600 px): a phase map in grey levels with a colour bar and a vector map
 * in the colour wheel (hue = direction from +x towards +y in array coordinates, clockwise on the
 * screen, DESIGN.md §2) and a loss curve on a logarithmic axis, all drawn with the shared render
 * library {@code org.ltz4d.render}.
 */
final class Render {
    private static final int MIN_SIZE = 600;
    /** Colour of the loss curve (matplotlib's first colour). */
    private static final int LOSS_RGB = 0x1F77B4;

    private Render() {
    }

    static Figure phase(String fileName, String caption, double[] phase, int ny, int nx, double pixelNm) {
        float[] f = LtemInput.toFloat(phase);
        Range range = Range.percentile(f, 0.1, 99.9);
        byte[] png = FigureBuilder.map(MapImage.scalar(f, ny, nx, ColorMap.GREY, range)).title(caption)
                .colorBar(ColorMap.GREY, range, "phase (rad)").scaleBar(pixelNm).png();
        return new Figure(fileName, caption + String.format(" Grey scale from %.3g rad (black) to %.3g rad (white).", range.min(), range.max()),
                Figure.PNG, png);
    }

    static Figure colourWheel(String fileName, String caption, double[] vx, double[] vy, int ny, int nx, double pixelNm) {
        float[] fx = LtemInput.toFloat(vx), fy = LtemInput.toFloat(vy);
        double max = MapImage.maxMagnitude(fx, fy, 99.5);
        byte[] png = FigureBuilder.map(MapImage.vector(fx, fy, ny, nx, max)).title(caption)
                .wheelLegend(false, String.format("|B·t| = 0 … %.3g T·nm", max)).scaleBar(pixelNm).png();
        return new Figure(fileName, caption + String.format(" Colour = direction (hue from +x towards +y, image y down), brightness = "
                + "magnitude, saturating at %.3g T·nm (99.5th percentile).", max), Figure.PNG, png);
    }

    static Figure curve(String fileName, String caption, double[] y) {
        double[] x = new double[y.length];
        for (int i = 0; i < y.length; i++) x[i] = i + 1;
        LinePlot plot = LinePlot.of(900, 620).margins(100, 50, 30, 70).title(caption).labels("iteration", "objective (log scale)").logY()
                .line(x, y, LOSS_RGB, 2f);
        Axes axes = plot.axes();
        return new Figure(fileName, caption + String.format(" Logarithmic vertical axis from %.3g to %.3g; iterations 1 to %d.",
                axes.yBottom(), axes.yTop(), y.length), Figure.PNG, plot.png());
    }

    /** The {@code tail} and 1−{@code tail} quantiles of the finite values. */
    static double[] robustRange(double[] a, double tail) {
        double[] f = Arrays.stream(a).filter(Double::isFinite).sorted().toArray();
        if (f.length == 0) return new double[] {0, 1};
        double lo = f[(int) Math.floor(tail * (f.length - 1))];
        double hi = f[(int) Math.ceil((1 - tail) * (f.length - 1))];
        if (!(hi > lo)) {
            lo = f[0];
            hi = f[f.length - 1];
        }
        if (!(hi > lo)) hi = lo + 1;
        return new double[] {lo, hi};
    }
}
