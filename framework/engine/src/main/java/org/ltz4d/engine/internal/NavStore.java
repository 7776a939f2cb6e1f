package org.ltz4d.engine.internal;

import java.nio.FloatBuffer;
import java.util.Map;
import org.ltz4d.api.analysis.BufferSpec;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.ScratchBuffers;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.units.Unit;

/**
 * The per-position (NAV) values of one pass, one store per NAV buffer laid out as the map it
 * becomes ({@code [frame * length + k]}), so no copy is made at the end: scalar maps on the heap
 * (they are the output maps), stacks (S(q), G(r), …) from {@link ScratchBuffers}, i.e. a mapped
 * scratch file once they pass the heap share. Workers put rows of disjoint frames concurrently.
 */
final class NavStore {
    private final int[] slot;
    private final int[] length;
    private final float[][] heap;
    private final FloatBuffer[] mapped;
    private final int width;

    NavStore(Map<String, Integer> navSlot, Map<String, BufferSpec> navSpec, int width, long frames) {
        int n = navSlot.size();
        this.width = width;
        slot = new int[n];
        length = new int[n];
        heap = new float[n][];
        mapped = new FloatBuffer[n];
        int i = 0;
        for (Map.Entry<String, Integer> e : navSlot.entrySet()) {
            BufferSpec b = navSpec.get(e.getKey());
            slot[i] = e.getValue();
            length[i] = b.length();
            long values = frames * b.length();
            if (b.length() == 1 || b.unit().equals(Unit.LABEL)) {
                if (values > Integer.MAX_VALUE - 8) {
                    throw new org.ltz4d.api.error.Ltz4dException("map " + b.name() + " of " + frames + " frames exceeds 2^31 values");
                }
                heap[i] = new float[(int) values];
            } else {
                mapped[i] = ScratchBuffers.allocate("per-position stack " + b.name() + " (" + frames + " frames × " + b.length() + ")", values);
            }
            i++;
        }
    }

    /** Puts the row of NAV values of {@code frame}. */
    void put(long frame, float[] row) {
        put(frame, row, 0);
    }

    private void put(long frame, float[] row, int off) {
        for (int i = 0; i < slot.length; i++) {
            int len = length[i];
            if (heap[i] != null) {
                System.arraycopy(row, off + slot[i], heap[i], (int) (frame * len), len);
            } else {
                mapped[i].put((int) (frame * len), row, off + slot[i], len);
            }
        }
    }

    /** Puts {@code count} frame-major rows from {@code first} on. */
    void putRows(long first, float[] rows, int count) {
        for (int f = 0; f < count; f++) put(first + f, rows, f * width);
    }

    /** The map of NAV buffer {@code i}, over this store's values (no copy). */
    DataMap map(int i, BufferSpec b, Shape shape) {
        if (heap[i] != null) return FitRunner.map(b, shape, heap[i]);
        return DataMap.of(b.name(), shape, mapped[i], b.unit(), b.description());
    }
}
