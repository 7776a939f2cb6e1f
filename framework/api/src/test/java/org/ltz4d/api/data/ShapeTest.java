package org.ltz4d.api.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ShapeTest {
    @Test
    void dimensionsSizeRowsAndColumns() {
        Shape s = Shape.of(620, 225, 256, 256);
        assertEquals(4, s.rank());
        assertEquals(225, s.dim(1));
        assertEquals(620L * 225 * 256 * 256, s.size(), "size does not overflow int");
        assertEquals(620, s.rows());
        assertEquals(256, s.cols());
        assertEquals(1, Shape.of(7).rank());
        assertEquals(7, Shape.of(7).cols());
    }

    @Test
    void isImmutable() {
        int[] dims = {3, 4};
        Shape s = Shape.of(dims);
        dims[0] = 99;
        assertEquals(3, s.dim(0), "of() copies its argument");
        int[] out = s.toArray();
        out[1] = 99;
        assertArrayEquals(new int[] {3, 4}, s.toArray(), "toArray() returns a copy");
    }

    @Test
    void rejectsZeroAndNegativeDimensionsNamingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Shape.of(3, 0));
        assertTrue(e.getMessage().contains("[3, 0]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Shape.of(-1, 2));
    }

    @Test
    void equalityAndTextFollowTheDimensions() {
        assertEquals(Shape.of(2, 3), Shape.of(2, 3));
        assertEquals(Shape.of(2, 3).hashCode(), Shape.of(2, 3).hashCode());
        assertNotEquals(Shape.of(2, 3), Shape.of(3, 2));
        assertNotEquals(Shape.of(6), Shape.of(2, 3));
        assertEquals("(2, 3)", Shape.of(2, 3).toString());
        assertEquals("(5,)", Shape.of(5).toString(), "a 1-tuple as NumPy prints it");
    }
}
