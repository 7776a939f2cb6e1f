/**
 * Amorphous-ring analysis (DESIGN.md §3–4): the {@code beam} fitter (direct-beam centre by masked
 * centre of mass), the {@code ring} fitter (the first amorphous ring as an ellipse, Poisson ML at
 * the Cramér–Rao bound) and the {@code amorphous} pipeline. Implementation package: not exported.
 */
package org.ltz4d.amorphous;
