package org.ltz4d.engine.results;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ltz4d.api.error.CorruptFileException;
import org.ltz4d.api.error.InvalidInputException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The optional metadata sidecar ({@code --metadata FILE.yaml|yml|json}): one mapping whose
 * sections say what the data file may not, e.g.
 * <pre>
 * sample:      {name: FeSiBCuP ribbon, description: ..., identifier: ...}
 * instrument:  {name: ..., location: ...}
 * user:        {name: ..., affiliation: ..., orcid: ...}     # "operator" is accepted for "user"
 * session:     {id: ..., proposal: ...}
 * identifiers: {doi: ..., sample_id: ...}
 * </pre>
 * Any other top-level key is kept too. YAML is read with SnakeYAML's safe constructor (plain
 * maps, lists and scalars only), JSON with Jackson.
 */
public final class MetadataSidecar {
    /** Sections with a NeXus class of their own (see {@link NexusLayout}). */
    public static final List<String> SECTIONS = List.of("sample", "instrument", "user", "session", "identifiers");

    private MetadataSidecar() {
    }

    /** Reads {@code file}; a missing, unreadable or non-mapping file is a typed error naming it. */
    public static Map<String, Object> read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(file, "metadata", "an existing YAML or JSON metadata file", "no such file");
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean json = name.endsWith(".json");
        if (!json && !name.endsWith(".yaml") && !name.endsWith(".yml")) {
            throw new InvalidInputException(file, "metadata", "a file named *.yaml, *.yml or *.json", name);
        }
        Object parsed;
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            parsed = json ? new ObjectMapper().readValue(r, Object.class) : new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
        } catch (IOException | RuntimeException e) {
            throw new CorruptFileException(file, "metadata", json ? "valid JSON" : "valid YAML", e.getMessage(), e);
        }
        if (!(parsed instanceof Map<?, ?> m)) {
            throw new InvalidInputException(file, "metadata", "a mapping of sections (sample, instrument, user, session, identifiers)",
                    parsed == null ? "an empty document" : parsed.getClass().getSimpleName());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String key = String.valueOf(e.getKey());
            if (key.equals("operator")) key = "user";
            out.put(key, e.getValue());
        }
        out.put("sidecar_file", file.toAbsolutePath().toString());
        return out;
    }
}
