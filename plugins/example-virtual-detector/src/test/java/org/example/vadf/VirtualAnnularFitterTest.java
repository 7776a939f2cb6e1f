package org.example.vadf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class VirtualAnnularFitterTest {
    @Test
    void annulusPixelCountMatchesItsArea() {
        int[] idx = VirtualAnnularFitter.indices(201, 201, 20, 60);
        double area = Math.PI * (60 * 60 - 20 * 20);
        assertEquals(area, idx.length, 0.01 * area);
        int[] disk = VirtualAnnularFitter.indices(201, 201, 0, 8);
        assertEquals(Math.PI * 64, disk.length, 0.05 * Math.PI * 64);
    }
}
