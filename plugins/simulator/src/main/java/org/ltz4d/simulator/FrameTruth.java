package org.ltz4d.simulator;

/**
 * The known answer at one scan position (row y, column x).
 *
 * @param bx              B_x in T at this position
 * @param by              B_y in T
 * @param ringCenterX     ring (and pattern) centre on the detector, px: pattern centre + descan + deflection
 * @param ringCenterY     ditto, y
 * @param beamCenterX     direct-beam centre in the sample scan, px (the whole pattern is deflected, so = ring centre)
 * @param beamCenterY     ditto, y
 * @param vacuumCenterX   direct-beam centre in the vacuum scan, px: pattern centre + descan
 * @param vacuumCenterY   ditto, y
 * @param q11             ring form Q (px⁻²), pᵀQp = 1 on the ridge
 * @param q12             ditto
 * @param q22             ditto
 * @param exx             strain the ring-form analysis measures against the reference form
 *                        (DESIGN.md §4: (D_ref·Q·D_ref)^(1/2) − I = (I+ε)·ρ^(−1/3) − I), tensor components
 * @param eyy             ditto
 * @param exy             ditto
 * @param appliedExx      the applied strain field ε at this position (equal to exx where the density is 1)
 * @param appliedEyy      ditto
 * @param appliedExy      ditto
 * @param density         the applied density field ρ/ρ_ref
 * @param densityRelative Δρ from the ring area with n = 3 (DESIGN.md §4): (A/A_ref)^(3/2) − 1 =
 *                        ρ/det(I+ε)^(3/2) − 1 (equal to ρ − 1 where there is no strain)
 * @param pattern         the expected-count model of the sample pattern (ring pattern; for the glass
 *                        pattern only its geometry — centre and form Q — holds, its amplitudes are 0)
 * @param vacuum          the expected-count model of the vacuum pattern (ring pattern)
 * @param glass           the glass pattern's expected-count model before the detector (null for ring)
 * @param glassVacuum     the glass vacuum pattern's model (null for ring)
 * @param sample          what the scan shows here: 1 sample, 0 vacuum (hole), 2 thick
 *                        ({@link SimulationSpec#sampleClass}); at a vacuum position there is no
 *                        deflection (B = 0, ring centre = vacuum centre) while strain and density keep
 *                        the applied fields' values (no ring to measure them)
 */
public record FrameTruth(int y, int x, double bx, double by, double ringCenterX, double ringCenterY,
        double beamCenterX, double beamCenterY, double vacuumCenterX, double vacuumCenterY, double q11, double q12,
        double q22, double exx, double eyy, double exy, double appliedExx, double appliedEyy, double appliedExy,
        double density, double densityRelative, PatternParams pattern, PatternParams vacuum, GlassPattern glass,
        GlassPattern glassVacuum, int sample) {
}
