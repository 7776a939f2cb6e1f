package org.ltz4d.ltem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltz4d.api.data.DType;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.error.CorruptFileException;
import org.ltz4d.api.error.TruncatedFileException;
import org.ltz4d.api.error.UnsupportedFormatException;
import org.ltz4d.api.param.Parameters;

class TiffReaderTest {
    @TempDir
    Path dir;

    /** A minimal strip TIFF writer: bits/format as TIFF, 3 rows per strip, optional ImageJ calibration. */
    static byte[] tiff(ByteOrder order, int h, int w, int bits, int format, double[] values, int compression, String description,
            double pixelsPerUnit) {
        int bytes = bits / 8;
        int rps = 3;
        int strips = (h + rps - 1) / rps;
        List<int[]> tags = new ArrayList<>(); // tag, type, count, value-or-offset
        ByteBuffer data = ByteBuffer.allocate(h * w * bytes).order(order);
        for (double v : values) {
            switch (format * 100 + bits) {
                case 108 -> data.put((byte) v);
                case 116, 216, 316 -> data.putShort((short) v);
                case 132, 232 -> data.putInt((int) (long) v);
                case 332 -> data.putFloat((float) v);
                default -> throw new IllegalArgumentException();
            }
        }
        byte[] desc = description == null ? null : (description + "\0").getBytes(StandardCharsets.ISO_8859_1);
        int nTags = 10 + (desc != null ? 3 : 0);
        int ifdSize = 2 + nTags * 12 + 4;
        int extra = 8 + ifdSize;
        int offStripOffsets = extra;
        int offCounts = offStripOffsets + 4 * strips;
        int offDesc = offCounts + 4 * strips;
        int offRes = offDesc + (desc == null ? 0 : desc.length);
        int offData = offRes + 8;
        ByteBuffer b = ByteBuffer.allocate(offData + data.capacity()).order(order);
        b.put(order == ByteOrder.LITTLE_ENDIAN ? (byte) 'I' : (byte) 'M').put(order == ByteOrder.LITTLE_ENDIAN ? (byte) 'I' : (byte) 'M');
        b.putShort((short) 42).putInt(8);
        tags.add(new int[] {256, 4, 1, w});
        tags.add(new int[] {257, 4, 1, h});
        tags.add(new int[] {258, 3, 1, bits});
        tags.add(new int[] {259, 3, 1, compression});
        tags.add(new int[] {262, 3, 1, 1});
        if (desc != null) tags.add(new int[] {270, 2, desc.length, offDesc});
        tags.add(new int[] {273, 4, strips, offStripOffsets});
        tags.add(new int[] {277, 3, 1, 1});
        tags.add(new int[] {278, 4, 1, rps});
        tags.add(new int[] {279, 4, strips, offCounts});
        if (desc != null) {
            tags.add(new int[] {282, 5, 1, offRes});
            tags.add(new int[] {283, 5, 1, offRes});
        }
        tags.add(new int[] {339, 3, 1, format});
        b.position(8);
        b.putShort((short) tags.size());
        for (int[] t : tags) {
            b.putShort((short) t[0]).putShort((short) t[1]).putInt(t[2]);
            if (t[1] == 3 && t[2] == 1) b.putShort((short) t[3]).putShort((short) 0);
            else b.putInt(t[3]);
        }
        b.putInt(0);
        b.position(offStripOffsets);
        for (int s = 0; s < strips; s++) b.putInt(offData + s * rps * w * bytes);
        for (int s = 0; s < strips; s++) b.putInt(Math.min(rps, h - s * rps) * w * bytes);
        if (desc != null) b.put(desc);
        b.putInt((int) Math.round(pixelsPerUnit * 1000)).putInt(1000);
        b.put(data.array());
        return b.array();
    }

    private Path write(String name, byte[] content) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, content);
        return p;
    }

    private static double[] ramp(int n, double scale, double offset) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = offset + scale * i;
        return v;
    }

    @Test
    void readsIntegerAndFloatImagesInBothByteOrders() throws IOException {
        TiffReader r = new TiffReader();
        int h = 7, w = 5;
        Object[][] cases = {
            {ByteOrder.LITTLE_ENDIAN, 8, 1, DType.UINT8, ramp(35, 7, 0)},
            {ByteOrder.BIG_ENDIAN, 16, 1, DType.UINT16, ramp(35, 1000, 5)},
            {ByteOrder.LITTLE_ENDIAN, 16, 2, DType.INT16, ramp(35, 100, -2000)},
            {ByteOrder.BIG_ENDIAN, 32, 2, DType.INT32, ramp(35, 100000, -1000000)},
            {ByteOrder.LITTLE_ENDIAN, 32, 1, DType.UINT32, ramp(35, 3, 1)},
            {ByteOrder.BIG_ENDIAN, 32, 3, DType.FLOAT32, ramp(35, 0.25, -3.5)},
        };
        int i = 0;
        for (Object[] c : cases) {
            double[] v = (double[]) c[4];
            byte[] bytes = tiff((ByteOrder) c[0], h, w, (int) c[1], (int) c[2], v, 1, null, 0);
            Path p = write("img" + i++ + ".tif", bytes);
            assertEquals(0.9, r.probe(p, ByteBuffer.wrap(bytes, 0, 16).slice()), 1e-12);
            try (Dataset d = r.open(p, Parameters.empty())) {
                assertEquals(Shape.of(1, 1), d.navShape());
                assertEquals(Shape.of(h, w), d.sigShape());
                assertEquals(c[3], d.dtype());
                float[] out = new float[h * w + 2];
                d.readFrames(0, 1, out, 2);
                for (int k = 0; k < h * w; k++) assertEquals(v[k], out[k + 2], 1e-6, c[3] + " pixel " + k);
            }
        }
    }

    @Test
    void readsTiffsWrittenByTheJdkImageIoWriter() throws IOException {
        // an independent writer: the JDK's own TIFF plugin (javax.imageio, uncompressed, strips)
        int h = 37, w = 23;
        for (int type : new int[] {java.awt.image.BufferedImage.TYPE_BYTE_GRAY, java.awt.image.BufferedImage.TYPE_USHORT_GRAY}) {
            java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(w, h, type);
            java.awt.image.WritableRaster ras = img.getRaster();
            int max = type == java.awt.image.BufferedImage.TYPE_BYTE_GRAY ? 255 : 65535;
            for (int r = 0; r < h; r++) for (int c = 0; c < w; c++) ras.setSample(c, r, 0, (r * 131 + c * 17) % (max + 1));
            Path p = dir.resolve("jdk" + type + ".tif");
            javax.imageio.ImageWriter wr = javax.imageio.ImageIO.getImageWritersByFormatName("tiff").next();
            javax.imageio.ImageWriteParam prm = wr.getDefaultWriteParam();
            prm.setCompressionMode(javax.imageio.ImageWriteParam.MODE_DISABLED);
            try (javax.imageio.stream.ImageOutputStream out = javax.imageio.ImageIO.createImageOutputStream(p.toFile())) {
                wr.setOutput(out);
                wr.write(null, new javax.imageio.IIOImage(img, null, null), prm);
            }
            wr.dispose();
            try (Dataset d = new TiffReader().open(p, Parameters.empty())) {
                assertEquals(Shape.of(h, w), d.sigShape());
                assertEquals(max == 255 ? DType.UINT8 : DType.UINT16, d.dtype());
                float[] v = new float[h * w];
                d.readFrames(0, 1, v, 0);
                for (int r = 0; r < h; r++) for (int c = 0; c < w; c++) {
                    assertEquals((r * 131 + c * 17) % (max + 1), v[r * w + c], 0, "pixel " + r + "," + c);
                }
            }
        }
    }

    @Test
    void readsAFloatTiffWrittenByTheJdk() throws IOException {
        int h = 19, w = 11;
        java.awt.color.ColorSpace cs = java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_GRAY);
        java.awt.image.ComponentColorModel cm = new java.awt.image.ComponentColorModel(cs, false, false,
                java.awt.Transparency.OPAQUE, java.awt.image.DataBuffer.TYPE_FLOAT);
        java.awt.image.WritableRaster ras = cm.createCompatibleWritableRaster(w, h);
        for (int r = 0; r < h; r++) for (int c = 0; c < w; c++) ras.setSample(c, r, 0, -2.5f + 0.125f * (r * w + c));
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(cm, ras, false, null);
        Path p = dir.resolve("jdkfloat.tif");
        javax.imageio.ImageWriter wr = javax.imageio.ImageIO.getImageWritersByFormatName("tiff").next();
        javax.imageio.ImageWriteParam prm = wr.getDefaultWriteParam();
        prm.setCompressionMode(javax.imageio.ImageWriteParam.MODE_DISABLED);
        try (javax.imageio.stream.ImageOutputStream out = javax.imageio.ImageIO.createImageOutputStream(p.toFile())) {
            wr.setOutput(out);
            wr.write(null, new javax.imageio.IIOImage(img, null, null), prm);
        }
        wr.dispose();
        try (Dataset d = new TiffReader().open(p, Parameters.empty())) {
            assertEquals(DType.FLOAT32, d.dtype());
            float[] v = new float[h * w];
            d.readFrames(0, 1, v, 0);
            for (int i = 0; i < v.length; i++) assertEquals(-2.5f + 0.125f * i, v[i], 0f, "pixel " + i);
        }
    }

    @Test
    void imageJCalibrationGivesPixelSize() throws IOException {
        byte[] bytes = tiff(ByteOrder.LITTLE_ENDIAN, 4, 4, 16, 1, new double[16], 1, "ImageJ=1.54\nunit=nm\n", 0.25);
        try (Dataset d = new TiffReader().open(write("cal.tif", bytes), Parameters.empty())) {
            assertEquals(4.0, d.calibration().scanStepXNm().getAsDouble(), 1e-9);
        }
        byte[] um = tiff(ByteOrder.LITTLE_ENDIAN, 4, 4, 16, 1, new double[16], 1, "ImageJ=1.54\nunit=micron\n", 100);
        try (Dataset d = new TiffReader().open(write("um.tif", um), Parameters.empty())) {
            assertEquals(10.0, d.calibration().scanStepXNm().getAsDouble(), 1e-9);
        }
    }

    @Test
    void badFilesGiveTypedErrors() throws IOException {
        TiffReader r = new TiffReader();
        byte[] ok = tiff(ByteOrder.LITTLE_ENDIAN, 6, 6, 16, 1, new double[36], 1, null, 0);
        assertEquals(0.0, r.probe(Path.of("x.tif"), ByteBuffer.wrap(new byte[] {'P', 'K', 3, 4})), 0);
        UnsupportedFormatException lzw = assertThrows(UnsupportedFormatException.class,
                () -> r.open(write("lzw.tif", tiff(ByteOrder.LITTLE_ENDIAN, 6, 6, 16, 1, new double[36], 5, null, 0)), Parameters.empty()));
        assertEquals("Compression", lzw.field());
        byte[] cut = java.util.Arrays.copyOf(ok, ok.length - 10);
        assertThrows(TruncatedFileException.class, () -> r.open(write("cut.tif", cut), Parameters.empty()));
        byte[] badMagic = ok.clone();
        badMagic[2] = 41;
        assertThrows(CorruptFileException.class, () -> r.open(write("magic.tif", badMagic), Parameters.empty()));
        assertThrows(UnsupportedFormatException.class,
                () -> r.open(write("float16.tif", tiff(ByteOrder.LITTLE_ENDIAN, 6, 6, 16, 3, new double[36], 1, null, 0)), Parameters.empty()));
    }
}
