package org.ltz4d.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class ColorWheelTest {

    @Test
    void knownDirectionsHaveKnownHues() {
        assertEquals(0xFF0000, ColorWheel.vector(1, 0, 1));      // +x red
        assertEquals(0x00FFFF, ColorWheel.vector(-1, 0, 1));     // -x cyan
        assertEquals(0x80FF00, ColorWheel.vector(0, 1, 1));      // +y: hue 90°
        assertEquals(0x8000FF, ColorWheel.vector(0, -1, 1));     // -y: hue 270°
        assertEquals(90.0, ColorWheel.hueDegrees(ColorWheel.vector(0, 2, 2)), 0.5);
        assertEquals(135.0, ColorWheel.hueDegrees(ColorWheel.vector(-1, 1, 1)), 0.5);
    }

    @Test
    void brightnessIsMagnitudeAndNanIsGrey() {
        assertEquals(0x000000, ColorWheel.vector(0, 0, 1));
        assertEquals(128, (ColorWheel.vector(0.5, 0, 1) >> 16) & 255, 1);
        assertEquals(0xFF0000, ColorWheel.vector(5, 0, 1)); // clamped
        assertEquals(ColorWheel.NAN_RGB, ColorWheel.vector(Double.NaN, 0, 1));
        assertEquals(ColorWheel.NAN_RGB, ColorWheel.axial(Double.NaN, 1, 1));
    }

    @Test
    void axialWheelIsTwoFold() {
        for (double a = 0; a < 180; a += 7.5) {
            assertEquals(ColorWheel.axial(a, 1, 1), ColorWheel.axial(a + 180, 1, 1));
            assertEquals(ColorWheel.axial(a, 1, 1), ColorWheel.axial(a - 180, 1, 1));
        }
        assertEquals(0xFF0000, ColorWheel.axial(0, 1, 1));
        assertEquals(0x00FFFF, ColorWheel.axial(90, 1, 1));   // perpendicular axes: opposite hues
        assertEquals(90.0, ColorWheel.hueDegrees(ColorWheel.axial(45, 1, 1)), 0.5);
    }

    @Test
    void legendMatchesTheMapFrame() {
        BufferedImage img = ColorWheel.legend(200, false, "B");
        // find the disk centre: the legend pads the disk symmetrically
        int w = img.getWidth();
        int pad = (w - 200) / 2;
        int cx = pad + 100;
        int cy = pad + 100;
        // a point right of the centre (+x) is red, below it (+y, screen down) has hue 90°
        int right = img.getRGB(cx + 90, cy) & 0xFFFFFF;
        int below = img.getRGB(cx, cy + 90) & 0xFFFFFF;
        assertEquals(0.0, Math.min(ColorWheel.hueDegrees(right), 360 - ColorWheel.hueDegrees(right)), 3);
        assertEquals(90.0, ColorWheel.hueDegrees(below), 3);
        assertTrue(img.getHeight() > img.getWidth(), "label adds height");
        BufferedImage ax = ColorWheel.legend(200, true, null);
        int l = ax.getRGB(cx - 90, cy) & 0xFFFFFF;
        int r = ax.getRGB(cx + 90, cy) & 0xFFFFFF;
        double d = Math.abs(ColorWheel.hueDegrees(r) - ColorWheel.hueDegrees(l)) % 360;
        assertEquals(0, Math.min(d, 360 - d), 4, "opposite directions share a colour in the two-fold wheel");
    }
}
