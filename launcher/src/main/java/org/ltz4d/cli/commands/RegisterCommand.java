package org.ltz4d.cli.commands;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ltz4d.api.engine.RunSummary;
import org.ltz4d.api.error.InvalidInputException;
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.api.param.ParameterSpec;
import org.ltz4d.cli.CliContext;
import org.ltz4d.cli.internal.OptionTokens;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ltz4d register MAP --to results.h5 [--landmarks FILE] --out DIR}: brings a map from
 * another instrument into the scan's frame (the {@code register} correlator, through the engine),
 * writes {@code DIR/registration.h5} (the map resampled onto the scan grid as
 * {@code /registered/NAME}, the transform with it) and {@code DIR/registration.json}, and prints
 * the transform (imported map pixels → scan pixels) as one JSON object on stdout: at least
 * {@code rotation_deg}, {@code scale}, {@code shift_px} ([x, y]) and {@code residual_px}.
 */
@Command(name = "register", description = {"Register a map from another instrument (TIFF/PNG/HDF5 image, EBSD .ang/.ctf) onto the scan",
    "of a results.h5, by landmarks or automatically; prints the transform as JSON, writes DIR/registration.h5."},
        customSynopsis = "ltz4d register MAP --to RESULTS.h5 [--landmarks FILE] [--map-pixel-nm P] --out DIR")
public final class RegisterCommand extends ParameterisedCommand {
    static final String CORRELATOR = "register";
    static final String RESULTS_FILE = "registration.h5";

    @Option(names = "--to", description = "The results.h5 whose scan the map is registered onto.")
    Path to;

    public RegisterCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    List<ParameterSpec> parameters() {
        return ctx.engine().correlatorParameters(List.of(CORRELATOR)).stream().filter(p -> !p.name().equals("register-map")).toList();
    }

    @Override
    String parameterTitle() {
        return "Parameters:";
    }

    @Override
    int run(OptionTokens t) {
        String map = single(t, "MAP", "one map file to register");
        if (to == null) throw new InvalidParameterException("to", "the results.h5 to register onto", null);
        RunSummary s = ctx.engine().correlate(to, List.of(CORRELATOR), t.parameters().with("register-map", map), out, RESULTS_FILE,
                ctx.progress());
        Map<String, Object> json = new LinkedHashMap<>();
        String prefix = CORRELATOR + ".";
        s.statistics().forEach((k, v) -> {
            if (k.startsWith(prefix)) json.put(k.substring(prefix.length()), v);
        });
        if (!json.containsKey("rotation_deg")) {
            throw new InvalidInputException(Path.of(map), "map", "a map the register correlator could import", String.join("; ", s.warnings()));
        }
        json.put("results", s.results().toString());
        ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Path file = out.resolve("registration.json");
        try {
            om.writeValue(file.toFile(), json);
        } catch (IOException e) {
            throw new InvalidInputException(file, "registration.json", "a writable output folder", e.getMessage(), e);
        }
        try {
            ctx.out().println(new ObjectMapper().writeValueAsString(json));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return 0;
    }
}
