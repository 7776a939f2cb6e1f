/**
 * Reading an ltz4d results file (HDF5, as the engine writes it): {@link org.ltz4d.results.ResultsFile};
 * its NeXus structure rules: {@link org.ltz4d.results.NexusCheck}.
 * One reader of the format for the engine ({@code Engine.readResults}) and the HTML report, which
 * may not import the engine.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.ltz4d.results;
