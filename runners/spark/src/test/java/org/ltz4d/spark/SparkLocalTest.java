package org.ltz4d.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.data.Simulation;
import org.ltz4d.api.engine.AnalysisRequest;
import org.ltz4d.api.engine.Cancellation;
import org.ltz4d.api.engine.Engine;
import org.ltz4d.api.engine.ProgressListener;
import org.ltz4d.api.param.Parameters;

/**
 * The Spark runner in {@code local[2]} against the local engine on a simulated amorphous scan
 * (known ring geometry): the same maps, the same results layout, errors naming the file.
 */
class SparkLocalTest {
    /**
     * Options of both runs: blocks of four scan rows (64 frames). The Spark run fits each block as one
     * partition with one thread, the local run each block on its own worker thread (4 threads, 4
     * blocks): the same block layout, so the same fitter seeding (a processor's warm starts never
     * cross a block).
     */
    static final String[] OPTIONS = {"--pixel-mrad", "0.16", "--reference-roi", "0:4,0:4", "--block-frames", "64"};
    static final String[] LOCAL = {"--threads", "4"};
    static final String[] SPARK = {"--threads", "1"};

    @TempDir
    static Path dir;
    static Engine engine;
    static Map<String, Path> sim;

    @BeforeAll
    static void simulate() {
        TestSpark.loopbackOnly();
        engine = EmbeddedRuntime.engine(List.of());
        Simulation s = EmbeddedRuntime.service(List.of(), Simulation.class).orElseThrow();
        sim = s.write(Parameters.of(Map.of("scan", "16,16", "detector", "64,64", "ring-radius-px", "20", "ring-width-px", "2",
                "beam-radius-px", "2", "descan-px", "1", "no-vacuum", "true")), dir.resolve("sim"), ProgressListener.NONE);
    }

    /** The local engine's options for the same block layout as the Spark run's. */
    static Parameters localOptions() {
        List<String> a = new ArrayList<>(List.of(OPTIONS));
        a.addAll(List.of(LOCAL));
        return SparkMain.parse(a, java.util.Set.of());
    }

    static Parameters sparkOptions() {
        List<String> a = new ArrayList<>(List.of(OPTIONS));
        a.addAll(List.of(SPARK));
        return SparkMain.parse(a, java.util.Set.of());
    }

    static String[] sparkArgs(String master, Path input, Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("--master", master, "--rows-per-partition", "4", "analyze", input.toString(),
                "--pipeline", "amorphous", "--out", out.toString()));
        a.addAll(List.of(OPTIONS));
        a.addAll(List.of(SPARK));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    @Test
    void sameMapsAsTheLocalEngine() throws Exception {
        Path localOut = dir.resolve("local");
        engine.analyze(new AnalysisRequest(sim.get(Simulation.DATA), "amorphous", localOptions(), localOut), ProgressListener.NONE,
                new Cancellation());
        Path blocksOut = dir.resolve("blocks");
        engine.analyze(new AnalysisRequest(sim.get(Simulation.DATA), "amorphous", sparkOptions(), blocksOut), ProgressListener.NONE,
                new Cancellation(), new LocalBlocks(engine, 4));
        Path sparkOut = dir.resolve("spark");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = SparkMain.run(sparkArgs("local[2]", sim.get(Simulation.DATA), sparkOut), System.out,
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        assertTrue(Files.isRegularFile(sparkOut.resolve("results.h5")));
        MapSet spark = engine.readResults(sparkOut.resolve("results.h5"));
        MapComparison.assertSame(engine.readResults(blocksOut.resolve("results.h5")), spark, sim);
        // the local engine on its own threads: its workers may carry the ring fitter's warm start over two blocks,
        // which moves a fit by a fraction of its noise (seen: ≤ 0.4 ×)
        MapComparison.assertWithin(engine.readResults(localOut.resolve("results.h5")), spark, 1.0);
    }

    @Test
    void truncatedFileIsNamed() throws Exception {
        Path data = sim.get(Simulation.DATA);
        Path cut = dir.resolve("cut.npy");
        byte[] all = Files.readAllBytes(data);
        Files.write(cut, java.util.Arrays.copyOf(all, all.length - 4096));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Path out = dir.resolve("cut-out");
        int code = SparkMain.run(sparkArgs("local[2]", cut, out), System.out, new PrintStream(err, true, StandardCharsets.UTF_8));
        String msg = err.toString(StandardCharsets.UTF_8);
        assertEquals(2, code, msg);
        assertTrue(msg.contains(cut.toString()), msg);
        assertFalse(Files.exists(out.resolve("results.h5")), "nothing is written for a failed run");
    }
}
