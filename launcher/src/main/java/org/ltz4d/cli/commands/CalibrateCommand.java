package org.ltz4d.cli.commands;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.error.InvalidInputException;
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.cli.CliContext;
import org.ltz4d.cli.calib.DetectorCalibration;
import org.ltz4d.cli.calib.RingHarmonics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ltz4d calibrate q|distortion FILE}: the detector's pixel size and its radial distortion
 * from the mean pattern of a calibration dataset (read through the engine).
 */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
        description = "Calibrate the detector from a pattern with known rings: pixel size (q), radial distortion.",
        subcommands = {CalibrateCommand.Q.class, CalibrateCommand.Distortion.class})
public final class CalibrateCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Options shared by the subcommands. */
    abstract static class Base implements Callable<Integer> {
        final CliContext ctx;

        @picocli.CommandLine.Parameters(index = "0", paramLabel = "FILE", description = "calibration dataset (any readable format)")
        Path file;

        @Option(names = "--frames", description = "frames averaged into the mean pattern, spread over the scan (default ${DEFAULT-VALUE})",
                defaultValue = "4096")
        int frames;

        @Option(names = "--out", paramLabel = "FILE.json", description = "write the calibration as JSON")
        Path out;

        /** Frames the mean pattern was made of. */
        long averaged;

        Base(CliContext ctx) {
            this.ctx = ctx;
        }

        double[] mean(int[] shape) {
            if (frames < 1) throw new InvalidParameterException("frames", "an integer ≥ 1", Integer.toString(frames));
            try (Dataset ds = ctx.engine().open(file, Parameters.of(Map.of()))) {
                shape[0] = ds.sigShape().rows();
                shape[1] = ds.sigShape().cols();
                averaged = Math.min(frames, ds.frameCount());
                return DetectorCalibration.meanPattern(ds, frames);
            }
        }

        OptionalDouble fileBeamKv() {
            try (Dataset ds = ctx.engine().open(file, Parameters.of(Map.of()))) {
                return ds.calibration().beamKv();
            }
        }

        void write(Map<String, Object> m) throws IOException {
            String json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m);
            if (out != null) {
                Files.writeString(out, json + System.lineSeparator());
                ctx.out().println("written " + out);
            }
        }

        /** A measurement failure of the data as a typed error naming the file. */
        InvalidInputException notMeasurable(IllegalArgumentException e) {
            return new InvalidInputException(file, "mean pattern", "a ring that can be measured", e.getMessage());
        }
    }

    @Command(name = "q", mixinStandardHelpOptions = true,
            description = {"Pixel size in 1/Å (s = θ/λ; q = 2π·s) and mrad from rings of known position:",
                "a glass's first peak (--ring-q, in 1/Å as q = 2π·s) or polycrystalline gold (--standard au: 111, 200, 220, 311, a = 4.0782 Å)."})
    public static final class Q extends Base {
        @Option(names = "--ring-q", paramLabel = "Q", description = "q (1/Å, q = 2π·s) of the strongest ring")
        Double ringQ;

        @Option(names = "--standard", paramLabel = "NAME", description = "a powder standard: au")
        String standard;

        @Option(names = "--beam-kv", paramLabel = "KV", description = "beam energy for the mrad value (default: the file's)")
        Double beamKv;

        public Q(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() throws IOException {
            if ((ringQ == null) == (standard == null)) {
                throw new InvalidParameterException("ring-q", "either --ring-q Q or --standard au", ringQ == null ? "neither" : "both");
            }
            if (ringQ != null && !(ringQ > 0 && ringQ < 100)) throw new InvalidParameterException("ring-q", "a q in (0, 100) 1/Å", ringQ.toString());
            if (standard != null && !standard.equalsIgnoreCase("au")) throw new InvalidParameterException("standard", "au", standard);
            if (beamKv != null && !(beamKv >= 1 && beamKv <= 3000)) throw new InvalidParameterException("beam-kv", "a number in [1, 3000] kV", beamKv.toString());
            int[] shape = new int[2];
            double[] mean = mean(shape);
            DetectorCalibration.PixelSize ps;
            try {
                ps = ringQ != null ? DetectorCalibration.fromRingQ(mean, shape[0], shape[1], ringQ) : DetectorCalibration.fromGold(mean, shape[0], shape[1]);
            } catch (IllegalArgumentException e) {
                throw notMeasurable(e);
            }
            OptionalDouble kv = beamKv != null ? OptionalDouble.of(beamKv) : fileBeamKv();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("format", "ltz4d-detector-pixel");
            m.put("source", file.toString());
            m.put("frames_averaged", averaged);
            m.put("pixel_inv_angstrom", ps.sPerPx());
            m.put("pixel_inv_angstrom_sigma", ps.sigma());
            m.put("pixel_unit", "1/Å per pixel as s = θ/λ (q = 2π·s)");
            ctx.out().printf("pixel: %.6g ± %.2g 1/Å (s = θ/λ; q = 2π·s) per px%n", ps.sPerPx(), ps.sigma());
            if (kv.isPresent()) {
                m.put("beam_kv", kv.getAsDouble());
                m.put("pixel_mrad", ps.mradPerPx(kv.getAsDouble()));
                m.put("pixel_mrad_sigma", ps.mradSigma(kv.getAsDouble()));
                ctx.out().printf("pixel: %.6g ± %.2g mrad per px at %.0f kV%n", ps.mradPerPx(kv.getAsDouble()), ps.mradSigma(kv.getAsDouble()), kv.getAsDouble());
            } else {
                ctx.out().println("pixel in mrad: needs the beam energy (--beam-kv KV, none in the file)");
            }
            List<Map<String, Object>> rings = new ArrayList<>();
            for (DetectorCalibration.Ring g : ps.rings()) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("ring", g.label());
                r.put("s_inv_angstrom", g.s());
                r.put("radius_px", g.measured().r0());
                r.put("radius_sigma_px", g.measured().r0Sigma());
                rings.add(r);
                ctx.out().printf("  ring %s: s = %.5f 1/Å, r = %.3f ± %.3f px%n", g.label(), g.s(), g.measured().r0(), g.measured().r0Sigma());
            }
            m.put("rings", rings);
            if (!Double.isNaN(ps.chi2Reduced())) m.put("chi2_reduced", ps.chi2Reduced());
            write(m);
            return 0;
        }
    }

    @Command(name = "distortion", mixinStandardHelpOptions = true,
            description = {"Radial distortion of the detector: the first ring's radius r(φ) = r0·(1 + Σ a_n cos nφ + b_n sin nφ), n = 2, 3, 4, 6,",
                "from the mean pattern of an unstrained region or a calibration scan (φ from +x towards +y, array coordinates)."})
    public static final class Distortion extends Base {
        public Distortion(CliContext ctx) {
            super(ctx);
        }

        @Override
        public Integer call() throws IOException {
            int[] shape = new int[2];
            double[] mean = mean(shape);
            RingHarmonics.Result r;
            try {
                double[] b = DetectorCalibration.beam(mean, shape[0], shape[1]);
                double r1 = DetectorCalibration.firstRing(mean, shape[0], shape[1], b);
                r = RingHarmonics.measure(mean, shape[0], shape[1], b[0], b[1], r1, 0.3, 72);
            } catch (IllegalArgumentException e) {
                throw notMeasurable(e);
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("format", "ltz4d-distortion");
            m.put("version", 1);
            m.put("source", file.toString());
            m.put("frames_averaged", averaged);
            m.put("model", "r(phi) = r0 * (1 + sum_n a_n cos(n phi) + b_n sin(n phi)); phi from +x towards +y, array coordinates, about centre_px");
            m.put("units", Map.of("centre_px", "px", "r0_px", "px", "a", "1 (relative radius)", "b", "1 (relative radius)", "angle_deg", "deg"));
            m.put("centre_px", List.of(r.cx(), r.cy()));
            m.put("r0_px", r.r0());
            m.put("r0_sigma_px", r.r0Sigma());
            m.put("sectors", r.sectors());
            m.put("chi2_reduced", r.chi2Reduced());
            List<Map<String, Object>> h = new ArrayList<>();
            ctx.out().printf("ring r0 = %.3f ± %.3f px about (%.2f, %.2f) px, %d sectors, reduced χ² %.2f%n", r.r0(), r.r0Sigma(), r.cx(), r.cy(),
                    r.sectors(), r.chi2Reduced());
            for (int i = 0; i < RingHarmonics.ORDERS.length; i++) {
                int n = RingHarmonics.ORDERS[i];
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("n", n);
                e.put("a", r.a()[i]);
                e.put("b", r.b()[i]);
                e.put("a_sigma", r.aSigma()[i]);
                e.put("b_sigma", r.bSigma()[i]);
                e.put("amplitude", r.amplitude(n));
                e.put("angle_deg", r.angleDeg(n));
                h.add(e);
                ctx.out().printf("  %d-fold: %.4f %% at %.1f° (a = %.5f ± %.5f, b = %.5f ± %.5f)%n", n, 100 * r.amplitude(n), r.angleDeg(n),
                        r.a()[i], r.aSigma()[i], r.b()[i], r.bSigma()[i]);
            }
            m.put("harmonics", h);
            write(m);
            return 0;
        }
    }
}
