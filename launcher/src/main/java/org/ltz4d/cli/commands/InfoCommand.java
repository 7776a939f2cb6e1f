package org.ltz4d.cli.commands;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ltz4d.api.engine.DatasetInfo;
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.api.param.ParameterSpec;
import org.ltz4d.cli.CliContext;
import org.ltz4d.cli.internal.OptionTokens;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ltz4d info FILE [--json] [--sum]}: format, shapes, dtype, calibration, metadata. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = {"Show a dataset's format, scan and detector shapes, dtype, calibration and metadata.",
            "Reader options (e.g. --scan-shape Y,X) and calibration overrides (e.g. --beam-kv 300) may follow."},
        customSynopsis = "ltz4d info FILE [--json] [--sum] [--READER-OPTION VALUE ...]")
public final class InfoCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Option(names = "--sum", description = "Also sum all pixel values (reads the whole file, streamed).")
    boolean sum;

    @Parameters(arity = "0..*", hidden = true)
    List<String> rest = new ArrayList<>();

    public InfoCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        List<ParameterSpec> specs = new ArrayList<>(ctx.engine().parameters());
        OptionTokens t = OptionTokens.parse(rest, s -> specs.stream().anyMatch(p -> p.name().equals(s) && p.type() == ParameterSpec.Type.BOOLEAN));
        if (t.positional().size() != 1) {
            throw new InvalidParameterException("FILE", "exactly one file", t.positional().isEmpty() ? "none" : String.join(" ", t.positional()));
        }
        DatasetInfo info = ctx.engine().info(Path.of(t.positional().get(0)), t.parameters(), sum, sum ? ctx.progress() : (a, b, c) -> { });
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", info.file().toString());
        m.put("format", info.format());
        m.put("nav_shape", info.navList());
        m.put("sig_shape", info.sigList());
        m.put("dtype", info.dtype().numpyName());
        m.put("calibration", info.calibration().asMap());
        m.put("metadata", info.metadata());
        if (sum) m.put("sum", info.sum());
        if (json) {
            ctx.out().println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m));
        } else {
            m.forEach((k, v) -> ctx.out().println(k + ": " + v));
        }
        return 0;
    }
}
