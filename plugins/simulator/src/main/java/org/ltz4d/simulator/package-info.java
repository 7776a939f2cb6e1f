/**
 * Simulator of large-angle Lorentz 4D-STEM datasets with known fields (DESIGN.md §2–4): an
 * amorphous ring on a decaying background plus a direct beam, shifted by the Lorentz deflection
 * of a B field, distorted by a strain field, scaled by a density field, seen through a fixed
 * elliptic detector distortion with descan and Poisson noise; plus the vacuum scan and the ground
 * truth — or, with {@link org.ltz4d.simulator.SimulationSpec.Pattern#GLASS}, the pattern of a metallic
 * glass ({@link org.ltz4d.simulator.GlassModel}: scattering factors × S(q) + background), seen
 * through a detector with beam stop, point spread, gain and bad pixels
 * ({@link org.ltz4d.simulator.DetectorEffects}), with the Cramér–Rao bound of either model
 * ({@link org.ltz4d.simulator.CramerRao}). Entry points: {@link org.ltz4d.simulator.SimulationSpec} (what to simulate),
 * {@link org.ltz4d.simulator.Simulator} (frames, truth, files, an in-memory
 * {@link org.ltz4d.api.data.Dataset}) and {@link org.ltz4d.simulator.PatternParams} (the
 * documented expected-count model).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.ltz4d.simulator;
