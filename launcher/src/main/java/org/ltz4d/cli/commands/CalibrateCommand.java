package org.ltz4d.cli.commands;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ltz4d.api.data.DetectorCalibrator;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.cli.CliContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ltz4d calibrate q|distortion FILE}: the detector's pixel size and its radial distortion
 * from the mean pattern of a calibration dataset (read through the engine): a thin front-end of
 * the {@link DetectorCalibrator} services {@code q} and {@code distortion}.
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

    /** Options shared by the subcommands; the measurement is the calibration service's (bundle org.ltz4d.calibration). */
    abstract static class Base implements Callable<Integer> {
        final CliContext ctx;

        @picocli.CommandLine.Parameters(index = "0", paramLabel = "FILE", description = "calibration dataset (any readable format)")
        Path file;

        @Option(names = "--frames", description = "frames averaged into the mean pattern, spread over the scan (default ${DEFAULT-VALUE})",
                defaultValue = "4096")
        int frames;

        @Option(names = "--out", paramLabel = "FILE.json", description = "write the calibration as JSON")
        Path out;

        Base(CliContext ctx) {
            this.ctx = ctx;
        }

        /** The calibration service's name. */
        abstract String name();

        /** The subcommand's own options, as the service's parameters. */
        void options(Map<String, String> o) {
        }

        @Override
        public Integer call() throws IOException {
            Map<String, String> o = new LinkedHashMap<>();
            options(o);
            o.put("frames", Integer.toString(frames));
            DetectorCalibrator.Result r = ctx.services().withCalibrator(name(),
                    c -> c.calibrate(file, () -> ctx.engine().open(file, Parameters.of(Map.of())), Parameters.of(o)));
            r.lines().forEach(ctx.out()::println);
            write(r.values());
            return 0;
        }

        void write(Map<String, Object> m) throws IOException {
            String json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m);
            if (out != null) {
                Files.writeString(out, json + System.lineSeparator());
                ctx.out().println("written " + out);
            }
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
        String name() {
            return "q";
        }

        @Override
        void options(Map<String, String> o) {
            if (ringQ != null) o.put("ring-q", ringQ.toString());
            if (standard != null) o.put("standard", standard);
            if (beamKv != null) o.put("beam-kv", beamKv.toString());
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
        String name() {
            return "distortion";
        }
    }
}
