package org.ltz4d.ltem;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.DType;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.data.DatasetReader;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.error.CorruptFileException;
import org.ltz4d.api.error.InvalidInputException;
import org.ltz4d.api.error.TruncatedFileException;
import org.ltz4d.api.error.UnsupportedFormatException;
import org.ltz4d.api.param.Parameters;
import org.osgi.service.component.annotations.Component;

/**
 * A small reader of single 2D TIFF images (baseline TIFF 6.0): uncompressed, one sample per pixel,
 * 8/16/32-bit unsigned or signed integers or 32/64-bit floats, in strips, either byte order. The
 * image is one frame: nav shape (1, 1), sig shape (rows, columns). Only the first page is read
 * (metadata {@code pages} says when there are more). An ImageJ description ({@code unit=nm},
 * {@code micron}, {@code Å}) with X/YResolution gives the pixel size as the calibration's scan step.
 * Compressed, tiled, multi-sample (RGB) and BigTIFF files raise {@link UnsupportedFormatException}.
 */
@Component(service = DatasetReader.class)
public final class TiffReader implements DatasetReader {

    @Override
    public String name() {
        return "tiff";
    }

    @Override
    public List<String> suffixes() {
        return List.of("tif", "tiff");
    }

    @Override
    public double probe(Path file, ByteBuffer head) {
        try {
            if (head.remaining() < 4) return 0;
            int a = head.get(0) & 0xff, b = head.get(1) & 0xff, c = head.get(2) & 0xff, d = head.get(3) & 0xff;
            boolean ii = a == 'I' && b == 'I', mm = a == 'M' && b == 'M';
            if (ii && c == 42 && d == 0 || mm && c == 0 && d == 42) return 0.9;
            if (ii && c == 43 && d == 0 || mm && c == 0 && d == 43) return 0.5; // BigTIFF: ours, to say it is unsupported
            return 0;
        } catch (RuntimeException e) {
            return 0;
        }
    }

    @Override
    public Dataset open(Path file, Parameters options) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return parse(file, ch);
        } catch (IOException e) {
            throw new InvalidInputException(file, "file", "a readable TIFF file", e.toString(), e);
        }
    }

    private static ByteBuffer read(FileChannel ch, Path file, long pos, int len, ByteOrder order, String field) throws IOException {
        if (pos < 0 || pos + len > ch.size()) {
            throw new TruncatedFileException(file, field, "bytes " + pos + "…" + (pos + len) + " inside the file", "file size " + ch.size());
        }
        ByteBuffer b = ByteBuffer.allocate(len).order(order);
        while (b.hasRemaining()) {
            if (ch.read(b, pos + b.position()) < 0) throw new TruncatedFileException(file, field, len + " bytes at " + pos, "end of file");
        }
        b.flip();
        return b;
    }

    private static TiffDataset parse(Path file, FileChannel ch) throws IOException {
        if (ch.size() < 8) throw new TruncatedFileException(file, "header", "8 bytes", ch.size() + " bytes");
        ByteBuffer h = read(ch, file, 0, 8, ByteOrder.LITTLE_ENDIAN, "header");
        ByteOrder order;
        if (h.get(0) == 'I' && h.get(1) == 'I') order = ByteOrder.LITTLE_ENDIAN;
        else if (h.get(0) == 'M' && h.get(1) == 'M') order = ByteOrder.BIG_ENDIAN;
        else throw new CorruptFileException(file, "byte order mark", "II or MM", String.format("0x%02x%02x", h.get(0), h.get(1)));
        h.order(order);
        int magic = h.getShort(2) & 0xffff;
        if (magic == 43) throw new UnsupportedFormatException(file, "magic", "classic TIFF (42)", "BigTIFF (43)");
        if (magic != 42) throw new CorruptFileException(file, "magic", "42", Integer.toString(magic));
        long ifd = h.getInt(4) & 0xffffffffL;
        ByteBuffer cnt = read(ch, file, ifd, 2, order, "IFD0 entry count");
        int entries = cnt.getShort(0) & 0xffff;
        ByteBuffer e = read(ch, file, ifd + 2, entries * 12 + 4, order, "IFD0");
        Map<Integer, long[]> ints = new HashMap<>();
        Map<Integer, double[]> rationals = new HashMap<>();
        String description = null;
        for (int i = 0; i < entries; i++) {
            int p = i * 12;
            int tag = e.getShort(p) & 0xffff, type = e.getShort(p + 2) & 0xffff;
            long count = e.getInt(p + 4) & 0xffffffffL;
            int size = switch (type) {
                case 1, 2, 6, 7 -> 1;
                case 3, 8 -> 2;
                case 4, 9, 11 -> 4;
                case 5, 10, 12 -> 8;
                default -> 0;
            };
            if (size == 0 || count == 0) continue; // unknown type: skip, as TIFF readers must
            long bytes = size * count;
            if (bytes > (1 << 26)) throw new CorruptFileException(file, "IFD0 tag " + tag, "a plausible value count", Long.toString(count));
            ByteBuffer v = bytes <= 4 ? e.duplicate().order(order).position(p + 8).slice().order(order)
                    : read(ch, file, e.getInt(p + 8) & 0xffffffffL, (int) bytes, order, "IFD0 tag " + tag + " values");
            if (type == 2) {
                byte[] s = new byte[(int) count];
                v.get(0, s);
                if (tag == 270) description = new String(s, StandardCharsets.ISO_8859_1).replace("\0", "");
            } else if (type == 5 || type == 10) {
                double[] r = new double[(int) count];
                for (int j = 0; j < count; j++) {
                    double num = type == 5 ? v.getInt(8 * j) & 0xffffffffL : v.getInt(8 * j);
                    double den = type == 5 ? v.getInt(8 * j + 4) & 0xffffffffL : v.getInt(8 * j + 4);
                    r[j] = den == 0 ? Double.NaN : num / den;
                }
                rationals.put(tag, r);
            } else if (type == 1 || type == 3 || type == 4 || type == 6 || type == 7 || type == 8 || type == 9) {
                long[] a = new long[(int) count];
                for (int j = 0; j < count; j++) {
                    a[j] = switch (type) {
                        case 1, 7 -> v.get(j) & 0xff;
                        case 6 -> v.get(j);
                        case 3 -> v.getShort(2 * j) & 0xffff;
                        case 8 -> v.getShort(2 * j);
                        case 4 -> v.getInt(4 * j) & 0xffffffffL;
                        default -> v.getInt(4 * j);
                    };
                }
                ints.put(tag, a);
            }
        }
        long nextIfd = e.getInt(entries * 12) & 0xffffffffL;
        int width = (int) one(file, ints, 256, "ImageWidth", -1);
        int height = (int) one(file, ints, 257, "ImageLength", -1);
        if (width <= 0 || height <= 0) throw new CorruptFileException(file, "ImageWidth/ImageLength", "positive sizes", width + "×" + height);
        long compression = one(file, ints, 259, "Compression", 1);
        if (compression != 1) throw new UnsupportedFormatException(file, "Compression", "1 (uncompressed)", Long.toString(compression));
        long spp = one(file, ints, 277, "SamplesPerPixel", 1);
        if (spp != 1) throw new UnsupportedFormatException(file, "SamplesPerPixel", "1 (a grey-level image)", Long.toString(spp));
        if (ints.containsKey(322) || ints.containsKey(324)) throw new UnsupportedFormatException(file, "TileWidth", "strips", "tiles");
        long bits = one(file, ints, 258, "BitsPerSample", 1);
        long format = one(file, ints, 339, "SampleFormat", 1);
        DType dtype = switch ((int) format * 100 + (int) bits) {
            case 108 -> DType.UINT8;
            case 116 -> DType.UINT16;
            case 132 -> DType.UINT32;
            case 208 -> DType.INT8;
            case 216 -> DType.INT16;
            case 232 -> DType.INT32;
            case 332 -> DType.FLOAT32;
            case 364 -> DType.FLOAT64;
            default -> throw new UnsupportedFormatException(file, "BitsPerSample/SampleFormat",
                    "8/16/32-bit integers (SampleFormat 1 or 2) or 32/64-bit floats (3)", bits + " bits, SampleFormat " + format);
        };
        long[] offsets = ints.get(273);
        if (offsets == null) throw new CorruptFileException(file, "StripOffsets", "a StripOffsets tag", "none");
        long rowsPerStrip = Math.min(one(file, ints, 278, "RowsPerStrip", height), height);
        if (rowsPerStrip <= 0) throw new CorruptFileException(file, "RowsPerStrip", "a positive number", Long.toString(rowsPerStrip));
        int strips = (int) ((height + rowsPerStrip - 1) / rowsPerStrip);
        if (offsets.length < strips) throw new CorruptFileException(file, "StripOffsets", strips + " strips", offsets.length + " offsets");
        long rowBytes = (long) width * dtype.bytes();
        for (int s = 0; s < strips; s++) {
            long rows = Math.min(rowsPerStrip, height - s * rowsPerStrip);
            if (offsets[s] + rows * rowBytes > ch.size()) {
                throw new TruncatedFileException(file, "strip " + s, "bytes " + offsets[s] + "…" + (offsets[s] + rows * rowBytes), "file size " + ch.size());
            }
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("byte_order", order == ByteOrder.LITTLE_ENDIAN ? "little-endian" : "big-endian");
        if (description != null) meta.put("ImageDescription", description);
        if (nextIfd != 0) meta.put("pages", "more than one; only the first is read");
        long photometric = one(file, ints, 262, "PhotometricInterpretation", 1);
        if (photometric == 0) meta.put("PhotometricInterpretation", "0 (WhiteIsZero): values are read as stored, not inverted");
        Calibration cal = calibration(description, rationals);
        return new TiffDataset(file, order, dtype, height, width, offsets, rowsPerStrip, cal, meta);
    }

    private static long one(Path file, Map<Integer, long[]> ints, int tag, String name, long def) {
        long[] a = ints.get(tag);
        if (a == null) {
            if (def < 0) throw new CorruptFileException(file, name, "a " + name + " tag", "none");
            return def;
        }
        return a[0];
    }

    /** Pixel size from an ImageJ description: {@code unit=nm|micron|um|µm|A|Å} and X/YResolution in pixels per unit. */
    static Calibration calibration(String description, Map<Integer, double[]> rationals) {
        if (description == null || !rationals.containsKey(282)) return Calibration.none();
        double perUnit = 0;
        for (String line : description.split("\n")) {
            String l = line.trim();
            if (!l.startsWith("unit=")) continue;
            String u = l.substring(5).trim();
            perUnit = switch (u) {
                case "nm", "nanometer", "nanometre" -> 1;
                case "micron", "um", "\u00b5m", "\u03bcm", "microns" -> 1000;
                case "A", "\u00c5", "angstrom" -> 0.1;
                default -> 0;
            };
        }
        double rx = rationals.get(282)[0];
        double ry = rationals.containsKey(283) ? rationals.get(283)[0] : rx;
        if (!(perUnit > 0) || !(rx > 0) || !(ry > 0)) return Calibration.none();
        return Calibration.builder().scanStepNm(perUnit / ry, perUnit / rx).build();
    }

    /** The opened image; reads by positional strip reads, so concurrent calls are safe. */
    static final class TiffDataset implements Dataset {
        private final Path file;
        private final ByteOrder order;
        private final DType dtype;
        private final int height;
        private final int width;
        private final long[] offsets;
        private final long rowsPerStrip;
        private final Calibration cal;
        private final Map<String, String> meta;

        TiffDataset(Path file, ByteOrder order, DType dtype, int height, int width, long[] offsets, long rowsPerStrip, Calibration cal,
                Map<String, String> meta) {
            this.file = file;
            this.order = order;
            this.dtype = dtype;
            this.height = height;
            this.width = width;
            this.offsets = offsets;
            this.rowsPerStrip = rowsPerStrip;
            this.cal = cal;
            this.meta = Map.copyOf(meta);
        }

        @Override
        public Path source() {
            return file;
        }

        @Override
        public String format() {
            return "tiff";
        }

        @Override
        public Shape navShape() {
            return Shape.of(1, 1);
        }

        @Override
        public Shape sigShape() {
            return Shape.of(height, width);
        }

        @Override
        public DType dtype() {
            return dtype;
        }

        @Override
        public Calibration calibration() {
            return cal;
        }

        @Override
        public Map<String, String> metadata() {
            return meta;
        }

        @Override
        public void readFrames(long first, int count, float[] dest, int destOffset) {
            if (count == 0) return;
            if (first != 0 || count != 1) {
                throw new InvalidInputException(file, "frame range", "frame 0 only (a single image)", "frames " + first + "…" + (first + count - 1));
            }
            int bytes = dtype.bytes();
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                int strips = (int) ((height + rowsPerStrip - 1) / rowsPerStrip);
                for (int s = 0; s < strips; s++) {
                    int row0 = (int) (s * rowsPerStrip);
                    int rows = (int) Math.min(rowsPerStrip, height - row0);
                    ByteBuffer b = read(ch, file, offsets[s], rows * width * bytes, order, "strip " + s);
                    int o = destOffset + row0 * width;
                    int n = rows * width;
                    switch (dtype) {
                        case UINT8 -> { for (int i = 0; i < n; i++) dest[o + i] = b.get(i) & 0xff; }
                        case INT8 -> { for (int i = 0; i < n; i++) dest[o + i] = b.get(i); }
                        case UINT16 -> { for (int i = 0; i < n; i++) dest[o + i] = b.getShort(2 * i) & 0xffff; }
                        case INT16 -> { for (int i = 0; i < n; i++) dest[o + i] = b.getShort(2 * i); }
                        case UINT32 -> { for (int i = 0; i < n; i++) dest[o + i] = b.getInt(4 * i) & 0xffffffffL; }
                        case INT32 -> { for (int i = 0; i < n; i++) dest[o + i] = b.getInt(4 * i); }
                        case FLOAT32 -> { for (int i = 0; i < n; i++) dest[o + i] = b.getFloat(4 * i); }
                        case FLOAT64 -> { for (int i = 0; i < n; i++) dest[o + i] = (float) b.getDouble(8 * i); }
                        default -> throw new IllegalStateException(dtype.toString());
                    }
                }
            } catch (IOException e) {
                throw new InvalidInputException(file, "image data", "readable strips", e.toString(), e);
            }
        }

        @Override
        public void close() {
            // nothing held open: every read opens its own channel
        }
    }
}
