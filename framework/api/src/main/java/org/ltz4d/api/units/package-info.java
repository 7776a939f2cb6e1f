/**
 * Typed units and quantities, and {@link org.ltz4d.api.units.Electron}: the physical constants and
 * the relativistic electron wavelength of DESIGN.md §2.
 * <p>
 * {@code Electron} is behaviour, not a pure contract, and sits here on purpose: the API's own
 * {@link org.ltz4d.api.data.Calibration} needs the wavelength to convert a detector pixel between
 * mrad and Å⁻¹ (θ = s·λ), and every plugin that turns deflections into fields must use the very same
 * constants and formula, so one definition lives with the calibration it belongs to. It is a final
 * class with static methods only (nothing to implement); a change of its results is a change of the
 * contract and needs a version bump of this package.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.ltz4d.api.units;
