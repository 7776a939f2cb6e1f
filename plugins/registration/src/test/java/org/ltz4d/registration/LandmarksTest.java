package org.ltz4d.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltz4d.api.error.CorruptFileException;

class LandmarksTest {
    @TempDir
    Path dir;

    private static List<Landmarks.Pair> pairs(Transform2D t, int n, double noise, long seed) {
        Random r = new Random(seed);
        List<Landmarks.Pair> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double x = r.nextDouble() * 200, y = r.nextDouble() * 150;
            l.add(new Landmarks.Pair(x, y, t.mapX(x, y) + noise * r.nextGaussian(), t.mapY(x, y) + noise * r.nextGaussian()));
        }
        return l;
    }

    @Test
    void similarityAndAffineAreExactOnExactPairs() {
        Transform2D s = Transform2D.similarity(23.5, 0.4, 12, -7);
        Landmarks.Fit f = Landmarks.similarity(pairs(s, 4, 0, 1));
        assertEquals(23.5, f.transform().rotationDeg(), 1e-9);
        assertEquals(0.4, f.transform().scale(), 1e-12);
        assertEquals(12, f.transform().tx(), 1e-9);
        assertEquals(0, f.rmsPx(), 1e-9);
        Transform2D a = new Transform2D(0.5, 0.1, -0.05, 0.45, 3, 4);
        Landmarks.Fit g = Landmarks.affine(pairs(a, 5, 0, 2));
        for (int i = 0; i < 6; i++) assertEquals(a.matrix()[i], g.transform().matrix()[i], 1e-9);
    }

    /** With σ = 0.3 px noise on the scan points, the RMS residual of 40 pairs is σ·√(1 − 4/(2·40))·√2 within 20 %. */
    @Test
    void noisyPairsGiveResidualsOfTheNoise() {
        Transform2D s = Transform2D.similarity(-40, 1.3, 0, 5);
        Landmarks.Fit f = Landmarks.similarity(pairs(s, 40, 0.3, 3));
        double expected = 0.3 * Math.sqrt(2) * Math.sqrt(1 - 4.0 / 80);
        assertEquals(expected, f.rmsPx(), 0.2 * expected);
        assertEquals(-40, f.transform().rotationDeg(), 0.05);
    }

    @Test
    void readsTheFileAndNamesTheBadLine() throws Exception {
        Path ok = Files.writeString(dir.resolve("l.txt"), "x_map y_map x_scan y_scan\n# comment\n1 2 3 4\n5,6,7,8\n");
        assertEquals(List.of(new Landmarks.Pair(1, 2, 3, 4), new Landmarks.Pair(5, 6, 7, 8)), Landmarks.read(ok));
        Path bad = Files.writeString(dir.resolve("b.txt"), "1 2 3 4\n1 2 x 4\n");
        CorruptFileException e = assertThrows(CorruptFileException.class, () -> Landmarks.read(bad));
        assertEquals("line 2", e.field());
        assertThrows(IllegalArgumentException.class, () -> Landmarks.similarity(List.of(new Landmarks.Pair(1, 1, 2, 2))));
        assertThrows(IllegalArgumentException.class, () -> Landmarks.affine(List.of(new Landmarks.Pair(0, 0, 0, 0),
                new Landmarks.Pair(1, 1, 1, 1), new Landmarks.Pair(2, 2, 2, 2))));
    }
}
