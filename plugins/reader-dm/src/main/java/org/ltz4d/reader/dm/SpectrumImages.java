package org.ltz4d.reader.dm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.DType;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.error.CorruptFileException;
import org.ltz4d.api.error.InvalidInputException;
import org.ltz4d.api.error.MissingCalibrationException;
import org.ltz4d.api.error.TruncatedFileException;
import org.ltz4d.io.MappedDataset;
import org.ltz4d.io.MappedFrames;

/**
 * 3-D DM images that are spectrum images (EELS, EDS, CL): one spectrum per scan position. GMS lists
 * {@code Dimensions} fastest first and writes an SI as [X, Y, E], energy slowest (each channel one
 * X×Y plane; rsciio and ncempy read it so); an image whose first axis carries the energy unit is
 * [E, X, Y], energy fastest. Presented as nav (Y, X), sig (1, E): energy fastest is mapped as it is,
 * energy slowest gathered by {@link PlanarSpectra}. The energy axis's calibration
 * ({@code Calibrations/Dimension[i]}: Scale eV per channel, Origin in channels, Units eV or keV) is
 * required: E(channel k) = (k − Origin)·Scale. It is handed on as dataset metadata, the convention
 * the spectrum analyses read ({@code energy_axis.scale_ev}, {@code energy_axis.offset_ev} = energy
 * of channel 0, {@code energy_axis.channels}, {@code energy_axis.tag} the calibration's tag path).
 */
final class SpectrumImages {

    private SpectrumImages() {
    }

    /** Which of the three axes (in Dimensions order) is the energy. */
    record Layout(int energyAxis, String reason) {
    }

    /**
     * The layout of a 3-D image that is a spectrum image, or null when it is not one. {@code mode}:
     * auto (an axis in eV/keV, or Meta Data/Format "Spectrum image", or an Orsay spim group), yes, no.
     */
    static Layout layout(Path file, DmTags.Tag image, String where, long[] dims, String mode) {
        if (mode.equals("no")) return null;
        int eAxis = -1;
        for (int i : new int[] {2, 0}) if (eAxis < 0 && energyUnit(units(image, i)) > 0) eAxis = i;
        String format = text(image, "ImageTags/Meta Data/Format");
        String signal = text(image, "ImageTags/Meta Data/Signal");
        boolean tagged = "Spectrum image".equalsIgnoreCase(format) || image.path("ImageTags/spim") != null;
        if (eAxis >= 0) return new Layout(eAxis, "axis " + eAxis + " in " + units(image, eAxis));
        if (tagged || mode.equals("yes")) {
            // marked (or declared) a spectrum image without an energy unit on either end axis: DM's own order is energy slowest
            String why = tagged ? "ImageTags/Meta Data/Format '" + format + "'" + (signal == null ? "" : " (" + signal + ")") : "--spectrum-image yes";
            throw new MissingCalibrationException(file, where + "/Calibrations/Dimension[2]/Units",
                    "an energy axis in eV or keV for a spectrum image (" + why + ")", "'" + units(image, 2) + "'");
        }
        return null;
    }

    static Dataset open(Path file, String format, DmTags tags, int index, DmTags.Tag image, DmTags.Tag data, DType dtype, int dtCode,
            long[] dims, Layout layout) {
        String where = "ImageList[" + index + "]/ImageData";
        String calTag = where + "/Calibrations/Dimension[" + layout.energyAxis() + "]";
        DmTags.Tag cal = axis(image, layout.energyAxis());
        Double scale = cal == null ? null : cal.number("Scale");
        Double origin = cal == null ? null : cal.number("Origin");
        double unit = energyUnit(units(image, layout.energyAxis()));
        if (scale == null || !Double.isFinite(scale) || scale <= 0) {
            throw new MissingCalibrationException(file, calTag + "/Scale", "the energy per channel, a positive number (eV or keV)",
                    scale == null ? "missing" : Double.toString(scale));
        }
        if (origin == null || !Double.isFinite(origin)) {
            throw new MissingCalibrationException(file, calTag + "/Origin", "the channel of 0 eV, a finite number",
                    origin == null ? "missing" : Double.toString(origin));
        }
        int e = layout.energyAxis();
        int ax = e == 2 ? 0 : 1; // the spatial axes: x then y
        int channels = toInt(file, where, dims[e]);
        int cols = toInt(file, where, dims[ax]);
        int rows = toInt(file, where, dims[ax + 1]);
        long elements;
        try {
            elements = Math.multiplyExact(Math.multiplyExact((long) channels, (long) cols), Math.multiplyExact((long) rows, (long) dtype.bytes()))
                    / dtype.bytes();
        } catch (ArithmeticException ex) {
            throw new CorruptFileException(file, where + "/Dimensions", "sizes whose product fits in 2^63 bytes", java.util.Arrays.toString(dims));
        }
        long bytes = data.arrayCount * data.arrayElemBytes;
        if (bytes != elements * dtype.bytes()) {
            throw new CorruptFileException(file, where + "/Data", elements + " elements of " + dtype + " for Dimensions "
                    + java.util.Arrays.toString(dims), bytes + " bytes");
        }
        long end = data.arrayOffset + elements * dtype.bytes();
        long size;
        try {
            size = Files.size(file);
        } catch (IOException ex) {
            throw new InvalidInputException(file, "file", "a readable file", ex.toString(), ex);
        }
        if (end > size) throw new TruncatedFileException(file, where + "/Data", end + " bytes", size + " bytes");

        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("dm_version", Integer.toString(tags.version));
        meta.put("image_index", Integer.toString(index));
        meta.put("dm_data_type", Integer.toString(dtCode));
        meta.put("dimensions", java.util.Arrays.toString(dims));
        meta.put("data_offset", Long.toString(data.arrayOffset));
        Calibration base = DmReader.calibration(image, 3, meta); // beam, microscope, per-axis scale/origin/units
        Calibration.Builder b = base.toBuilder();
        Double x = lengthNm(image, ax);
        Double y = lengthNm(image, ax + 1);
        if (x != null && y != null) b.scanStepNm(y, x);
        String title = image.text("Name");
        if (title != null) meta.put("title", title);
        double scaleEv = scale * unit;
        meta.put("spectrum_image", "energy " + (e == 2 ? "slowest, Dimensions [X, Y, E]" : "fastest, Dimensions [E, X, Y]") + " (" + layout.reason() + ")");
        meta.put("energy_axis.scale_ev", Double.toString(scaleEv));
        meta.put("energy_axis.offset_ev", Double.toString(-origin * scaleEv));
        meta.put("energy_axis.channels", Integer.toString(channels));
        meta.put("energy_axis.tag", calTag);
        String signal = text(image, "ImageTags/Meta Data/Signal");
        if (signal != null) meta.put("signal", signal);
        Shape nav = Shape.of(rows, cols);
        try {
            if (e == 0) {
                long frameBytes = (long) channels * dtype.bytes();
                if (frameBytes > MappedFrames.MAX_WINDOW) {
                    throw new org.ltz4d.api.error.UnsupportedFormatException(file, where + "/Dimensions", "spectra of at most 1 GiB",
                            frameBytes + " bytes per spectrum");
                }
                MappedFrames mf = new MappedFrames(file, data.arrayOffset, frameBytes, (int) frameBytes, nav.size());
                return new MappedDataset(file, format, nav, Shape.of(1, channels), dtype, tags.order, b.build(), meta, mf, 0, null);
            }
            long plane = (long) rows * cols * dtype.bytes();
            if (plane > MappedFrames.MAX_WINDOW) {
                throw new org.ltz4d.api.error.UnsupportedFormatException(file, where + "/Dimensions", "energy planes of at most 1 GiB",
                        plane + " bytes per plane");
            }
            MappedFrames mf = new MappedFrames(file, data.arrayOffset, plane, (int) plane, channels);
            return new PlanarSpectra(file, format, nav, channels, dtype, tags.order, b.build(), meta, mf);
        } catch (IOException ex) {
            throw new CorruptFileException(file, "data", "a file that can be memory-mapped", ex.toString(), ex);
        }
    }

    /** eV per unit of an energy unit, 0 when it is not one. */
    static double energyUnit(String u) {
        return switch (u.replace(" ", "")) {
            case "eV" -> 1;
            case "keV" -> 1e3;
            case "meV" -> 1e-3;
            default -> 0;
        };
    }

    private static DmTags.Tag axis(DmTags.Tag image, int i) {
        DmTags.Tag d = image.path("ImageData/Calibrations/Dimension");
        return d == null || !d.isGroup() || d.children.size() <= i ? null : d.children.get(i);
    }

    private static String units(DmTags.Tag image, int i) {
        DmTags.Tag a = axis(image, i);
        String u = a == null ? null : a.text("Units");
        return u == null ? "" : u.trim();
    }

    private static Double lengthNm(DmTags.Tag image, int i) {
        DmTags.Tag a = axis(image, i);
        Double s = a == null ? null : a.number("Scale");
        return s == null ? null : DmReader.lengthNm(s, units(image, i));
    }

    private static String text(DmTags.Tag image, String path) {
        String s = image.text(path);
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static int toInt(Path file, String where, long d) {
        if (d <= 0 || d > Integer.MAX_VALUE) throw new CorruptFileException(file, where + "/Dimensions", "sizes 1..2^31-1", Long.toString(d));
        return (int) d;
    }
}
