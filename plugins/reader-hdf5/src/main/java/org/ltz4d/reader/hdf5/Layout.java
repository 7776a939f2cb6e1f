package org.ltz4d.reader.hdf5;

import io.jhdf.HdfFile;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ltz4d.api.data.Calibration;

/**
 * One family of HDF5 layouts: how to recognise it from the file's structure (not its name), which
 * datasets hold the frames, how their axes lie, and where its calibration and metadata are.
 * {@link Hdf5Reader} does the rest (parts, scan shape, the dataset) the same way for all.
 */
interface Layout {

    /** The families, most specific first; the last one takes any file. */
    static Layout of(HdfFile hdf) {
        if (VeloxLayout.matches(hdf)) return new VeloxLayout();
        if (DectrisLayout.matches(hdf)) return new DectrisLayout();
        return EmdLayout.of(hdf);
    }

    /** The name kept in metadata {@code hdf5.family}: velox, dectris-nexus, emd-1.0, emd-0.x or generic. */
    String family();

    /**
     * The dataset(s) holding the frames when the user names none, in frame order (several are read
     * as one, concatenated); may add metadata (e.g. other candidates).
     */
    List<io.jhdf.api.Dataset> frames(Path file, HdfFile hdf, Map<String, String> meta);

    /** Whether {@code d} keeps its frames along the last axis, (h, w, n), instead of the first ones. */
    default boolean framesLast(io.jhdf.api.Dataset d) {
        return false;
    }

    /**
     * Calibration and metadata of the family for the frames in {@code first} (whose part is
     * {@code p0}); returns the scan shape (y, x) that companion metadata give, or null.
     */
    int[] describe(Path file, HdfFile hdf, io.jhdf.api.Dataset first, Hdf5Dataset.Part p0, Calibration.Builder cal,
            Map<String, String> meta);
}
