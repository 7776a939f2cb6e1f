package org.ltz4d.cli.commands;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.ltz4d.api.engine.RunSummary;
import org.ltz4d.cli.CliContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ltz4d report DIR [--roi r0:r1,c0:c1]… [--mask FILE.npy|cluster:N|binarised:NAME]…
 * [--region NAME=SPEC]…}: one self-contained HTML page with every map, figure and number of an
 * analysis (the report service). Each region is first summarised by the engine's
 * {@code region-stats} correlator (the code and parser {@code correlate --roi/--mask} use) into
 * {@code DIR/regions/NAME/correlation.h5}; the report then compares them in one table (mean, std,
 * N, SEM from the uncertainty maps), gives each region's statistics and histograms, and outlines
 * the regions on its maps.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write DIR/report.html: every map, figure, parameter, calibration and fit statistic of an analysis folder.")
public final class ReportCommand implements Callable<Integer> {
    /** The report service {@code report} and {@code demo} use. */
    static final String HTML = "html";
    static final String FILE = "report.html";
    /** Where each region's summary is written, one folder per region name. */
    static final String REGIONS = "regions";

    private final CliContext ctx;

    @Parameters(index = "0", paramLabel = "DIR", description = "An analysis output folder (with results.h5).")
    Path dir;

    @Option(names = "--roi", paramLabel = "r0:r1,c0:c1", description = "A region (rows r0:r1, columns c0:c1, half-open), named roi1, roi2, …; repeatable.")
    List<String> rois = new ArrayList<>();

    @Option(names = "--mask", paramLabel = "FILE.npy|cluster:N|binarised:NAME",
            description = "A region: FILE.npy (non-zero), cluster:N (/correlation/cluster = N of DIR/correlation.h5) or binarised:NAME (map NAME ≠ 0), named mask1, …; repeatable.")
    List<String> masks = new ArrayList<>();

    @Option(names = "--region", paramLabel = "NAME=SPEC", description = "A named region, SPEC as for --roi or --mask; repeatable.")
    List<String> regions = new ArrayList<>();

    public ReportCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        List<RegionOptions.Region> rs = RegionOptions.parse(rois, masks, regions);
        Path results = dir.resolve("results.h5");
        for (RegionOptions.Region r : rs) {
            RunSummary s = ctx.engine().correlate(results, List.of("region-stats"), r.parameters(dir), dir.resolve(REGIONS).resolve(r.name()),
                    ctx.progress());
            ctx.out().println("region " + r.name() + " " + r.parameters() + ": " + s.results());
        }
        ctx.out().println("report: " + write(ctx, dir));
        return 0;
    }

    /** Writes DIR/report.html through the report service. */
    static Path write(CliContext ctx, Path dir) {
        return ctx.services().withReport(HTML, r -> r.write(dir, dir.resolve(FILE)));
    }
}
