package org.ltz4d.cli.commands;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.ltz4d.cli.CliContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ltz4d report DIR}: one self-contained HTML page with every map, figure and number of an analysis (the report service). */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write DIR/report.html: every map, figure, parameter, calibration and fit statistic of an analysis folder.")
public final class ReportCommand implements Callable<Integer> {
    /** The report service {@code report} and {@code demo} use. */
    static final String HTML = "html";
    static final String FILE = "report.html";

    private final CliContext ctx;

    @Parameters(index = "0", paramLabel = "DIR", description = "An analysis output folder (with results.h5).")
    Path dir;

    public ReportCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        ctx.out().println("report: " + write(ctx, dir));
        return 0;
    }

    /** Writes DIR/report.html through the report service. */
    static Path write(CliContext ctx, Path dir) {
        return ctx.services().withReport(HTML, r -> r.write(dir, dir.resolve(FILE)));
    }
}
