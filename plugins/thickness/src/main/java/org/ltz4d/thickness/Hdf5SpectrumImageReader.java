package org.ltz4d.thickness;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.data.DatasetReader;
import org.ltz4d.api.error.CorruptFileException;
import org.ltz4d.api.error.InvalidInputException;
import org.ltz4d.api.error.Ltz4dException;
import org.ltz4d.api.error.MissingCalibrationException;
import org.ltz4d.api.error.ShapeMismatchException;
import org.ltz4d.api.error.UnsupportedFormatException;
import org.ltz4d.api.param.ParameterSpec;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.io.FormatReader;
import org.osgi.service.component.annotations.Component;

/**
 * {@code eels-hdf5}: a 3-D spectrum image in an HDF5 file (EMD, NeXus-style or plain), as one
 * spectrum per scan position, nav (Y, X), sig (1, E), with its energy axis (the metadata of
 * {@link EnergyAxis}). Never chosen by probing (the general {@code hdf5} reader reads these files
 * as frame stacks); {@code --format eels-hdf5}, which {@code ltz4d thickness} sets itself for HDF5
 * suffixes. The dataset is {@code --hdf5-path}, else the first 3-D {@code data} of a Berkeley EMD
 * group ({@code emd_group_type} = 1) with an energy axis, else the first 3-D dataset carrying
 * {@code energy_scale}. The energy axis, in this order:
 * <ol>
 * <li>the EMD dim vectors beside the data ({@code dim1..dim3}, EMD 0.x, or {@code dim0..dim2},
 * EMD 1.0): the axis whose {@code units} attribute is eV/keV; scale v[1] − v[0], offset v[0];</li>
 * <li>attributes on the dataset: {@code energy_scale} (per channel), {@code energy_offset} (of
 * channel 0), {@code energy_units} (eV, the default, or keV) and {@code energy_axis} (0 or 2;
 * default 2, the last, as NeXus NXdata with the signal's fast axis the energy);</li>
 * </ol>
 * A 3-D dataset without either is a {@link MissingCalibrationException} naming the file and
 * {@code PATH@energy_scale}. The other two axes are (scan_y, scan_x) in array order; their step
 * from the dim vectors when those are lengths. Velox spectrum streams ({@code Data/SpectrumStream},
 * compressed photon events) are not read.
 */
@Component(service = DatasetReader.class)
public final class Hdf5SpectrumImageReader extends FormatReader {
    public static final String NAME = "eels-hdf5";
    static final String PATH = "hdf5-path";
    static final String ENERGY_AXIS_ATTR = "energy_axis", SCALE_ATTR = "energy_scale", OFFSET_ATTR = "energy_offset",
            UNITS_ATTR = "energy_units";

    public Hdf5SpectrumImageReader() {
        super(NAME, List.of(ParameterSpec.text(PATH, "HDF5 path of the 3-D spectrum image (default: an EMD group's data with an eV "
                + "axis, else the first 3-D dataset with an energy_scale attribute)", null)), "h5", "hdf5", "emd", "nxs");
    }

    @Override
    protected double confidence(Probe p) {
        return 0.0; // only by --format eels-hdf5: the hdf5 reader owns these files otherwise
    }

    /** A spectrum image found in a file: the dataset, its energy axis (index) and calibration. */
    record Found(io.jhdf.api.Dataset data, int energyAxis, double scaleEv, double offsetEv, String source, double[] stepNm) {
    }

    @Override
    public Dataset open(Path file, Parameters options) {
        HdfFile hdf;
        try {
            hdf = new HdfFile(file);
        } catch (RuntimeException e) {
            throw new CorruptFileException(file, "HDF5 superblock", "an HDF5 file", e.toString(), e);
        }
        try {
            Found f = find(file, hdf, options.string(PATH).orElse(null));
            int[] dims = f.data().getDimensions();
            int e = f.energyAxis();
            int ay = e == 0 ? 1 : 0, ax = e == 2 ? 1 : 2;
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("hdf5.dataset_path", f.data().getPath());
            meta.put("hdf5.shape", java.util.Arrays.toString(dims));
            meta.put("spectrum_image", "energy on array axis " + e + " of " + java.util.Arrays.toString(dims));
            meta.put(EnergyAxis.SCALE, Double.toString(f.scaleEv()));
            meta.put(EnergyAxis.OFFSET, Double.toString(f.offsetEv()));
            meta.put(EnergyAxis.CHANNELS, Integer.toString(dims[e]));
            meta.put(EnergyAxis.TAG, f.source());
            Calibration.Builder cal = Calibration.builder();
            if (f.stepNm() != null && f.stepNm()[ay] > 0 && f.stepNm()[ax] > 0) cal.scanStepNm(f.stepNm()[ay], f.stepNm()[ax]);
            Dataset ds = new Hdf5Spectra(file, NAME, hdf, f.data(), e, ay, ax, cal.build(), meta);
            hdf = null; // owned by the dataset now
            return ds;
        } catch (Ltz4dException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CorruptFileException(file, "HDF5 structure", "a readable HDF5 spectrum image", e.toString(), e);
        } finally {
            if (hdf != null) hdf.close();
        }
    }

    static Found find(Path file, HdfFile hdf, String path) {
        if (path != null) {
            Node n;
            try {
                n = hdf.getByPath(path);
            } catch (RuntimeException e) {
                throw new InvalidInputException(file, PATH, "an HDF5 path of a 3-D dataset", path + " (absent)");
            }
            if (!(n instanceof io.jhdf.api.Dataset d) || d.getDimensions().length != 3) {
                throw new ShapeMismatchException(file, PATH, "a 3-D dataset (scan_y, scan_x, energy or energy first)",
                        path + (n instanceof io.jhdf.api.Dataset d2 ? " of shape " + java.util.Arrays.toString(d2.getDimensions()) : " (a group)"));
            }
            Found f = calibrated(file, d);
            if (f == null) {
                throw new MissingCalibrationException(file, d.getPath() + "@" + SCALE_ATTR, "an energy axis: EMD dim vectors with units eV "
                        + "beside the data, or the attributes energy_scale, energy_offset (eV) [energy_units, energy_axis] on it", "none");
            }
            return f;
        }
        List<io.jhdf.api.Dataset> threeD = new ArrayList<>();
        collect(hdf, threeD, 0);
        for (io.jhdf.api.Dataset d : threeD) {
            Found f = calibrated(file, d);
            if (f != null) return f;
        }
        if (!threeD.isEmpty()) {
            throw new MissingCalibrationException(file, threeD.get(0).getPath() + "@" + SCALE_ATTR, "a 3-D spectrum image with an energy "
                    + "axis (EMD dim vectors with units eV, or energy_scale/energy_offset attributes; or name it with --hdf5-path)", "none");
        }
        throw new UnsupportedFormatException(file, PATH, "a 3-D dataset (a spectrum image)", "no 3-D dataset in the file");
    }

    private static void collect(Group g, List<io.jhdf.api.Dataset> out, int depth) {
        if (depth > 16) return;
        for (Node n : g.getChildren().values()) {
            if (n instanceof io.jhdf.api.Dataset d && !d.isScalar() && d.getDimensions().length == 3 && numeric(d)) out.add(d);
            else if (n instanceof Group c && !n.isLink()) collect(c, out, depth + 1);
        }
    }

    private static boolean numeric(io.jhdf.api.Dataset d) {
        Class<?> t = d.getJavaType();
        return t.isPrimitive() && t != boolean.class && t != char.class;
    }

    /** The dataset's energy axis from EMD dim vectors, else its own attributes; null when neither gives one. */
    static Found calibrated(Path file, io.jhdf.api.Dataset d) {
        int[] dims = d.getDimensions();
        Group parent = d.getParent();
        if (parent != null && numeric(d)) {
            int base = parent.getChildren().containsKey("dim0") ? 0 : 1;
            double[] step = new double[3];
            double[] first = new double[3];
            String[] units = new String[3];
            boolean all = true;
            for (int a = 0; a < 3; a++) {
                Node n = parent.getChildren().get("dim" + (a + base));
                if (n instanceof io.jhdf.api.Dataset v && !v.isScalar() && v.getDimensions().length == 1 && v.getDimensions()[0] == dims[a]
                        && dims[a] >= 2) {
                    Object two = v.getData(new long[] {0}, new int[] {2});
                    first[a] = ((Number) Array.get(two, 0)).doubleValue();
                    step[a] = ((Number) Array.get(two, 1)).doubleValue() - first[a];
                    units[a] = text(attr(v, "units"));
                } else {
                    all = false;
                }
            }
            if (all) {
                for (int a : new int[] {2, 0, 1}) {
                    double u = energyUnit(units[a]);
                    if (u > 0) {
                        String src = parent.getPath() + "dim" + (a + base);
                        if (!(step[a] > 0) || !Double.isFinite(step[a]) || !Double.isFinite(first[a])) {
                            throw new MissingCalibrationException(file, src, "an increasing energy vector (eV)",
                                    String.format(Locale.ROOT, "%g, %g, ...", first[a], first[a] + step[a]));
                        }
                        double[] nm = new double[3];
                        for (int k = 0; k < 3; k++) nm[k] = k == a ? 0 : Math.abs(step[k]) * lengthNm(units[k]);
                        return new Found(d, a, step[a] * u, first[a] * u, src, nm);
                    }
                }
            }
        }
        Double scale = number(attr(d, SCALE_ATTR));
        if (scale == null) return null;
        String src = d.getPath() + "@" + SCALE_ATTR;
        String unitText = text(attr(d, UNITS_ATTR));
        double u = unitText == null ? 1 : energyUnit(unitText);
        if (u == 0) throw new MissingCalibrationException(file, d.getPath() + "@" + UNITS_ATTR, "eV or keV", unitText);
        if (!(scale > 0) || !Double.isFinite(scale)) throw new MissingCalibrationException(file, src, "a positive energy per channel", Double.toString(scale));
        Double off = number(attr(d, OFFSET_ATTR));
        if (off == null || !Double.isFinite(off)) {
            throw new MissingCalibrationException(file, d.getPath() + "@" + OFFSET_ATTR, "the energy of channel 0 (finite)", off == null ? "missing" : off.toString());
        }
        Double axis = number(attr(d, ENERGY_AXIS_ATTR));
        int e = axis == null ? 2 : axis.intValue();
        if (e != 0 && e != 2) throw new ShapeMismatchException(file, d.getPath() + "@" + ENERGY_AXIS_ATTR, "0 (energy first) or 2 (last)", axis.toString());
        if (!numeric(d)) throw new UnsupportedFormatException(file, d.getPath(), "a numeric dataset", d.getJavaType().getSimpleName());
        return new Found(d, e, scale * u, off * u, src, null);
    }

    static double energyUnit(String u) {
        if (u == null) return 0;
        return switch (u.strip()) {
            case "eV" -> 1;
            case "keV" -> 1e3;
            case "meV" -> 1e-3;
            default -> 0;
        };
    }

    private static double lengthNm(String u) {
        if (u == null) return 0;
        return switch (u.strip()) {
            case "pm" -> 1e-3;
            case "Å", "A", "Angstrom" -> 0.1;
            case "nm" -> 1;
            case "µm", "um" -> 1e3;
            case "mm" -> 1e6;
            case "m" -> 1e9;
            default -> 0;
        };
    }

    private static Object attr(Node n, String name) {
        try {
            Attribute a = n.getAttribute(name);
            return a == null ? null : a.getData();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** An attribute's value: a one-element array unwrapped. */
    private static Object first(Object o) {
        return o != null && o.getClass().isArray() ? (Array.getLength(o) == 0 ? null : Array.get(o, 0)) : o;
    }

    private static String text(Object o) {
        Object v = first(o);
        return v == null ? null : v.toString();
    }

    /** A numeric attribute (text is not parsed: the energy calibration must be a number). */
    private static Double number(Object o) {
        return first(o) instanceof Number n ? n.doubleValue() : null;
    }
}
