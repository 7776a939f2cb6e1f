package org.ltz4d.amorphous;

import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Supplier;
import org.ltz4d.api.data.Dataset;

/**
 * Set-up results of a run, keyed by the run's dataset object (held weakly: they go when the run's
 * dataset does) and by what else they depend on. Only the look-up is synchronised; each value is
 * computed under its own entry's lock, so the fitters of one run share one computation and runs on
 * other datasets never wait for it.
 */
final class PerRun<K, V> {
    private final Map<Dataset, Map<K, Object[]>> runs = new WeakHashMap<>();

    @SuppressWarnings("unchecked")
    V get(Dataset ds, K key, Supplier<V> compute) {
        Object[] holder;
        synchronized (runs) {
            holder = runs.computeIfAbsent(ds, k -> new HashMap<>()).computeIfAbsent(key, k -> new Object[1]);
        }
        synchronized (holder) {
            if (holder[0] == null) holder[0] = compute.get();
            return (V) holder[0];
        }
    }
}
