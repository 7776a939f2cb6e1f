package org.ltz4d.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltz4d.api.data.Simulation;
import org.ltz4d.api.engine.AnalysisRequest;
import org.ltz4d.api.engine.Cancellation;
import org.ltz4d.api.engine.Engine;
import org.ltz4d.api.engine.ProgressListener;
import org.ltz4d.api.param.Parameters;

/**
 * The real submission path in its own JVM: {@code spark-submit} is the class
 * {@code org.apache.spark.deploy.SparkSubmit} (what Spark's {@code bin/spark-submit} script runs), here
 * with Spark's jars ({@code target/lib}) on the class path and the packaged
 * {@code target/ltz4d-spark.jar} as the application — the README's recipe, word for word. Its
 * {@code results.h5} equals bit for bit the local engine's fit of the same partitions.
 */
class SparkSubmitIT {
    @TempDir
    Path dir;

    @Test
    void sparkSubmitRunsTheRunnerJar() throws Exception {
        TestSpark.loopbackOnly();
        Path jar = Path.of(System.getProperty("ltz4d.spark.jar"));
        Path lib = Path.of(System.getProperty("ltz4d.spark.lib"));
        assertTrue(Files.isRegularFile(jar), jar + " (mvn package builds it)");
        Engine engine = EmbeddedRuntime.engine(List.of());
        Simulation s = EmbeddedRuntime.service(List.of(), Simulation.class).orElseThrow();
        Map<String, Path> sim = s.write(Parameters.of(Map.of("scan", "16,16", "detector", "64,64", "ring-radius-px", "20",
                "ring-width-px", "2", "beam-radius-px", "2", "descan-px", "1", "no-vacuum", "true")), dir.resolve("sim"),
                ProgressListener.NONE);
        Path data = sim.get(Simulation.DATA);
        Path localOut = dir.resolve("local");
        engine.analyze(new AnalysisRequest(data, "amorphous", SparkLocalTest.sparkOptions(), localOut), ProgressListener.NONE,
                new Cancellation(), new LocalBlocks(engine, 4));

        Path out = dir.resolve("submitted");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx1g");
        for (String o : System.getProperty("spark.jvm.opens", "").split(" ")) if (!o.isBlank()) cmd.add(o);
        cmd.addAll(List.of("-cp", lib + "/*", "org.apache.spark.deploy.SparkSubmit",
                "--master", "local[2]", "--class", "org.ltz4d.spark.SparkMain",
                "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.ui.enabled=false",
                jar.toString(), "--rows-per-partition", "4", "analyze", data.toString(), "--pipeline", "amorphous", "--out", out.toString()));
        cmd.addAll(List.of(SparkLocalTest.OPTIONS));
        cmd.addAll(List.of(SparkLocalTest.SPARK));
        Path log = dir.resolve("spark-submit.log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().put("SPARK_HOME", dir.toString()); // no installation: nothing is read from it
        Process p = pb.start();
        boolean ended = p.waitFor(5, TimeUnit.MINUTES);
        if (!ended) p.destroyForcibly();
        String text = Files.readString(log, StandardCharsets.UTF_8);
        System.out.println(text.lines().filter(l -> l.startsWith("ltz4d-spark") || l.startsWith("results")).reduce("", (a, b) -> a + b + "\n"));
        assertTrue(ended, "spark-submit did not end within 5 min:\n" + text);
        assertEquals(0, p.exitValue(), text);
        assertTrue(text.contains("results: "), text);
        MapComparison.assertBitForBit(engine.readResults(localOut.resolve("results.h5")), engine.readResults(out.resolve("results.h5")));
    }
}
