package org.ltz4d.cli.commands;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.ltz4d.api.error.Ltz4dException;
import org.ltz4d.cli.CliContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ltz4d report DIR}: one self-contained HTML page with every map, figure and number of an analysis. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write DIR/report.html: every map, figure, parameter, calibration and fit statistic of an analysis folder.")
public final class ReportCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Parameters(index = "0", paramLabel = "DIR", description = "An analysis output folder (with results.h5).")
    Path dir;

    public ReportCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        Path html;
        try {
            html = org.ltz4d.correlation.report.HtmlReport.write(dir);
        } catch (NoClassDefFoundError e) {
            throw new Ltz4dException("report needs the bundle org.ltz4d.correlation, which is not installed");
        }
        ctx.out().println("report: " + html);
        return 0;
    }
}
