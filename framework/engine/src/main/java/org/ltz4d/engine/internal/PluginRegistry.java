package org.ltz4d.engine.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.ltz4d.api.analysis.Correlator;
import org.ltz4d.api.analysis.Fitter;
import org.ltz4d.api.analysis.Pipeline;
import org.ltz4d.api.analysis.QuantityDeriver;
import org.ltz4d.api.data.DatasetReader;
import org.ltz4d.api.engine.PluginInfo;

/**
 * The plugins the engine knows now, by kind and name, with the bundle that provides each. Filled
 * and emptied by the OSGi service callbacks of {@code LocalEngine} (or directly in plain Java
 * tests); thread-safe. Listeners hear of removals so runs using a plugin that went away stop.
 */
public final class PluginRegistry {

    /** The kinds, as reported by {@code ltz4d plugins --json}. */
    public enum Kind {
        READER("reader"), FITTER("fitter"), DERIVER("deriver"), CORRELATOR("correlator"), PIPELINE("pipeline");

        public final String label;

        Kind(String label) {
            this.label = label;
        }

        static Kind of(Object plugin) {
            if (plugin instanceof DatasetReader) return READER;
            if (plugin instanceof Fitter) return FITTER;
            if (plugin instanceof QuantityDeriver) return DERIVER;
            if (plugin instanceof Correlator) return CORRELATOR;
            if (plugin instanceof Pipeline) return PIPELINE;
            throw new IllegalArgumentException("not a plugin: " + plugin.getClass().getName());
        }
    }

    /** Where a plugin comes from. {@code state} is asked lazily because bundles change state. */
    public interface Origin {
        String bundle();

        String version();

        String state();
    }

    /** A registered plugin. */
    public record Entry(Kind kind, String name, Object plugin, Origin origin) {
        public PluginInfo info() {
            return new PluginInfo(kind.label, name, origin.bundle(), origin.version(), origin.state());
        }
    }

    private final Map<Object, Entry> entries = new ConcurrentHashMap<>();
    private final List<Consumer<Entry>> removalListeners = new CopyOnWriteArrayList<>();

    /** Registers a plugin; its name is asked once, here, so a broken {@code name()} is caught early. */
    public Entry add(Object plugin, Origin origin) {
        Kind kind = Kind.of(plugin);
        String name;
        try {
            name = switch (kind) {
                case READER -> ((DatasetReader) plugin).name();
                case FITTER -> ((Fitter) plugin).name();
                case DERIVER -> ((QuantityDeriver) plugin).name();
                case CORRELATOR -> ((Correlator) plugin).name();
                case PIPELINE -> ((Pipeline) plugin).name();
            };
        } catch (RuntimeException e) {
            name = plugin.getClass().getName();
        }
        Entry e = new Entry(kind, name, plugin, origin);
        entries.put(plugin, e);
        return e;
    }

    public void remove(Object plugin) {
        Entry e = entries.remove(plugin);
        if (e != null) {
            for (Consumer<Entry> l : removalListeners) l.accept(e);
        }
    }

    public void onRemoval(Consumer<Entry> listener) {
        removalListeners.add(listener);
    }

    public void removeListener(Consumer<Entry> listener) {
        removalListeners.remove(listener);
    }

    public boolean isRegistered(Object plugin) {
        return entries.containsKey(plugin);
    }

    /** Every plugin now, sorted by kind and name. */
    public List<Entry> all() {
        List<Entry> l = new ArrayList<>(entries.values());
        l.sort(Comparator.comparing((Entry e) -> e.kind().ordinal()).thenComparing(Entry::name));
        return l;
    }

    public List<Entry> all(Kind kind) {
        return all().stream().filter(e -> e.kind() == kind).toList();
    }

    /** The plugin of that kind and name; when several bundles provide one, the first registered. */
    public Optional<Entry> find(Kind kind, String name) {
        return all(kind).stream().filter(e -> e.name().equals(name)).findFirst();
    }

    public Optional<Entry> entryOf(Object plugin) {
        return Optional.ofNullable(entries.get(plugin));
    }
}
