package org.ltz4d.figures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ltz4d.figures.FiguresCorrelatorTest.COLS;
import static org.ltz4d.figures.FiguresCorrelatorTest.ROWS;
import static org.ltz4d.figures.FiguresCorrelatorTest.byName;
import static org.ltz4d.figures.FiguresCorrelatorTest.count;
import static org.ltz4d.figures.FiguresCorrelatorTest.map;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ltz4d.api.analysis.Correlation;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.Figure;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.units.Unit;
import org.ltz4d.render.ColorMap;
import org.ltz4d.render.Png;

class RegisteredOverlayFiguresTest {

    /** The scan's fields: B along +x (1 T), ε_ten axis at 0° (ε_ten − ε_com = 0.02), and the registered maps given. */
    private static MapSet scan(DataMap... registered) {
        List<DataMap> m = new java.util.ArrayList<>(List.of(
                map("magnetic/Bx", Unit.TESLA, i -> 1), map("magnetic/By", Unit.TESLA, i -> 0),
                map("strain/angle_ten_deg", Unit.DEGREE, i -> 20), map("strain/e_ten", Unit.DIMENSIONLESS, i -> 0.01),
                map("strain/e_com", Unit.DIMENSIONLESS, i -> -0.01)));
        m.addAll(List.of(registered));
        return MapSet.of(m);
    }

    private static Correlation draw(MapSet maps) {
        return new RegisteredOverlayFigures().correlate(maps, new FiguresCorrelatorTest.Ctx(Calibration.builder().scanStepNm(2, 2).build()));
    }

    /**
     * An EDS-like Fe map registered onto the scan (10 at.% left, 30 at.% right, one column outside
     * the map's reach): the overlay figure draws it in grey under the B arrows and strain sticks;
     * the mirrored map gives a figure that differs over most of the map area, so the figure
     * shows the registered map, not a constant image.
     */
    @Test
    void theOverlayShowsTheRegisteredMapUnderTheFields() {
        DataMap fe = map("registered/Fe", Unit.DIMENSIONLESS, i -> i % COLS == 0 ? Double.NaN : i % COLS < COLS / 2 ? 10 : 30);
        DataMap mirrored = map("registered/Fe", Unit.DIMENSIONLESS, i -> i % COLS == 0 ? Double.NaN : i % COLS < COLS / 2 ? 30 : 10);
        Correlation c = draw(scan(fe));
        Map<String, Figure> figs = byName(c);
        assertEquals(List.of("registered_Fe_overlay.png"), List.copyOf(figs.keySet()));
        Figure f = figs.get("registered_Fe_overlay.png");
        assertTrue(f.caption().contains("/registered/Fe") && f.caption().contains("red arrows") && f.caption().contains("cyan sticks"),
                f.caption());
        assertEquals(10.0, (double) c.statistics().get("registered_Fe_grey_range_low"), 1e-6);
        assertEquals(30.0, (double) c.statistics().get("registered_Fe_grey_range_high"), 1e-6);
        BufferedImage a = Png.decode(f.content());
        assertTrue(a.getWidth() >= 600 && a.getHeight() >= 600, a.getWidth() + "×" + a.getHeight());
        int block = (600 + ROWS - 1) / ROWS;
        int half = ROWS * (COLS / 2 - 1) * block * block;
        int black = count(a, rgb -> rgb == ColorMap.GREY.rgb(0));
        int white = count(a, rgb -> rgb == ColorMap.GREY.rgb(1));
        // arrows, sticks and the scale bar cover part of each half
        assertTrue(black > 0.6 * half, "10 at.% half in black: " + black + " of " + half);
        assertTrue(white > 0.6 * half, "30 at.% half in white: " + white + " of " + half);
        BufferedImage b = Png.decode(draw(scan(mirrored)).figures().get(0).content());
        assertEquals(a.getWidth(), b.getWidth());
        int differ = 0;
        for (int y = 0; y < a.getHeight(); y++) for (int x = 0; x < a.getWidth(); x++) if (a.getRGB(x, y) != b.getRGB(x, y)) differ++;
        assertTrue(differ > 0.6 * 2 * half, "the mirrored map changes the figure: " + differ + " pixels of " + 2 * half);
    }

    /** EBSD in-plane [100] 30° from the ε_ten axis everywhere (50° vs 20°), and 90° (110° vs 20°). */
    @Test
    void ebsdOrientationAgainstTheStrainAxis() {
        Correlation c = draw(scan(map("registered/inplane_deg", Unit.DEGREE, i -> 50),
                DataMap.labels("registered/phase", FiguresCorrelatorTest.NAV, new float[ROWS * COLS], Unit.LABEL, "phase")));
        Map<String, Figure> figs = byName(c);
        assertEquals(java.util.Set.of("registered_inplane_deg_overlay.png", "registered_inplane_vs_strain.png"), figs.keySet(),
                "label maps are not drawn");
        assertEquals(30.0, (double) c.statistics().get("registered_inplane_vs_eten_mean_angle_deg"), 1e-4);
        assertEquals(ROWS * COLS, c.statistics().get("registered_inplane_vs_eten_positions"));
        Correlation d = draw(scan(map("registered/inplane_deg", Unit.DEGREE, i -> 110 + 180 * (i % 2))));
        assertEquals(90.0, (double) d.statistics().get("registered_inplane_vs_eten_mean_angle_deg"), 1e-4);
        BufferedImage img = Png.decode(byName(d).get("registered_inplane_vs_strain.png").content());
        int block = (600 + ROWS - 1) / ROWS;
        assertTrue(count(img, rgb -> rgb == ColorMap.GREY.rgb(1)) > 0.5 * ROWS * COLS * block * block, "90° = white");
        assertEquals(0f, RegisteredOverlayFigures.axisAngle(10, 190), 1e-6f);
        assertEquals(20f, RegisteredOverlayFigures.axisAngle(-170, 170), 1e-4f);
    }

    @Test
    void nothingIsDrawnWithoutRegisteredMaps() {
        FiguresCorrelatorTest.Ctx ctx = new FiguresCorrelatorTest.Ctx(Calibration.none());
        Correlation c = new RegisteredOverlayFigures().correlate(scan(), ctx);
        assertTrue(c.figures().isEmpty());
        assertEquals(0, c.statistics().get("figures_rendered"));
        assertEquals(1, ctx.log.size());
    }
}
