package org.ltz4d.reader.hdf5;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.List;
import java.util.Map;

/**
 * JSON documents (Velox per-frame metadata) read with Jackson, which the runtime already carries,
 * as plain trees (objects → maps, arrays → lists), with small helpers to look values up.
 */
final class Json {
    private static final JsonMapper MAPPER = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    private Json() {
    }

    /** Parses {@code text}; throws IllegalArgumentException with Jackson's position on malformed input. */
    static Object parse(String text) {
        try {
            return MAPPER.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("JSON: " + e.getOriginalMessage() + " at " + e.getLocation(), e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    /** The value at a path of object keys, or null. */
    static Object at(Object root, String... keys) {
        Object o = root;
        for (String k : keys) {
            if (!(o instanceof Map<?, ?> m)) return null;
            o = m.get(k);
        }
        return o;
    }

    /** The first value under {@code key} anywhere in the tree (depth first), or null. */
    static Object find(Object root, String key) {
        if (root instanceof Map<?, ?> m) {
            if (m.containsKey(key)) return m.get(key);
            for (Object v : m.values()) {
                Object r = find(v, key);
                if (r != null) return r;
            }
        } else if (root instanceof List<?> l) {
            for (Object v : l) {
                Object r = find(v, key);
                if (r != null) return r;
            }
        }
        return null;
    }
}
