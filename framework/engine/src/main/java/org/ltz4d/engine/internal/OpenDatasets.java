package org.ltz4d.engine.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.param.Parameters;

/**
 * Datasets kept open between the ranges of frames a cluster executor fits, by file and parameters,
 * so a reader's mapping and the fitters' per-run set-up (held per dataset) are made once per
 * executor JVM. At most {@code capacity} stay open; the oldest is closed when another comes.
 */
public final class OpenDatasets {
    private record Key(Path file, Map<String, String> parameters) {
    }

    private final int capacity;
    private final LinkedHashMap<Key, Dataset> open = new LinkedHashMap<>();

    public OpenDatasets(int capacity) {
        this.capacity = Math.max(1, capacity);
    }

    /** The open dataset of that file and parameters, opening it with {@code opener} the first time. */
    public Dataset open(Path file, Parameters parameters, BiFunction<Path, Parameters, Dataset> opener) {
        Key k = new Key(file, Map.copyOf(parameters.asMap()));
        List<Dataset> evicted = new ArrayList<>();
        Dataset ds;
        synchronized (open) {
            ds = open.get(k);
            if (ds == null) {
                ds = opener.apply(file, parameters);
                open.put(k, ds);
                Iterator<Dataset> it = open.values().iterator();
                while (open.size() > capacity && it.hasNext()) {
                    evicted.add(it.next());
                    it.remove();
                }
            }
        }
        for (Dataset d : evicted) d.close();
        return ds;
    }

    /** Closes every dataset kept open. */
    public void closeAll() {
        List<Dataset> all;
        synchronized (open) {
            all = new ArrayList<>(open.values());
            open.clear();
        }
        for (Dataset d : all) d.close();
    }
}
