package org.ltz4d.figures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.ltz4d.api.analysis.AnalysisContext;
import org.ltz4d.api.analysis.Correlation;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.Figure;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.api.units.Unit;
import org.ltz4d.render.ColorMap;
import org.ltz4d.render.ColorWheel;
import org.ltz4d.render.Png;

class FiguresCorrelatorTest {

    static final int ROWS = 16;
    static final int COLS = 24;
    static final Shape NAV = Shape.of(ROWS, COLS);

    static final class Ctx implements AnalysisContext {
        final Calibration cal;
        final List<String> log = new ArrayList<>();

        Ctx(Calibration cal) {
            this.cal = cal;
        }

        @Override
        public Calibration calibration() {
            return cal;
        }

        @Override
        public Parameters parameters() {
            return Parameters.empty();
        }

        @Override
        public Shape navShape() {
            return NAV;
        }

        @Override
        public MapSet analyzeReference(Path file, String fitter) {
            throw new AssertionError("figures never run a reference");
        }

        @Override
        public void log(String message) {
            log.add(message);
        }
    }

    static DataMap map(String path, Unit unit, java.util.function.IntToDoubleFunction f) {
        float[] v = new float[ROWS * COLS];
        for (int i = 0; i < v.length; i++) v[i] = (float) f.applyAsDouble(i);
        return DataMap.of(path, NAV, v, unit, "");
    }

    static int count(BufferedImage img, IntPredicate rgb) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) for (int x = 0; x < img.getWidth(); x++) if (rgb.test(img.getRGB(x, y) & 0xFFFFFF)) n++;
        return n;
    }

    static Map<String, Figure> byName(Correlation c) {
        return c.figures().stream().collect(Collectors.toMap(Figure::fileName, f -> f));
    }

    @Test
    void bColourWheelShowsDirectionsAsHues() {
        // left half: 1 T along +x (red); right half: 1 T along +y (hue 90°); one NaN position
        MapSet maps = MapSet.of(
                map("magnetic/Bx", Unit.TESLA, i -> i == 0 ? Double.NaN : (i % COLS < COLS / 2 ? 1 : 0)),
                map("magnetic/By", Unit.TESLA, i -> i % COLS < COLS / 2 ? 0 : 1));
        Ctx ctx = new Ctx(Calibration.builder().scanStepNm(2, 2).build());
        Correlation c = new FiguresCorrelator().correlate(maps, ctx);
        Figure f = byName(c).get("B_colorwheel.png");
        assertEquals(Figure.PNG, f.mediaType());
        BufferedImage img = Png.decode(f.content());
        assertTrue(img.getWidth() >= 600 && img.getHeight() >= 600, img.getWidth() + "×" + img.getHeight());
        int block = 600 / ROWS + (600 % ROWS == 0 ? 0 : 1); // upscaling factor: the 16-row side reaches 600 px
        int half = ROWS * COLS / 2 * block * block;
        int red = count(img, rgb -> rgb == 0xFF0000);
        int green = count(img, rgb -> rgb == ColorWheel.vector(0, 1, 1));
        int grey = count(img, rgb -> rgb == ColorWheel.NAN_RGB);
        // the scale bar covers part of the left half; the wheel legend adds a few exact-hue pixels
        assertTrue(red > 0.85 * half && red < 1.05 * half, "red pixels " + red + " of " + half);
        assertTrue(green > 0.95 * half && green < 1.05 * half, "hue-90° pixels " + green + " of " + half);
        assertTrue(grey >= block * block, "the NaN position is grey: " + grey);
        assertEquals(1.0, (double) c.statistics().get("B_colorwheel_full_brightness_T"), 1e-6);
        assertEquals(List.of("B_colorwheel.png"), c.figures().stream().map(Figure::fileName).toList());
    }

    @Test
    void projectedInductionIsUsedWithoutThickness() {
        MapSet maps = MapSet.of(map("magnetic/Bt_x", Unit.TESLA_NANOMETRE, i -> -30), map("magnetic/Bt_y", Unit.TESLA_NANOMETRE, i -> 0));
        Correlation c = new FiguresCorrelator().correlate(maps, new Ctx(Calibration.none()));
        BufferedImage img = Png.decode(byName(c).get("B_colorwheel.png").content());
        // −x is cyan, and without a scan step there is no scale bar, so every map pixel is cyan
        int block = (600 + ROWS - 1) / ROWS;
        assertTrue(count(img, rgb -> rgb == 0x00FFFF) >= ROWS * COLS * block * block);
        assertEquals(30.0, (double) c.statistics().get("B_colorwheel_full_brightness_T_nm"), 1e-4);
    }

    @Test
    void strainDensityFiguresAndNothingWhenNothingIsThere() {
        MapSet maps = MapSet.of(
                // top rows: ε_ten axis along x (red in the two-fold wheel); bottom: along y (cyan)
                map("strain/angle_ten_deg", Unit.DEGREE, i -> i / COLS < ROWS / 2 ? 0 : 90),
                map("strain/e_ten", Unit.DIMENSIONLESS, i -> 0.01),
                map("strain/e_com", Unit.DIMENSIONLESS, i -> -0.01),
                map("strain/volumetric", Unit.DIMENSIONLESS, i -> 0),
                map("density/relative", Unit.DIMENSIONLESS, i -> i / COLS < ROWS / 2 ? 0.02 : -0.02));
        Correlation c = new FiguresCorrelator().correlate(maps, new Ctx(Calibration.builder().scanStepNm(1.5, 1.5).build()));
        Map<String, Figure> figs = byName(c);
        assertEquals(3, figs.size(), figs.keySet().toString());
        int block = (600 + ROWS - 1) / ROWS;
        int half = ROWS * COLS / 2 * block * block;
        BufferedImage so = Png.decode(figs.get("strain_orientation.png").content());
        assertTrue(so.getWidth() >= 600 && so.getHeight() >= 600);
        int red = count(so, rgb -> rgb == 0xFF0000);
        int cyan = count(so, rgb -> rgb == 0x00FFFF);
        assertTrue(red > 0.8 * half && red < 1.05 * half, "axis 0° red: " + red + " of " + half);
        assertTrue(cyan > 0.95 * half && cyan < 1.05 * half, "axis 90° cyan: " + cyan + " of " + half);
        BufferedImage d = Png.decode(figs.get("density.png").content());
        assertTrue(d.getWidth() >= 600 && d.getHeight() >= 600);
        int hi = count(d, rgb -> rgb == ColorMap.DIVERGING.rgb(1));
        int lo = count(d, rgb -> rgb == ColorMap.DIVERGING.rgb(0));
        assertTrue(hi > 0.8 * half && lo > 0.95 * half, "denser half at the top of the scale: " + hi + ", " + lo + " of " + half);
        BufferedImage sm = Png.decode(figs.get("strain_maps.png").content());
        assertTrue(sm.getHeight() >= 600 && sm.getWidth() >= 3 * 600, sm.getWidth() + "×" + sm.getHeight());
        // three panels: ε_com all at the low end, ε_ten at the high end, volumetric 0 (centre colour)
        assertTrue(count(sm, rgb -> rgb == ColorMap.DIVERGING.rgb(0)) > 0.8 * 2 * half);
        assertTrue(count(sm, rgb -> rgb == ColorMap.DIVERGING.rgb(1)) > 0.8 * 2 * half);
        assertTrue(count(sm, rgb -> rgb == ColorMap.DIVERGING.rgb(0.5)) > 0.8 * 2 * half);

        // a lattice analysis with only the tensor: the components are drawn
        MapSet tensor = MapSet.of(map("strain/exx", Unit.DIMENSIONLESS, i -> 0.01), map("strain/eyy", Unit.DIMENSIONLESS, i -> -0.01),
                map("strain/exy", Unit.DIMENSIONLESS, i -> i % 2 == 0 ? 0.003 : -0.003));
        Correlation t = new FiguresCorrelator().correlate(tensor, new Ctx(Calibration.none()));
        assertEquals(List.of("strain_maps.png"), t.figures().stream().map(Figure::fileName).toList());
        assertTrue(t.figures().get(0).caption().contains("ε_xx"));
        BufferedImage ti = Png.decode(t.figures().get(0).content());
        assertTrue(count(ti, rgb -> rgb == ColorMap.DIVERGING.rgb(1)) > 0.8 * (2 * half + half));

        Ctx empty = new Ctx(Calibration.none());
        Correlation none = new FiguresCorrelator().correlate(MapSet.empty(), empty);
        assertTrue(none.figures().isEmpty());
        assertEquals(0, none.statistics().get("figures_rendered"));
        assertEquals(1, empty.log.size());
        assertTrue(new FiguresCorrelator().requires().isEmpty());
    }
}
