package org.ltz4d.correlation.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The provenance text of result files read with Jackson (which the runtime already carries):
 * objects become ordered maps, arrays lists; the bare tokens NaN and Infinity are accepted.
 */
final class Json {
    private static final JsonMapper MAPPER = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    private Json() {
    }

    /** Parses {@code text}; throws IllegalArgumentException with the position on malformed input. */
    static Object parse(String text) {
        try {
            return MAPPER.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("JSON: " + e.getOriginalMessage() + " at " + e.getLocation(), e);
        }
    }
}
