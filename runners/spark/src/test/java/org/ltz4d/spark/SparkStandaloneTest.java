package org.ltz4d.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.data.Simulation;
import org.ltz4d.api.engine.AnalysisRequest;
import org.ltz4d.api.engine.Cancellation;
import org.ltz4d.api.engine.Engine;
import org.ltz4d.api.engine.ProgressListener;
import org.ltz4d.api.engine.RunSummary;
import org.ltz4d.api.param.Parameters;

/**
 * A Spark standalone cluster on 127.0.0.1 — a master and two workers (one core each), separate
 * JVMs started from Spark's own classes on the test class path — runs the Spark runner; one worker
 * JVM is killed while the job runs, and Spark recomputes its partitions on the other: the results
 * are still complete and equal the local engine's. On by default in {@code mvn verify}
 * ({@code -Dltz4d.spark.cluster=false} skips it).
 */
@org.junit.jupiter.api.condition.EnabledIfSystemProperty(named = "ltz4d.spark.cluster", matches = "true",
        disabledReason = "the standalone cluster test is off (-Dltz4d.spark.cluster=false)")
class SparkStandaloneTest {
    @TempDir
    static Path dir;
    static final List<Process> processes = new ArrayList<>();
    static String master;
    static Map<String, Path> sim;

    @BeforeAll
    static void cluster() throws Exception {
        TestSpark.loopbackOnly();
        Simulation s = EmbeddedRuntime.service(List.of(), Simulation.class).orElseThrow();
        sim = s.write(Parameters.of(Map.of("scan", "16,16", "detector", "64,64", "ring-radius-px", "20", "ring-width-px", "2",
                "beam-radius-px", "2", "descan-px", "1", "no-vacuum", "true")), dir.resolve("sim"), ProgressListener.NONE);
        int port = freePort();
        master = "spark://127.0.0.1:" + port;
        processes.add(start("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", String.valueOf(port),
                "--webui-port", String.valueOf(freePort())));
        awaitPort(port, 180); // a loaded machine may take a while to start the master's JVM; Spark's client gives up after 60 s
        for (int w = 1; w <= 2; w++) {
            processes.add(start("worker" + w, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores", "1",
                    "--memory", "1g", "--webui-port", String.valueOf(freePort()), "--work-dir", dir.resolve("work" + w).toString(), master));
        }
    }

    @AfterAll
    static void stop() throws InterruptedException, IOException {
        // the cluster's logs stay in target/ for a failed run (the temporary folder goes)
        Path keep = Path.of("target", "spark-standalone-logs");
        Files.createDirectories(keep);
        try (var logs = Files.list(dir)) {
            for (Path l : logs.filter(f -> f.toString().endsWith(".log")).toList()) {
                Files.copy(l, keep.resolve(l.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        for (Process p : processes) p.destroy();
        for (Process p : processes) {
            if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
        }
    }

    static Process start(String name, String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        for (String o : System.getProperty("spark.jvm.opens", "").split(" ")) if (!o.isBlank()) cmd.add(o);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().put("SPARK_TESTING", "1"); // executors get their class path from the driver's conf, not SPARK_HOME/jars
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().put("SPARK_HOME", dir.toString());
        return pb.start();
    }

    /** Waits until something listens on 127.0.0.1:{@code port} (the master), at most {@code seconds}. */
    static void awaitPort(int port, int seconds) throws InterruptedException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            try (java.net.Socket s = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(500);
            }
        }
        throw new IllegalStateException("the Spark master did not listen on port " + port + " within " + seconds + " s (see master.log)");
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void lostWorkerIsRecomputed() throws Exception {
        Engine engine = EmbeddedRuntime.engine(List.of());
        Path localOut = dir.resolve("local");
        engine.analyze(new AnalysisRequest(sim.get(Simulation.DATA), "amorphous", SparkLocalTest.sparkOptions(), localOut),
                ProgressListener.NONE, new Cancellation(), new LocalBlocks(engine, 4));

        SparkConf conf = new SparkConf().setMaster(master).setAppName("ltz4d standalone test")
                .set("spark.executor.extraClassPath", System.getProperty("java.class.path"))
                .set("spark.executor.extraJavaOptions", System.getProperty("spark.jvm.opens", ""))
                .set("spark.executor.memory", "768m").set("spark.cores.max", "2");
        AtomicInteger tasksDone = new AtomicInteger();
        AtomicInteger executorsLost = new AtomicInteger();
        Process victim = processes.get(2);
        java.util.concurrent.atomic.AtomicReference<Process> killed = new java.util.concurrent.atomic.AtomicReference<>();
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            sc.sc().addSparkListener(new SparkListener() {
                @Override
                public void onTaskEnd(SparkListenerTaskEnd e) {
                    if (tasksDone.incrementAndGet() == 1) { // a worker JVM dies mid-job, with its executor: a lost node
                        Process v = victim.descendants().findAny().isPresent() ? victim : processes.get(1);
                        killed.set(v);
                        v.descendants().forEach(ProcessHandle::destroyForcibly);
                        v.destroyForcibly();
                    }
                }

                @Override
                public void onExecutorRemoved(SparkListenerExecutorRemoved e) {
                    executorsLost.incrementAndGet();
                }
            });
            Path sparkOut = dir.resolve("spark");
            RunSummary s = SparkMain.analyze(sc, new AnalysisRequest(sim.get(Simulation.DATA), "amorphous", SparkLocalTest.sparkOptions(),
                    sparkOut), List.of(), 4);
            assertEquals(256, s.frames());
            assertTrue(executorsLost.get() >= 1, "the killed worker's executor was lost");
            MapSet local = engine.readResults(localOut.resolve("results.h5"));
            MapSet spark = engine.readResults(sparkOut.resolve("results.h5"));
            MapComparison.assertSame(local, spark, sim);
        }
        assertTrue(killed.get() != null && !killed.get().isAlive(), "a worker JVM was killed during the job");
    }
}
