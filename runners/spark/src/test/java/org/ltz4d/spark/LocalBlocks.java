package org.ltz4d.spark;

import java.util.ArrayList;
import java.util.List;
import org.ltz4d.api.engine.BlockFitter;
import org.ltz4d.api.engine.Cancellation;
import org.ltz4d.api.engine.Engine;
import org.ltz4d.api.engine.FitBlock;
import org.ltz4d.api.engine.FitPass;

/**
 * The local engine fitting the same partitions as the Spark runner, one after the other in this
 * JVM: the reference with the same block layout and the same seeding, deterministically (the local
 * engine's own worker threads may take two blocks in a row and carry a fitter's warm start over).
 */
final class LocalBlocks implements BlockFitter {
    private final Engine engine;
    private final int rows;

    LocalBlocks(Engine engine, int rows) {
        this.engine = engine;
        this.rows = rows;
    }

    @Override
    public List<FitBlock> fit(FitPass pass, Cancellation cancellation) {
        List<FitBlock> out = new ArrayList<>();
        for (long[] r : SparkBlockFitter.partitions(pass.navShape().dim(0), pass.navShape().dim(1), pass.blockFrames(), rows, 1)) {
            out.add(engine.fitBlock(pass, r[0], (int) r[1], cancellation));
        }
        return out;
    }
}
