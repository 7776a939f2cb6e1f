package org.ltz4d.engine.results;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ltz4d.api.analysis.Figure;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.error.InvalidInputException;
import org.ltz4d.api.error.Ltz4dException;

/**
 * Writes what a run produced, all or nothing ({@link AtomicOutput}): the maps into an HDF5 file
 * whose root carries the software, its version, the provenance (JSON) and the calibration
 * ({@code calibration_*}), the figures next to it, and their captions in {@code figures.json}
 * (or {@code figures_NAME.json} for a results file other than {@code results.h5}). The results
 * file is NeXus too: the entry is made of the provenance (with its metadata) and the calibration.
 */
public final class ResultsWriter {
    /** The analysis results file; its figure captions go to {@code figures.json}. */
    public static final String RESULTS_FILE = "results.h5";

    private final ObjectMapper json = new ObjectMapper();
    private final String version;

    public ResultsWriter(String ltz4dVersion) {
        this.version = ltz4dVersion;
    }

    /** The files written: the results file and the figures (captions not included). */
    public record Written(Path results, List<Path> figures) {
    }

    public Written write(Path outDir, String fileName, MapSet maps, List<Figure> figures, Provenance prov, Calibration cal) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("software", "ltz4d");
        root.put("ltz4d_version", version);
        Map<String, Object> provMap = prov.toMap();
        try {
            root.put("provenance", json.writerWithDefaultPrettyPrinter().writeValueAsString(provMap));
        } catch (JsonProcessingException ex) {
            throw new Ltz4dException("cannot serialise provenance: " + ex.getMessage(), ex);
        }
        cal.asMap().forEach((k, v) -> root.put("calibration_" + k, v));
        try (AtomicOutput out = new AtomicOutput(outDir)) {
            Hdf5Results.write(out.stage(fileName), maps, root,
                    new Hdf5Results.Nexus(provMap, String.valueOf(root.get("provenance")), cal, version));
            Map<String, String> captions = new LinkedHashMap<>();
            for (Figure f : figures) {
                try {
                    Files.write(out.stage(f.fileName()), f.content());
                    captions.put(f.fileName(), f.caption());
                } catch (IOException ex) {
                    throw new InvalidInputException(outDir, f.fileName(), "a writable output folder", ex.getMessage(), ex);
                }
            }
            if (!captions.isEmpty()) {
                // captions for reports and GUIs: figures.json (one per results file name)
                String name = "figures" + (fileName.equals(RESULTS_FILE) ? "" : "_" + fileName.replace(".h5", "")) + ".json";
                try {
                    json.writerWithDefaultPrettyPrinter().writeValue(out.stage(name).toFile(), captions);
                } catch (IOException ex) {
                    throw new InvalidInputException(outDir, name, "a writable output folder", ex.getMessage(), ex);
                }
            }
            List<Path> written = out.commit();
            Path results = out.target(fileName);
            List<Path> figurePaths = new ArrayList<>();
            for (Path p : written) if (!p.equals(results) && !p.toString().endsWith(".json")) figurePaths.add(p);
            return new Written(results, figurePaths);
        }
    }
}
