package org.ltz4d.cli.commands;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.engine.Cancellation;
import org.ltz4d.api.error.InvalidInputException;
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.api.param.ParameterSpec;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.api.units.Unit;
import org.ltz4d.cli.CliContext;
import org.ltz4d.cli.internal.OptionTokens;
import picocli.CommandLine.Command;

/**
 * {@code ltz4d thickness EELS --beam-kv … --collection-mrad … --composition … --out t.npy}: the
 * thickness map of an EELS spectrum image (pipeline {@code thickness}, fitter
 * {@code eels-thickness}), resampled onto the 4D-STEM scan grid when {@code --target-shape} is given,
 * written as a float32 .npy in nm with its standard error beside it ({@code t_sigma.npy}), ready for
 * {@code analyze --thickness-map t.npy --thickness-sigma-map t_sigma.npy}. Spectrum images: DM3/DM4
 * 3-D (read by the DM reader as one spectrum per position), HDF5/EMD (the {@code eels-hdf5} reader,
 * chosen here for HDF5 suffixes; {@code --hdf5-path} names the dataset), .npy (1 × channels frames,
 * {@code --energy-dispersion-ev}/{@code --energy-offset-ev} for an energy axis).
 */
@Command(name = "thickness", description = {"Thickness map (nm) from an EELS spectrum image by the log-ratio method,",
    "resampled onto a 4D-STEM scan grid, for analyze --thickness-map."},
        customSynopsis = "ltz4d thickness EELS --beam-kv KV --collection-mrad B --composition C --out t.npy [--OPTION VALUE ...]")
public final class ThicknessCommand extends ParameterisedCommand {
    static final String PIPELINE = "thickness";
    static final String FITTER = "eels-thickness";
    static final String HDF5_READER = "eels-hdf5";
    static final String EELS_STEP = "eels-step-nm", EELS_OFFSET = "eels-offset-nm", TARGET_SHAPE = "target-shape",
            TARGET_STEP = "target-step-nm", TARGET_OFFSET = "target-offset-nm";

    public ThicknessCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    List<ParameterSpec> parameters() {
        List<ParameterSpec> p = new ArrayList<>(ctx.engine().pipelineParameters(PIPELINE, Parameters.empty()));
        p.add(ParameterSpec.number(EELS_STEP, "scan step of the spectrum image (default: from the file)", Unit.NANOMETRE, null, 1e-6, 1e9));
        p.add(new ParameterSpec(EELS_OFFSET, ParameterSpec.Type.DOUBLE_LIST, "position y,x of the spectrum image's first pixel in the "
                + "common stage frame (default 0,0)", Unit.NANOMETRE, null, 0, 0, List.of()));
        p.add(new ParameterSpec(TARGET_SHAPE, ParameterSpec.Type.INT_LIST, "scan shape Y,X of the 4D-STEM grid to resample onto "
                + "(default: the spectrum image's own grid)", Unit.DIMENSIONLESS, null, 0, 0, List.of()));
        p.add(ParameterSpec.number(TARGET_STEP, "scan step of the 4D-STEM grid (default: the spectrum image's)", Unit.NANOMETRE, null, 1e-6, 1e9));
        p.add(new ParameterSpec(TARGET_OFFSET, ParameterSpec.Type.DOUBLE_LIST, "position y,x of the 4D-STEM grid's first pixel in the "
                + "same frame (default 0,0)", Unit.NANOMETRE, null, 0, 0, List.of()));
        return p;
    }

    @Override
    String parameterTitle() {
        return "Parameters:";
    }

    @Override
    int run(OptionTokens tokens) {
        Path file = Path.of(single(tokens, "EELS", "one EELS spectrum image"));
        Parameters p = spectrumImageReader(file, tokens.parameters());
        MapSet maps;
        double fileStep;
        try (Dataset ds = ctx.engine().open(file, p)) {
            fileStep = ds.calibration().scanStepXNm().orElse(Double.NaN);
            maps = ctx.engine().fit(ds, List.of(FITTER), p, ctx.progress(), new Cancellation());
        }
        DataMap tm = maps.require("thickness/t_nm");
        DataMap sm = maps.require("thickness/sigma_t_nm");
        int rows = tm.shape().rows(), cols = tm.shape().cols();
        double eStep = p.has(EELS_STEP) ? p.positive(EELS_STEP, 1) : fileStep;
        double[] eOff = pair(p, EELS_OFFSET, new double[] {0, 0});
        Optional<int[]> shape = p.intList(TARGET_SHAPE, 2);
        float[] t = tm.toArray(), s = sm.toArray();
        int outRows = rows, outCols = cols;
        if (shape.isPresent()) {
            int[] sh = shape.get();
            if (sh[0] < 1 || sh[1] < 1) throw new InvalidParameterException(TARGET_SHAPE, "two positive integers Y,X", p.string(TARGET_SHAPE, ""));
            if (!(eStep > 0)) {
                throw new InvalidParameterException(EELS_STEP, "the spectrum image's scan step in nm (the file does not give it)", null);
            }
            double tStep = p.has(TARGET_STEP) ? p.positive(TARGET_STEP, 1) : eStep;
            double[] tOff = pair(p, TARGET_OFFSET, new double[] {0, 0});
            t = Resample.bilinear(t, rows, cols, eStep, eOff, sh[0], sh[1], tStep, tOff);
            s = Resample.bilinear(s, rows, cols, eStep, eOff, sh[0], sh[1], tStep, tOff);
            outRows = sh[0];
            outCols = sh[1];
        }
        Path sigma = sigmaPath(out);
        writeNpy(out, t, outRows, outCols);
        writeNpy(sigma, s, outRows, outCols);
        Object lambda = tm.attributes().get("lambda_nm");
        ctx.out().println(String.format(Locale.ROOT, "thickness: %d×%d map written to %s (nm), its standard error to %s; λ = %s nm (%s); "
                + "median t = %.1f nm", outRows, outCols, out, sigma, lambda, tm.attributes().get("lambda_model"), median(t)));
        return 0;
    }

    /**
     * HDF5 files (.h5, .hdf5, .emd, .nxs) are read by the spectrum-image reader {@code eels-hdf5}
     * (one spectrum per position, energy axis from the file) unless {@code --format} names another;
     * the general hdf5 reader would read a 3-D spectrum image as a stack of frames. DM files need
     * nothing: their reader recognises spectrum images by the energy axis or the SI tags.
     */
    static Parameters spectrumImageReader(Path file, Parameters p) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean hdf5 = List.of(".h5", ".hdf5", ".emd", ".nxs").stream().anyMatch(name::endsWith);
        if (!hdf5 || p.has("format")) return p;
        java.util.Map<String, String> m = new java.util.LinkedHashMap<>(p.asMap());
        m.put("format", HDF5_READER);
        return Parameters.of(m);
    }

    /** {@code t.npy} → {@code t_sigma.npy}. */
    static Path sigmaPath(Path out) {
        String name = out.getFileName().toString();
        String stem = name.endsWith(".npy") ? name.substring(0, name.length() - 4) : name;
        return out.resolveSibling(stem + "_sigma.npy");
    }

    private static double[] pair(Parameters p, String name, double[] dflt) {
        Optional<double[]> v = p.doubleList(name);
        if (v.isEmpty()) return dflt;
        if (v.get().length != 2 || !Double.isFinite(v.get()[0]) || !Double.isFinite(v.get()[1])) {
            throw new InvalidParameterException(name, "two numbers y,x in nm", p.string(name, ""));
        }
        return v.get();
    }

    private static double median(float[] v) {
        float[] f = new float[v.length];
        int n = 0;
        for (float x : v) if (Float.isFinite(x)) f[n++] = x;
        if (n == 0) return Double.NaN;
        java.util.Arrays.sort(f, 0, n);
        return f[n / 2];
    }

    /** A float32 C-order .npy, written to a temporary file and moved into place. */
    static void writeNpy(Path file, float[] v, int rows, int cols) {
        String h = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + rows + ", " + cols + "), }";
        h = h + " ".repeat((64 - (10 + h.length() + 1) % 64) % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + h.length() + 4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.ISO_8859_1)).put((byte) 1).put((byte) 0);
        b.putShort((short) h.length()).put(h.getBytes(StandardCharsets.ISO_8859_1));
        for (float x : v) b.putFloat(x);
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null) Files.createDirectories(dir);
            Path tmp = file.resolveSibling(file.getFileName() + ".part");
            Files.write(tmp, b.array());
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new InvalidInputException(file, "out", "a writable file", e.toString(), e);
        }
    }
}
