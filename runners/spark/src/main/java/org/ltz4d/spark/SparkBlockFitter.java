package org.ltz4d.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.ltz4d.api.engine.BlockFitter;
import org.ltz4d.api.engine.Cancellation;
import org.ltz4d.api.engine.FitBlock;
import org.ltz4d.api.engine.FitPass;
import org.ltz4d.api.error.CancelledException;
import org.ltz4d.api.error.Ltz4dException;

/**
 * Fits a pass on Spark's executors: the scan is cut into partitions of whole scan rows (aligned to
 * the engine's block size where the rows allow), each task asks its executor's embedded runtime
 * ({@link EmbeddedRuntime}, the same bundles) for {@code Engine.fitBlock} on its rows, and the
 * blocks come back to the driver. A task lost with its executor is recomputed by Spark; a task that
 * fails for good fails the job with the reader's or fitter's own error (file, position, plugin).
 */
public final class SparkBlockFitter implements BlockFitter {
    private final JavaSparkContext sc;
    private final List<PluginBundle> plugins;
    private final int rowsPerPartition;

    /** {@code rowsPerPartition} ≤ 0: about four partitions per core of the cluster. */
    public SparkBlockFitter(JavaSparkContext sc, List<PluginBundle> plugins, int rowsPerPartition) {
        this.sc = sc;
        this.plugins = List.copyOf(plugins);
        this.rowsPerPartition = rowsPerPartition;
    }

    @Override
    public List<FitBlock> fit(FitPass pass, Cancellation cancellation) {
        List<long[]> ranges = partitions(pass.navShape().dim(0), pass.navShape().dim(1), pass.blockFrames(), rowsPerPartition,
                sc.defaultParallelism());
        PassSpec spec = PassSpec.of(pass, plugins);
        String group = "ltz4d-" + System.nanoTime();
        sc.setJobGroup(group, "ltz4d fit " + String.join("+", pass.fitters()) + " on " + pass.input(), true);
        Runnable cancel = () -> sc.cancelJobGroup(group);
        Thread watcher = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                if (cancellation.isCancelled()) {
                    cancel.run();
                    return;
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "ltz4d-spark-cancel");
        watcher.setDaemon(true);
        watcher.start();
        try {
            // the spec (set-ups, earlier maps, plugin bundles) reaches each executor once, not with every task
            Broadcast<PassSpec> shared = sc.broadcast(spec);
            try {
                return sc.parallelize(ranges, ranges.size()).map(new FitRows(shared)).collect();
            } finally {
                shared.destroy();
            }
        } catch (RuntimeException e) {
            if (cancellation.isCancelled()) throw new CancelledException("run cancelled: " + cancellation.reason());
            throw reported(e);
        } finally {
            watcher.interrupt();
            sc.clearJobGroup();
        }
    }

    /**
     * Ranges {first frame, frame count} of whole scan rows: {@code rows} per partition when given,
     * else about four partitions per core; when a block is whole rows, partitions are whole blocks.
     */
    static List<long[]> partitions(int scanRows, int scanCols, int blockFrames, int rows, int parallelism) {
        int per = rows > 0 ? rows : Math.max(1, (int) Math.ceil(scanRows / (4.0 * Math.max(1, parallelism))));
        if (blockFrames % scanCols == 0) {
            int blockRows = blockFrames / scanCols;
            per = Math.max(blockRows, (per / blockRows) * blockRows);
        }
        List<long[]> out = new ArrayList<>();
        for (int r = 0; r < scanRows; r += per) {
            int n = Math.min(per, scanRows - r);
            out.add(new long[] {(long) r * scanCols, (long) n * scanCols});
        }
        return out;
    }

    /** The error the user should see: the plugin's or reader's own when Spark carried it, else Spark's. */
    static RuntimeException reported(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof Ltz4dException le) return le;
        }
        String msg = e.getMessage() == null ? e.toString() : e.getMessage();
        return new Ltz4dException("the Spark job failed: " + firstLine(msg), e);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** The task: one range of whole rows, fitted by the executor's own engine. */
    static final class FitRows implements Function<long[], FitBlock> {
        private static final long serialVersionUID = 1L;
        private final Broadcast<PassSpec> spec;

        FitRows(Broadcast<PassSpec> spec) {
            this.spec = spec;
        }

        @Override
        public FitBlock call(long[] range) throws SparkException {
            PassSpec s = spec.value();
            return EmbeddedRuntime.engine(s.plugins()).fitBlock(s.toPass(), range[0], (int) range[1], new Cancellation());
        }
    }
}
