package org.ltz4d.thickness;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.error.InvalidInputException;
import org.ltz4d.api.error.MissingCalibrationException;
import org.ltz4d.api.error.ShapeMismatchException;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.api.units.Unit;

/**
 * The energy-loss axis of a spectrum image: E(channel k) = offset + k·scale, in eV. From the
 * user ({@code --energy-dispersion-ev}, {@code --energy-offset-ev}), else from the dataset's
 * metadata, the convention spectrum-image readers follow ({@code energy_axis.scale_ev},
 * {@code energy_axis.offset_ev}, {@code energy_axis.channels}, {@code energy_axis.tag}: the file's
 * field it came from). Absent for files that carry none (a plain .npy of spectra): the analysis
 * then works on channels alone.
 *
 * @param source where the calibration came from (the file's tag or the parameters), named in errors
 */
record EnergyAxis(double scaleEv, double offsetEv, int channels, String source) {
    static final String P_DISPERSION = "energy-dispersion-ev";
    static final String P_OFFSET = "energy-offset-ev";
    static final Unit EV = Unit.of("eV", "energy loss");
    static final String SCALE = "energy_axis.scale_ev", OFFSET = "energy_axis.offset_ev", CHANNELS = "energy_axis.channels",
            TAG = "energy_axis.tag";

    /** Energy of channel {@code k}, eV. */
    double ev(double k) {
        return offsetEv + k * scaleEv;
    }

    /** The channel of energy {@code ev} (fractional). */
    double channel(double ev) {
        return (ev - offsetEv) / scaleEv;
    }

    String describe() {
        return String.format(Locale.ROOT, "%.6g eV per channel, channel 0 at %.6g eV, %d channels (%s)", scaleEv, offsetEv, channels, source);
    }

    /**
     * The axis of {@code ds} for spectra of {@code width} channels, or null when neither the
     * parameters nor the file give one. A calibration that is there but unusable (not a positive
     * finite dispersion, a channel count other than the spectra's, no 0 eV on the axis so no
     * zero-loss peak) is a typed error naming the file and the field.
     */
    static EnergyAxis of(Dataset ds, Parameters p, int width) {
        Path file = ds.source();
        Map<String, String> meta = ds.metadata();
        if (p.has(P_DISPERSION)) {
            double off = p.number(P_OFFSET, 0);
            return checked(file, "--" + P_DISPERSION + "/--" + P_OFFSET, p.positive(P_DISPERSION, 1), off, width, width);
        }
        if (!meta.containsKey(SCALE)) return null;
        String tag = meta.getOrDefault(TAG, SCALE);
        double scale = parse(meta.get(SCALE));
        double off = parse(meta.getOrDefault(OFFSET, "0"));
        int channels = (int) parse(meta.getOrDefault(CHANNELS, Integer.toString(width)));
        if (!(scale > 0) || !Double.isFinite(scale)) {
            throw new MissingCalibrationException(file, tag, "the energy dispersion, a positive number of eV per channel", meta.get(SCALE));
        }
        if (!Double.isFinite(off)) throw new MissingCalibrationException(file, tag, "the energy of channel 0, a finite number of eV", meta.get(OFFSET));
        return checked(file, tag, scale, off, channels, width);
    }

    private static EnergyAxis checked(Path file, String source, double scale, double off, int channels, int width) {
        if (channels != width) {
            throw new ShapeMismatchException(file, source, width + " energy channels (the spectra's length)", Integer.toString(channels));
        }
        EnergyAxis a = new EnergyAxis(scale, off, channels, source);
        double last = a.ev(channels - 1);
        if (!(a.offsetEv < 0 && last > 0)) {
            throw new InvalidInputException(file, source, "an energy-loss axis through 0 eV (the zero-loss peak must be recorded)",
                    String.format(Locale.ROOT, "%.6g to %.6g eV", a.offsetEv, last));
        }
        return a;
    }

    private static double parse(String s) {
        try {
            return Double.parseDouble(s.strip());
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }
}
