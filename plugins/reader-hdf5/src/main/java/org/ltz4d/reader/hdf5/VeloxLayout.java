package org.ltz4d.reader.hdf5;

import static org.ltz4d.reader.hdf5.H5.node;
import static org.ltz4d.reader.hdf5.H5.number;
import static org.ltz4d.reader.hdf5.H5.scalarDataset;
import static org.ltz4d.reader.hdf5.H5.text;

import io.jhdf.HdfFile;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.error.CorruptFileException;
import org.ltz4d.api.error.ShapeMismatchException;

/**
 * Thermo Fisher Velox EMD: the largest numeric {@code /Data/Image/<uuid>/Data}, stored (h, w, n)
 * with the frames last; calibration from the first frame's JSON metadata (the u8 column of
 * {@code /Data/Image/<uuid>/Metadata}).
 */
final class VeloxLayout implements Layout {
    /** Largest metadata column read (the JSON of one frame; Velox writes a few tens of KiB). */
    static final int MAX_METADATA_BYTES = 16 << 20;

    static boolean matches(HdfFile hdf) {
        return hdf.getChildren().containsKey("Data") && node(hdf, "Data/Image") instanceof Group;
    }

    @Override
    public String family() {
        return "velox";
    }

    @Override
    public List<io.jhdf.api.Dataset> frames(Path file, HdfFile hdf, Map<String, String> meta) {
        Group images = (Group) node(hdf, "Data/Image");
        io.jhdf.api.Dataset best = null;
        for (Node g : images.getChildren().values()) {
            if (g instanceof Group gg && gg.getChild("Data") instanceof io.jhdf.api.Dataset d && H5.numeric(d)
                    && (best == null || d.getSize() > best.getSize())) {
                best = d;
            }
        }
        if (best == null) throw new ShapeMismatchException(file, "/Data/Image", "a Velox image group with a Data dataset", "none");
        return List.of(best);
    }

    @Override
    public boolean framesLast(io.jhdf.api.Dataset d) {
        return d.getPath().matches("/?Data/Image/[^/]+/Data") && d.getDimensions().length == 3;
    }

    @Override
    public int[] describe(Path file, HdfFile hdf, io.jhdf.api.Dataset data, Hdf5Dataset.Part p0, Calibration.Builder cal,
            Map<String, String> meta) {
        Group g = data.getParent();
        Object version = scalarDataset((Group) g.getHdfFile(), "Version");
        if (version != null) meta.put("velox.version", text(version).replaceAll("\\s+", " ").strip());
        if (g.getChildren().get("FrameLookupTable") instanceof io.jhdf.api.Dataset flt && flt.getSize() <= 16) {
            meta.put("velox.frame_lookup_table", text(flt.getData()));
        }
        if (!(g.getChildren().get("Metadata") instanceof io.jhdf.api.Dataset md) || md.getDimensions().length != 2) return null;
        int len = md.getDimensions()[0];
        if (len <= 0 || len > MAX_METADATA_BYTES) {
            throw new CorruptFileException(file, md.getPath(), "a metadata column of 1 to " + MAX_METADATA_BYTES + " bytes", len + " bytes");
        }
        Object col = md.getData(new long[] {0, 0}, new int[] {len, 1});
        byte[] bytes = new byte[len];
        int n = 0;
        for (; n < len; n++) {
            Object row = Array.get(col, n);
            int v = ((Number) Array.get(row, 0)).intValue();
            if (v == 0) break;
            bytes[n] = (byte) v;
        }
        Object json;
        try {
            json = Json.parse(new String(bytes, 0, n, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new CorruptFileException(file, md.getPath(), "a JSON metadata document per frame", e.getMessage(), e);
        }
        String ht = text(Json.find(json, "AccelerationVoltage"));
        Double kv = number(ht);
        if (kv != null && kv > 0) cal.beamKv(kv / 1000.0);
        Double cl = number(text(Json.find(json, "CameraLength")));
        if (cl != null && cl > 0) cal.cameraLengthMm(cl * 1000.0);
        Object br = Json.at(json, "BinaryResult");
        Double px = number(text(Json.at(br, "PixelSize", "width")));
        String ux = text(Json.at(br, "PixelUnitX"));
        if (px != null && px > 0) {
            meta.put("velox.pixel_size", px + " " + ux);
            double r = Units.reciprocalToInvAngstrom(ux);
            if (r > 0) cal.detectorPixelInverseAngstrom(px * r);
        }
        for (String k : List.of("Detector", "ExposureTime", "AccelerationVoltage", "CameraLength")) {
            Object v = k.equals("Detector") ? Json.at(br, "Detector") : Json.find(json, k);
            if (v != null) meta.put("velox." + k, text(v));
        }
        Object dt = Json.find(json, "DateTime");
        if (dt != null) meta.put("velox.DateTime", text(dt));
        return null;
    }
}
