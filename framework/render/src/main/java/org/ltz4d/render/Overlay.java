package org.ltz4d.render;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;

/**
 * Arrow (vector) and stick (axis) overlays drawn over a map that was upscaled by
 * {@code pxPerPosition} and placed with its top-left corner at (x0, y0). Every {@code step}-th
 * position in each direction is drawn, at the centre of its block; NaN positions are skipped.
 */
public final class Overlay {

    private Overlay() {
    }

    /**
     * Arrows for (vx, vy); an arrow of magnitude {@code maxMagnitude} is 0.9·step positions long
     * (longer ones are not clipped).
     */
    public static void arrows(Graphics2D g, double x0, double y0, double pxPerPosition, int rows, int cols,
            float[] vx, float[] vy, int step, double maxMagnitude, Color color) {
        if (step < 1) throw new IllegalArgumentException("overlay step must be ≥ 1, got " + step);
        double full = 0.9 * step * pxPerPosition;
        double scale = maxMagnitude > 0 ? full / maxMagnitude : 0;
        Graphics2D g2 = prepare(g, color, pxPerPosition * step);
        int start = step / 2;
        for (int r = start; r < rows; r += step) {
            for (int c = start; c < cols; c += step) {
                int i = r * cols + c;
                float ux = vx[i];
                float uy = vy[i];
                if (!Float.isFinite(ux) || !Float.isFinite(uy)) continue;
                double lx = ux * scale;
                double ly = uy * scale;
                double len = Math.hypot(lx, ly);
                if (len < 1) continue;
                double cx = x0 + (c + 0.5) * pxPerPosition;
                double cy = y0 + (r + 0.5) * pxPerPosition;
                double ax = cx - lx / 2;
                double ay = cy - ly / 2;
                double bx = cx + lx / 2;
                double by = cy + ly / 2;
                g2.draw(new Line2D.Double(ax, ay, bx, by));
                double head = Math.min(len * 0.35, Math.max(4, 0.3 * step * pxPerPosition));
                double ex = lx / len;
                double ey = ly / len;
                Path2D.Double p = new Path2D.Double();
                p.moveTo(bx, by);
                p.lineTo(bx - head * (ex - 0.5 * ey), by - head * (ey + 0.5 * ex));
                p.lineTo(bx - head * (ex + 0.5 * ey), by - head * (ey - 0.5 * ex));
                p.closePath();
                g2.fill(p);
            }
        }
        g2.dispose();
    }

    /**
     * Sticks along axes at {@code angleDeg} (from +x towards +y), centred on each position; a
     * stick of length {@code maxLength} (in the units of {@code length}) spans 0.9·step positions.
     * {@code length} may be null for sticks of equal length.
     */
    public static void sticks(Graphics2D g, double x0, double y0, double pxPerPosition, int rows, int cols,
            float[] angleDeg, float[] length, int step, double maxLength, Color color) {
        if (step < 1) throw new IllegalArgumentException("overlay step must be ≥ 1, got " + step);
        double full = 0.9 * step * pxPerPosition;
        Graphics2D g2 = prepare(g, color, pxPerPosition * step);
        int start = step / 2;
        for (int r = start; r < rows; r += step) {
            for (int c = start; c < cols; c += step) {
                int i = r * cols + c;
                float a = angleDeg[i];
                double l = length == null ? 1 : length[i];
                if (!Float.isFinite(a) || !Double.isFinite(l)) continue;
                double len = length == null || !(maxLength > 0) ? full : full * Math.min(1, Math.abs(l) / maxLength);
                if (len < 1) continue;
                double t = Math.toRadians(a);
                double dx = Math.cos(t) * len / 2;
                double dy = Math.sin(t) * len / 2;
                double cx = x0 + (c + 0.5) * pxPerPosition;
                double cy = y0 + (r + 0.5) * pxPerPosition;
                g2.draw(new Line2D.Double(cx - dx, cy - dy, cx + dx, cy + dy));
            }
        }
        g2.dispose();
    }

    private static Graphics2D prepare(Graphics2D g, Color color, double cellPx) {
        Graphics2D g2 = (Graphics2D) g.create();
        g2.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g2.setColor(color);
        g2.setStroke(new BasicStroke((float) Math.max(1.0, Math.min(3.0, cellPx / 12)), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        return g2;
    }
}
