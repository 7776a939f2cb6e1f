package org.ltz4d.render;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** PNG encoding to and decoding from bytes (ImageIO; no files, no global state). */
public final class Png {

    private Png() {
    }

    public static byte[] encode(BufferedImage image) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
            if (!ImageIO.write(image, "png", out)) throw new IllegalStateException("no PNG writer in this Java runtime");
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("PNG encoding failed", e);
        }
    }

    public static BufferedImage decode(byte[] png) {
        try {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
            if (img == null) throw new IllegalArgumentException("not a PNG image (" + png.length + " bytes)");
            return img;
        } catch (IOException e) {
            throw new UncheckedIOException("PNG decoding failed", e);
        }
    }
}
