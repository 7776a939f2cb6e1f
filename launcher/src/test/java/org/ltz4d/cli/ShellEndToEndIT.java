package org.ltz4d.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ltz4d shell}: the ltz4d commands inside Gogo, and a bundle stopped live takes its plugins with it. */
class ShellEndToEndIT {
    @TempDir
    Path dir;

    @Test
    void shellRunsTheCommandsAndFollowsABundleStoppedLive() throws Exception {
        String input = "plugins\nstop org.ltz4d.derivers\nltz4d:plugins\n"
                // commands the shell did not have before: simulate (as before), report, dpc-phase; and a simulator that goes away
                + "simulate --out sim --scan 2,3 --detector 64,64 --ring-radius-px 20 --quiet\n"
                + "dpc-phase --help\n"
                + "report " + dir.resolve("nothing") + "\n"
                + "stop org.ltz4d.simulator\n"
                + "simulate --out sim2 --scan 2,3 --quiet\n"
                + "exit\n";
        Cli.Result r = Cli.runWithInput(dir, Map.of("LTZ4D_HOME", dir.resolve("home").toString()), List.of(), input, "shell");
        assertEquals(0, r.exit(), r.toString());
        String[] listings = r.out().split("KIND ");
        assertEquals(3, listings.length, "two plugin listings\n" + r);
        assertTrue(listings[1].contains("deriver         magnetic "), "before the stop\n" + r);
        assertFalse(listings[2].contains("deriver         magnetic "), "after the stop\n" + r);
        assertTrue(listings[2].contains("reader          npy"), r.toString());
        assertTrue(listings[1].contains("simulation      amorphous "), r.toString());
        assertTrue(Files.exists(dir.resolve("sim/data.npy")), r.toString());
        assertTrue(r.out().contains("Usage: ltz4d dpc-phase RESULTS.h5"), r.toString());
        String all = r.out() + r.err();
        assertTrue(all.contains("ltz4d: " + dir.resolve("nothing") + ": folder: expected an analysis folder with results.h5 or "
                + "correlation.h5, found no such folder"), "the report service answers for a missing folder\n" + r);
        assertTrue(all.contains("ltz4d: no simulator bundle is active (no simulation service); 'ltz4d plugins' lists the active bundles"),
                r.toString());
        assertFalse(Files.exists(dir.resolve("sim2")), r.toString());
    }
}
