package org.ltz4d.cli.commands;

import java.nio.file.Path;
import org.ltz4d.api.engine.RunSummary;
import org.ltz4d.cli.CliContext;

/** The plain-text summary of a finished run. */
final class Summaries {
    private Summaries() {
    }

    static void print(CliContext ctx, RunSummary s) {
        var out = ctx.out();
        out.println("results: " + s.results());
        if (s.frames() > 0) {
            out.printf("frames: %d in %.2f s (%.0f frames/s)%n", s.frames(), s.seconds(), s.framesPerSecond());
            out.printf("failed positions: %d (%.2f %%), flagged in /fit/mask and set to NaN%n", s.failedPositions(),
                    100.0 * s.failedPositions() / s.frames());
        } else {
            out.printf("time: %.2f s%n", s.seconds());
        }
        for (Path f : s.figures()) out.println("figure: " + f);
        s.statistics().forEach((k, v) -> {
            if (!k.equals("frames") && !k.equals("failed_positions") && !k.equals("warnings")) out.println(k + ": " + v);
        });
        for (String w : s.warnings()) ctx.err().println("ltz4d: warning: " + w);
    }
}
