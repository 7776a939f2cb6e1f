/**
 * Reader support shared by the format bundles, so that none keeps its own copy:
 * {@link org.ltz4d.io.MappedFrames} (read-only memory-mapped windows of fixed-stride records over
 * files of any size), {@link org.ltz4d.io.MappedDataset} (a thread-safe {@code Dataset} over such
 * records), {@link org.ltz4d.io.FrameDataset} (the getters and frame-range checks of any reader's
 * {@code Dataset}), {@link org.ltz4d.io.FormatReader} (name, suffixes and a probe that never throws),
 * {@link org.ltz4d.io.MappedFile} (a whole file mapped in overlapping segments, for
 * formats with variable records), and decoding of stored elements to float32
 * ({@link org.ltz4d.io.Decode} from byte arrays, {@link org.ltz4d.io.BufferDecode} from mapped or
 * heap buffers).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package org.ltz4d.io;
