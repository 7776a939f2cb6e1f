package org.ltz4d.api.analysis;

import java.util.Objects;

/**
 * A rendered figure (PNG or SVG bytes) with its file name inside the output folder and a
 * caption. The engine writes it next to {@code results.h5}.
 */
public record Figure(String fileName, String caption, String mediaType, byte[] content) {
    public static final String PNG = "image/png";
    public static final String SVG = "image/svg+xml";

    public Figure {
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(content, "content");
        if (fileName.contains("/") || fileName.contains("\\") || fileName.startsWith(".")) {
            throw new IllegalArgumentException("figure file name must be a plain name: " + fileName);
        }
        caption = caption == null ? "" : caption;
        content = content.clone();
    }

    @Override
    public byte[] content() {
        return content.clone();
    }
}
