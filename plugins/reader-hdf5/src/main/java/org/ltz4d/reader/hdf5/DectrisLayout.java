package org.ltz4d.reader.hdf5;

import static org.ltz4d.reader.hdf5.H5.attr;
import static org.ltz4d.reader.hdf5.H5.node;
import static org.ltz4d.reader.hdf5.H5.number;
import static org.ltz4d.reader.hdf5.H5.text;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.error.CorruptFileException;
import org.ltz4d.api.error.TruncatedFileException;

/**
 * DECTRIS Arina / NeXus (NXmx) master file: {@code /entry/data/data_NNNNNN}, external links to the
 * data files next to it, read in name order as one stack; detector metadata from
 * {@code /entry/instrument/detector}, scan shape and beam from the companion {@code <name>.h5} of
 * newer Arina software.
 */
final class DectrisLayout implements Layout {
    private static final Pattern DATA = Pattern.compile("data_\\d{6}");

    static boolean matches(HdfFile hdf) {
        return node(hdf, "entry/data") instanceof Group nx && nx.getChildren().keySet().stream().anyMatch(k -> DATA.matcher(k).matches());
    }

    @Override
    public String family() {
        return "dectris-nexus";
    }

    @Override
    public List<io.jhdf.api.Dataset> frames(Path file, HdfFile hdf, Map<String, String> meta) {
        Group nx = (Group) node(hdf, "entry/data");
        List<String> names = new ArrayList<>(nx.getChildren().keySet());
        names.removeIf(k -> !DATA.matcher(k).matches());
        names.sort(null);
        List<io.jhdf.api.Dataset> out = new ArrayList<>();
        for (String k : names) {
            Node d;
            try {
                d = nx.getChild(k);
                if (d instanceof io.jhdf.api.Link l) d = l.getTarget();
            } catch (RuntimeException e) {
                throw new TruncatedFileException(file, "/entry/data/" + k, "the linked data file next to the master file",
                        e.getMessage(), e);
            }
            if (!(d instanceof io.jhdf.api.Dataset ds)) {
                throw new CorruptFileException(file, "/entry/data/" + k, "a dataset", String.valueOf(d));
            }
            out.add(ds);
        }
        return out;
    }

    @Override
    public int[] describe(Path file, HdfFile hdf, io.jhdf.api.Dataset first, Hdf5Dataset.Part p0, Calibration.Builder cal,
            Map<String, String> meta) {
        String det = "entry/instrument/detector/";
        for (String k : List.of("description", "count_time", "frame_time", "saturation_value", "x_pixel_size", "y_pixel_size",
                "detector_distance", "detectorSpecific/compression", "detectorSpecific/nimages", "detectorSpecific/ntrigger",
                "detectorSpecific/data_collection_date", "detectorSpecific/photon_energy", "detectorSpecific/trigger_mode")) {
            if (node(hdf, det + k) instanceof io.jhdf.api.Dataset d && d.isScalar()) {
                try {
                    meta.put("dectris." + k.replace("detectorSpecific/", ""), text(d.getData()));
                } catch (RuntimeException e) {
                    // unreadable optional field: skip
                }
            }
        }
        String name = file.getFileName().toString();
        int m = name.lastIndexOf("_master");
        if (m < 0) return null;
        Path companion = file.resolveSibling(name.substring(0, m) + name.substring(name.lastIndexOf('.')));
        if (!Files.isRegularFile(companion)) return null;
        try (HdfFile c = new HdfFile(companion)) {
            if (!(node(c, "STEM Metadata") instanceof Group g)) return null;
            meta.put("dectris.companion", companion.getFileName().toString());
            for (Map.Entry<String, Attribute> e : g.getAttributes().entrySet()) {
                meta.put("stem." + e.getKey(), text(e.getValue().getData()));
            }
            Double ht = number(attr(g, "High Tension"));
            if (ht != null && ht > 0) cal.beamKv(ht / 1000.0);
            Double cl = number(attr(g, "Camera Length"));
            if (cl != null && cl > 0) cal.cameraLengthMm(cl * 1000.0);
            Double nx = number(attr(g, "NumPixelsX")), ny = number(attr(g, "NumPixelsY"));
            if (nx != null && ny != null && nx >= 1 && ny >= 1) return new int[] {(int) Math.round(ny), (int) Math.round(nx)};
        } catch (RuntimeException e) {
            meta.put("dectris.companion_error", e.toString());
        }
        return null;
    }
}
