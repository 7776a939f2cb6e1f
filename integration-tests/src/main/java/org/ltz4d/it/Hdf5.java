package org.ltz4d.it;

import java.nio.file.Path;

/** Reads a text attribute of a results file's root through jHDF. */
final class Hdf5 {
    private Hdf5() {
    }

    static String rootText(Path file, String attribute) {
        try (io.jhdf.HdfFile h5 = new io.jhdf.HdfFile(file)) {
            var a = h5.getAttribute(attribute);
            return a == null ? "" : String.valueOf(a.getData());
        }
    }
}
