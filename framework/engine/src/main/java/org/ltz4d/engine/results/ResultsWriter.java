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
        String captionsName = "figures" + (fileName.equals(RESULTS_FILE) ? "" : "_" + fileName.replace(".h5", "")) + ".json";
        try (AtomicOutput out = new AtomicOutput(outDir)) {
            try {
                Hdf5Results.write(out.stage(fileName), maps, root,
                        new Hdf5Results.Nexus(provMap, String.valueOf(root.get("provenance")), cal, version));
            } catch (RuntimeException ex) {
                // e.g. the disk is full: one typed error; the staging folder goes, what was there stays
                throw new InvalidInputException(outDir, fileName, "room and permission to write the results", rootMessage(ex), ex);
            }
            // the earlier run's figures go with its results, so no figure of another run is left beside the new ones
            for (String old : earlierFigures(outDir.resolve(captionsName))) out.replaces(old);
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
                String name = captionsName;
                try {
                    json.writerWithDefaultPrettyPrinter().writeValue(out.stage(name).toFile(), captions);
                } catch (IOException ex) {
                    throw new InvalidInputException(outDir, name, "a writable output folder", ex.getMessage(), ex);
                }
            }
            if (captions.isEmpty() && Files.exists(outDir.resolve(captionsName))) out.replaces(captionsName);
            List<Path> written = out.commit();
            Path results = out.target(fileName);
            List<Path> figurePaths = new ArrayList<>();
            for (Path p : written) if (!p.equals(results) && !p.toString().endsWith(".json")) figurePaths.add(p);
            return new Written(results, figurePaths);
        }
    }

    /** The figure files an earlier run's captions file lists (none when it is absent or unreadable). */
    private List<String> earlierFigures(Path captions) {
        List<String> names = new ArrayList<>();
        if (!Files.isRegularFile(captions)) return names;
        try {
            json.readTree(captions.toFile()).fieldNames().forEachRemaining(n -> {
                if (!n.contains("/") && !n.contains("\\") && !n.startsWith(".")) names.add(n);
            });
        } catch (IOException ex) {
            // not ours or damaged: its figures are left as they are
        }
        return names;
    }

    private static String rootMessage(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) r = r.getCause();
        return r.getMessage() != null ? r.getMessage() : r.toString();
    }
}
