/**
 * Reader support shared by the format bundles: {@link org.ltz4d.io.MappedFrames} (read-only
 * memory-mapped windows of fixed-stride records over files of any size), {@link
 * org.ltz4d.io.MappedDataset} (a thread-safe {@code Dataset} over such records) and element
 * decoding to float32; {@link org.ltz4d.io.MappedFile} maps a whole file in overlapping segments for
 * formats with variable records. Element decoding to float32 ({@link org.ltz4d.io.Decode} for byte arrays, {@link org.ltz4d.io.BufferDecode}
 * for mapped or heap buffers).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.ltz4d.io;
