package org.ltz4d.api.analysis;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.ltz4d.api.error.Ltz4dException;

/** An ordered, immutable set of {@link DataMap}s keyed by path. */
public final class MapSet {
    private static final MapSet EMPTY = new MapSet(Map.of());
    private final Map<String, DataMap> maps;

    private MapSet(Map<String, DataMap> maps) {
        this.maps = Collections.unmodifiableMap(new LinkedHashMap<>(maps));
    }

    public static MapSet empty() {
        return EMPTY;
    }

    public static MapSet of(DataMap... maps) {
        Map<String, DataMap> m = new LinkedHashMap<>();
        for (DataMap d : maps) m.put(d.path(), d);
        return new MapSet(m);
    }

    public static MapSet of(Collection<DataMap> maps) {
        Map<String, DataMap> m = new LinkedHashMap<>();
        for (DataMap d : maps) m.put(d.path(), d);
        return new MapSet(m);
    }

    /** A copy with {@code map} added (or replacing the map of the same path). */
    public MapSet with(DataMap map) {
        Map<String, DataMap> m = new LinkedHashMap<>(maps);
        m.put(map.path(), map);
        return new MapSet(m);
    }

    /** A copy with all of {@code other}'s maps added (they win on equal paths). */
    public MapSet plus(MapSet other) {
        Map<String, DataMap> m = new LinkedHashMap<>(maps);
        m.putAll(other.maps);
        return new MapSet(m);
    }

    public Optional<DataMap> get(String path) {
        return Optional.ofNullable(maps.get(strip(path)));
    }

    /** The map at {@code path}; throws naming the path and what there is when it is missing. */
    public DataMap require(String path) {
        DataMap d = maps.get(strip(path));
        if (d == null) {
            throw new Ltz4dException("missing map /" + strip(path) + " (have: " + String.join(", ", maps.keySet()) + ")");
        }
        return d;
    }

    public boolean contains(String path) {
        return maps.containsKey(strip(path));
    }

    public Set<String> paths() {
        return maps.keySet();
    }

    public Collection<DataMap> maps() {
        return maps.values();
    }

    public int size() {
        return maps.size();
    }

    private static String strip(String p) {
        return p.startsWith("/") ? p.substring(1) : p;
    }

    @Override
    public String toString() {
        return maps.values().toString();
    }
}
