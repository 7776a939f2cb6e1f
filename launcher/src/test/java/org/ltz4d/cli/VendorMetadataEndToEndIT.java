package org.ltz4d.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jhdf.HdfFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Vendor metadata reaches the result: real Gatan DM3/DM4, ThermoFisher Velox EMD and Berkeley
 * (emdfile/py4DSTEM) EMD files from ../shared/data/real, each analysed by the {@code virtual}
 * pipeline (the one that accepts any frame stack, 4-D or not) inside one {@code ltz4d shell};
 * the tags the readers keep are found under {@code /entry/input/metadata} of results.h5, the
 * detector and microscope in {@code /entry/instrument}, the whole-file SHA-256 equals the data
 * set's SHA256SUMS, and the file keeps the NeXus structure rules. Expected values are
 * EXPECTED_VALUES.json's (read independently of ltz4d), except the DM3 microscope and detector
 * names, which it does not list (values shown by Gatan's and RosettaSciIO's readers).
 */
class VendorMetadataEndToEndIT {
    @TempDir
    Path dir;

    /** Short link name in the shell → file under data/real (Gogo splits on commas and spaces, which the real names have). */
    static final Map<String, String> FILES = new LinkedHashMap<>();

    static {
        FILES.put("dm4.dm4", "dm/ncempy/dmTest_3D_int16_64,65,66.dm4");
        FILES.put("dp.dm3", "dm/rsciio/test_diffraction_pattern.dm3");
        FILES.put("velox.emd", "emd_velox/rsciio/fei_example_tem_stack.emd");
        FILES.put("berkeley.h5", "emd_berkeley/py4DSTEM_size2x3x4x5.h5");
    }

    @Test
    void dmTagsAndEmdAttributesReachTheNexusEntryOfTheResults() throws Exception {
        Path real = RealDataEndToEndIT.real();
        Assumptions.assumeTrue(Files.isRegularFile(real.resolve(FILES.get("velox.emd"))), "shared data not present: " + real);
        JsonNode expected = new ObjectMapper().readTree(real.resolve("EXPECTED_VALUES.json").toFile());
        Map<String, String> sums = new LinkedHashMap<>();
        for (String line : Files.readAllLines(real.resolve("SHA256SUMS"))) {
            if (line.length() > 66) sums.put(line.substring(66).replaceFirst("^\\./", ""), line.substring(0, 64));
        }
        StringBuilder input = new StringBuilder();
        for (Map.Entry<String, String> f : FILES.entrySet()) {
            Files.createSymbolicLink(dir.resolve(f.getKey()), real.resolve(f.getValue()).toAbsolutePath());
            input.append("analyze ").append(f.getKey()).append(" --pipeline virtual --out ").append(out(f.getKey())).append('\n');
        }
        input.append("exit\n");
        Cli.Result r = Cli.runWithInput(dir, Map.of("LTZ4D_HOME", dir.resolve("home").toString()), List.of(), input.toString(), "shell");
        assertEquals(0, r.exit(), r.toString());
        for (Map.Entry<String, String> f : FILES.entrySet()) {
            Path results = dir.resolve(out(f.getKey())).resolve("results.h5");
            assertTrue(Files.isRegularFile(results), f.getValue() + " gave no results.h5\n" + r);
            assertEquals(List.of(), org.ltz4d.results.NexusCheck.errors(results), f.getValue());
            try (HdfFile h5 = new HdfFile(results)) {
                assertEquals(sums.get(f.getValue()), text(h5, "/entry/input/sha256"), "whole-file SHA-256 of " + f.getValue());
                assertEquals(Files.size(real.resolve(f.getValue())), Long.parseLong(text(h5, "/entry/input/size_bytes")));
            }
        }
        // DM4 (ncempy): version, data type, dimensions and the three axes' calibrations
        JsonNode dm4 = expected.get(FILES.get("dm4.dm4"));
        try (HdfFile h5 = new HdfFile(dir.resolve(out("dm4.dm4")).resolve("results.h5"))) {
            assertEquals(dm4.get("version").asText(), meta(h5, "dm_version"));
            assertEquals(dm4.get("DataType").asText(), meta(h5, "dm_data_type"));
            assertEquals(dm4.get("Dimensions").toString().replace(",", ", "), meta(h5, "dimensions"));
            for (int i = 0; i < 3; i++) {
                JsonNode c = dm4.get("calibrations").get(i);
                assertEquals(c.get("scale").asDouble(), Double.parseDouble(meta(h5, "axis" + i + ".scale")), 0.0, "axis " + i);
                assertEquals(c.get("units").asText(), meta(h5, "axis" + i + ".units"), "axis " + i);
            }
        }
        // DM3 diffraction pattern (RosettaSciIO): tags, calibration, microscope and detector into NXinstrument
        JsonNode dp = expected.get(FILES.get("dp.dm3"));
        try (HdfFile h5 = new HdfFile(dir.resolve(out("dp.dm3")).resolve("results.h5"))) {
            assertEquals(dp.get("version").asText(), meta(h5, "dm_version"));
            assertEquals(dp.get("DataType").asText(), meta(h5, "dm_data_type"));
            assertEquals(dp.get("calibrations").get(0).get("scale").asDouble(), Double.parseDouble(meta(h5, "axis0.scale")), 0.0);
            assertEquals(dp.get("calibrations").get(0).get("units").asText(), meta(h5, "axis0.units"));
            assertEquals("FEI Tecnai", meta(h5, "microscope"));
            assertEquals("FEI Tecnai", text(h5, "/entry/instrument/name"));
            assertEquals("BM-UltraScan", text(h5, "/entry/instrument/detector/description"));
            assertEquals("0.2", meta(h5, "exposure_s"));
            assertEquals(200.0, Double.parseDouble(text(h5, "/entry/instrument/electron_source/voltage")), 0.0, "kV from the DM tags");
        }
        // Velox EMD: the first frame's JSON metadata
        JsonNode vx = expected.get(FILES.get("velox.emd")).elements().next();
        try (HdfFile h5 = new HdfFile(dir.resolve(out("velox.emd")).resolve("results.h5"))) {
            assertEquals(vx.at("/BinaryResult/Detector").asText(), meta(h5, "velox.Detector"));
            assertEquals(vx.at("/BinaryResult/Detector").asText(), text(h5, "/entry/instrument/detector/description"));
            assertEquals(vx.get("ExposureTime").asText(), meta(h5, "velox.ExposureTime"));
            assertEquals(vx.get("AccelerationVoltage").asText(), meta(h5, "velox.AccelerationVoltage"));
            assertEquals(vx.get("AccelerationVoltage").asDouble() / 1000, Double.parseDouble(text(h5, "/entry/instrument/electron_source/voltage")),
                    1e-9, "kV");
            assertEquals(vx.get("CameraLength").asDouble() * 1000, Double.parseDouble(text(h5, "/entry/instrument/detector/distance")), 1e-9,
                    "mm");
            assertEquals(vx.at("/BinaryResult/PixelSize/width").asDouble(), Double.parseDouble(meta(h5, "velox.pixel_size").split(" ")[0]), 1e-24);
        }
        // Berkeley EMD 1.0 (emdfile): the root's identity and the calibration group
        JsonNode bk = expected.get(FILES.get("berkeley.h5"));
        try (HdfFile h5 = new HdfFile(dir.resolve(out("berkeley.h5")).resolve("results.h5"))) {
            assertEquals(bk.at("/root_attrs/UUID").asText(), meta(h5, "emd.UUID"));
            assertEquals(bk.at("/root_attrs/authoring_program").asText(), meta(h5, "emd.authoring_program"));
            assertEquals(bk.at("/root_attrs/version_major").asText(), meta(h5, "emd.version_major"));
            assertEquals(bk.get("R_pixel_size").asDouble(), Double.parseDouble(meta(h5, "emd.R_pixel_size").split(" ")[0]), 0.0);
            assertEquals(bk.get("Q_pixel_size").asDouble(), Double.parseDouble(meta(h5, "emd.Q_pixel_size").split(" ")[0]), 0.0);
            assertEquals(bk.get("R_pixel_size").asDouble(), Double.parseDouble(text(h5, "/entry/instrument/scan/step_x")), 1e-12, "nm");
        }
    }

    private static String out(String link) {
        return "out_" + link.replace('.', '_');
    }

    private static String meta(HdfFile h5, String key) {
        return text(h5, "/entry/input/metadata/" + key);
    }

    private static String text(HdfFile h5, String path) {
        Object v = h5.getDatasetByPath(path).getData();
        return String.valueOf(v != null && v.getClass().isArray() ? java.lang.reflect.Array.get(v, 0) : v);
    }
}
