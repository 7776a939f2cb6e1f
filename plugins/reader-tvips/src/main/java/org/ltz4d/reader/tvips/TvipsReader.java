package org.ltz4d.reader.tvips;

import org.ltz4d.io.MappedFile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.DType;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.data.DatasetReader;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.error.CorruptFileException;
import org.ltz4d.api.error.InvalidInputException;
import org.ltz4d.api.error.ShapeMismatchException;
import org.ltz4d.api.error.TruncatedFileException;
import org.ltz4d.api.error.UnsupportedFormatException;
import org.ltz4d.api.param.ParameterSpec;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.io.FormatReader;
import org.osgi.service.component.annotations.Component;

/**
 * TVIPS recorder stream ({@code .tvips}, header versions 1 and 2): a 256-byte little-endian general
 * header (size, version, dimx, dimy, bitsperpixel, offsets, binning, pixelsize, ht, magtotal,
 * frameheaderbytes), then frames, each a frame header (12 bytes in v1, frameheaderbytes in v2) and
 * dimy×dimx pixels of 8 or 16 bits. A recording split over {@code name_000.tvips, name_001.tvips, ...}
 * continues in the later files without a general header; open the {@code _000} file. The files do not
 * store the scan, so the scan shape comes from {@code scan-shape} (default (frames, 1)), optionally
 * after {@code scan-start-frame} frames (flyback/prescan). Frames keep the file's row order.
 */
@Component(service = DatasetReader.class)
public final class TvipsReader extends FormatReader {
    static final int HEADER = 256;
    static final String SCAN_SHAPE = "scan-shape";
    static final String START = "scan-start-frame";
    private static final Pattern SERIES = Pattern.compile("(.*)_(\\d{3})\\.tvips", Pattern.CASE_INSENSITIVE);

    private static final List<ParameterSpec> PARAMS = List.of(
            new ParameterSpec(SCAN_SHAPE, ParameterSpec.Type.INT_LIST,
                    "scan shape Y,X (TVIPS files do not store it); default (frames, 1)", null, null, 1, Integer.MAX_VALUE, null),
            ParameterSpec.integer(START, "index of the recorded frame that is scan position (0, 0)", 0, 0, Integer.MAX_VALUE));

    public TvipsReader() {
        super("tvips", PARAMS, "tvips");
    }


    @Override
    protected double confidence(Probe p) {
        boolean suffix = p.hasSuffix();
        if (p.headBytes() < 52) return suffix ? 0.2 : 0.0;
        ByteBuffer h = p.head().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        boolean fields = h.getInt(0) == HEADER && (h.getInt(4) == 1 || h.getInt(4) == 2) && h.getInt(8) > 0 && h.getInt(12) > 0
                && (h.getInt(16) == 8 || h.getInt(16) == 16);
        if (fields) return suffix ? 1.0 : 0.4;
        return suffix ? 0.2 : 0.0;
    }

    @Override
    public Dataset open(Path file, Parameters options) {
        Parameters opts = options == null ? Parameters.empty() : options;
        ByteBuffer h = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
        long size0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            size0 = ch.size();
            if (size0 == 0) throw new TruncatedFileException(file, "header", "a 256-byte TVIPS general header", "an empty file (0 bytes)");
            while (h.hasRemaining() && ch.read(h, h.position()) > 0) { /* fill */ }
        } catch (IOException e) {
            throw new InvalidInputException(file, "file", "a readable file", MappedFile.describe(e), e);
        }
        if (h.position() < HEADER) throw new TruncatedFileException(file, "header", "a 256-byte TVIPS general header", size0 + " bytes");
        int hsize = h.getInt(0), version = h.getInt(4), dimx = h.getInt(8), dimy = h.getInt(12), bpp = h.getInt(16);
        if (hsize != HEADER) {
            Matcher m = SERIES.matcher(file.getFileName().toString());
            String hint = m.matches() && !m.group(2).equals("000") ? " (a continuation file: open " + m.group(1) + "_000.tvips)" : "";
            throw new CorruptFileException(file, "size", "a general header of 256 bytes", Integer.toUnsignedString(hsize) + hint);
        }
        if (version != 1 && version != 2) throw new UnsupportedFormatException(file, "version", "TVIPS header version 1 or 2", Integer.toString(version));
        if (dimx <= 0 || dimy <= 0 || (long) dimx * dimy > (1 << 28)) {
            throw new CorruptFileException(file, "dimx/dimy", "a positive frame size", dimx + "/" + dimy);
        }
        DType type = switch (bpp) {
            case 8 -> DType.UINT8;
            case 16 -> DType.UINT16;
            default -> throw new UnsupportedFormatException(file, "bitsperpixel", "8 or 16", Integer.toString(bpp));
        };
        int frameHeader = version == 1 ? 12 : h.getInt(48);
        if (frameHeader < 0 || frameHeader > (1 << 20)) throw new CorruptFileException(file, "frameheaderbytes", "0..1 MiB", Integer.toString(frameHeader));
        long record = frameHeader + (long) dimx * dimy * type.bytes();

        List<Path> files = series(file);
        long[] sizes = new long[files.size()];
        long total = -HEADER;
        for (int i = 0; i < files.size(); i++) {
            try {
                sizes[i] = Files.size(files.get(i));
            } catch (IOException e) {
                throw new InvalidInputException(files.get(i), "file", "a readable file", MappedFile.describe(e), e);
            }
            total += sizes[i];
        }
        if (total < record) {
            throw new TruncatedFileException(file, "frames", "at least one frame of " + record + " bytes after the header", total + " bytes");
        }
        if (total % record != 0) {
            throw new TruncatedFileException(files.get(files.size() - 1), "frames", "a whole number of " + record + "-byte frames ("
                    + frameHeader + "-byte frame header + " + dimy + "x" + dimx + " pixels)", total + " bytes (" + (total % record)
                    + " bytes of a partial frame)");
        }
        long frames = total / record;
        Map<String, String> meta = new LinkedHashMap<>();
        String[] names = {"size", "version", "dimx", "dimy", "bitsperpixel", "offsetx", "offsety", "binx", "biny", "pixelsize",
            "ht", "magtotal", "frameheaderbytes"};
        for (int i = 0; i < names.length; i++) meta.put("tvips." + names[i], Integer.toUnsignedString(h.getInt(4 * i)));
        meta.put("tvips.files", Integer.toString(files.size()));
        meta.put("tvips.frames", Long.toString(frames));
        Calibration.Builder cal = Calibration.builder();
        int ht = h.getInt(40);
        if (ht > 0 && ht < 10000) cal.beamKv(ht);

        MappedFile[] maps = new MappedFile[files.size()];
        for (int i = 0; i < maps.length; i++) maps[i] = new MappedFile(files.get(i), ByteOrder.LITTLE_ENDIAN, record);
        if (frameHeader >= 28) {
            ByteBuffer b = maps[0].buffer(HEADER);
            int p = maps[0].index(HEADER);
            if (sizes[0] >= HEADER + 28) {
                meta.put("tvips.frame0.num", Integer.toUnsignedString(b.getInt(p)));
                meta.put("tvips.frame0.timestamp_s", Integer.toUnsignedString(b.getInt(p + 4)));
                meta.put("tvips.frame0.ms", Integer.toUnsignedString(b.getInt(p + 8)));
                meta.put("tvips.frame0.mag", Integer.toUnsignedString(b.getInt(p + 20)));
                meta.put("tvips.frame0.mode", Integer.toUnsignedString(b.getInt(p + 24)) + " (1 image, 2 diffraction)");
            }
        }

        int start = opts.integer(START, 0);
        if (start < 0 || start >= frames) {
            throw new ShapeMismatchException(file, START, "a frame index in [0, " + frames + ")", Integer.toString(start));
        }
        long usable = frames - start;
        Shape nav;
        int[] s = opts.intList(SCAN_SHAPE, 2).orElse(null);
        if (s == null) {
            if (usable > Integer.MAX_VALUE) throw new UnsupportedFormatException(file, "frames", "at most 2^31-1 frames", Long.toString(usable));
            nav = Shape.of((int) usable, 1);
        } else {
            if (s[0] <= 0 || s[1] <= 0 || (long) s[0] * s[1] > usable) {
                throw new ShapeMismatchException(file, SCAN_SHAPE, "a scan of at most " + usable + " frames (after " + start + " skipped)",
                        s[0] + "," + s[1]);
            }
            nav = Shape.of(s[0], s[1]);
            if ((long) s[0] * s[1] < usable) meta.put("unused_trailing_frames", Long.toString(usable - (long) s[0] * s[1]));
        }
        if (start > 0) meta.put("scan_start_frame", Integer.toString(start));
        return new TvipsDataset(file, maps, sizes, record, frameHeader, start, type, nav, Shape.of(dimy, dimx), cal.build(), Map.copyOf(meta));
    }

    /** The file and, when it is {@code name_NNN.tvips}, the consecutive continuation files that exist. */
    static List<Path> series(Path file) {
        List<Path> out = new ArrayList<>();
        out.add(file);
        Matcher m = SERIES.matcher(file.getFileName().toString());
        if (!m.matches()) return out;
        String ext = file.getFileName().toString().substring(file.getFileName().toString().length() - 6);
        for (int i = Integer.parseInt(m.group(2)) + 1; i < 1000; i++) {
            Path next = file.resolveSibling(String.format(Locale.ROOT, "%s_%03d%s", m.group(1), i, ext));
            if (!Files.isRegularFile(next)) break;
            out.add(next);
        }
        return out;
    }
}
