/**
 * Figure rendering for ltz4d, pure Java2D and ImageIO (works headless): colour maps
 * ({@link org.ltz4d.render.ColorMap}), vector and axial colour wheels
 * ({@link org.ltz4d.render.ColorWheel}), map images ({@link org.ltz4d.render.MapImage}), colour
 * bars, scale bars, titles and legends laid out by {@link org.ltz4d.render.FigureBuilder},
 * arrow/stick overlays ({@link org.ltz4d.render.Overlay}) and PNG encoding
 * ({@link org.ltz4d.render.Png}); and the plotting primitives every figure bundle uses instead of
 * its own Java2D code: {@link org.ltz4d.render.Axes} (frame, ticks, tick and axis labels, linear or
 * logarithmic), {@link org.ltz4d.render.LinePlot} (curves, ±σ bands, a reference line),
 * {@link org.ltz4d.render.Histogram2dPlot} (2D histograms on a log-count scale),
 * {@link org.ltz4d.render.LabelMap} (categorical maps) and {@link org.ltz4d.render.Legend}. The
 * figure bundles keep only what their figures show.
 *
 * <p>Conventions (DESIGN.md §2): maps are row-major (scan_y, scan_x) and drawn with row 0 at the
 * top, so array +x points right and +y points down on the screen; angles are measured from +x
 * towards +y (clockwise on the screen). The colour-wheel legends are drawn in the same screen
 * frame, so a colour in the map and in the legend mean the same direction.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.ltz4d.render;
