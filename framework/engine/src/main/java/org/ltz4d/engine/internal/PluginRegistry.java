package org.ltz4d.engine.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.ltz4d.api.analysis.Correlator;
import org.ltz4d.api.analysis.Fitter;
import org.ltz4d.api.analysis.PhaseRetrieval;
import org.ltz4d.api.analysis.Pipeline;
import org.ltz4d.api.analysis.QuantityDeriver;
import org.ltz4d.api.data.DatasetReader;
import org.ltz4d.api.engine.PluginInfo;
import org.ltz4d.api.error.Ltz4dException;
import org.ltz4d.api.error.PluginException;

/**
 * The plugins the engine knows now, by kind and name, with the bundle that provides each. Filled
 * and emptied by the OSGi service callbacks of {@code LocalEngine} (or directly in plain Java
 * tests); thread-safe. Listeners hear of removals so runs using a plugin that went away stop.
 * <p>
 * When several plugins of one kind share a name, {@link #find} picks the first in the OSGi
 * service order: the highest {@code service.ranking}, then the lowest {@code service.id} (the
 * earliest registration), the order of {@code ServiceReference.compareTo} reversed.
 */
public final class PluginRegistry {

    /** The kinds, as reported by {@code ltz4d plugins --json}. */
    public enum Kind {
        READER("reader"), FITTER("fitter"), DERIVER("deriver"), CORRELATOR("correlator"), PIPELINE("pipeline"),
        PHASE_RETRIEVAL("phase-retrieval");

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
            if (plugin instanceof PhaseRetrieval) return PHASE_RETRIEVAL;
            throw new IllegalArgumentException("not a plugin: " + plugin.getClass().getName());
        }
    }

    /**
     * Where a plugin comes from. {@code state} is asked lazily because bundles change state;
     * {@code ranking} and {@code serviceId} order plugins of the same name (see {@link #find}).
     */
    public interface Origin {
        String bundle();

        String version();

        String state();

        int ranking();

        long serviceId();
    }

    /** A registered plugin. */
    public record Entry(Kind kind, String name, Object plugin, Origin origin) {
        public PluginInfo info() {
            return new PluginInfo(kind.label, name, origin.bundle(), origin.version(), origin.state());
        }

        /** Runs a call into the plugin: a typed error passes, anything else becomes a {@link PluginException} naming it. */
        public <T> T guard(Supplier<T> body) {
            try {
                return body.get();
            } catch (Ltz4dException ex) {
                throw ex;
            } catch (RuntimeException | LinkageError ex) {
                throw new PluginException(name, "threw " + ex, ex);
            }
        }
    }

    /** Kind, name, then the service order: highest ranking first, then lowest service id. */
    private static final Comparator<Entry> ORDER = Comparator.comparing((Entry e) -> e.kind().ordinal())
            .thenComparing(Entry::name)
            .thenComparing(e -> e.origin().ranking(), Comparator.reverseOrder())
            .thenComparingLong(e -> e.origin().serviceId());

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
                case PHASE_RETRIEVAL -> ((PhaseRetrieval) plugin).name();
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

    /** Every plugin now, sorted by kind, name and service order. */
    public List<Entry> all() {
        List<Entry> l = new ArrayList<>(entries.values());
        l.sort(ORDER);
        return l;
    }

    public List<Entry> all(Kind kind) {
        return all().stream().filter(e -> e.kind() == kind).toList();
    }

    /**
     * The plugin of that kind and name; when several provide one, the one with the highest service
     * ranking, and among equal rankings the lowest service id.
     */
    public Optional<Entry> find(Kind kind, String name) {
        return all(kind).stream().filter(e -> e.name().equals(name)).findFirst();
    }

    /** As {@link #find}, or a {@link PluginException} naming what is missing, who needs it and what is installed. */
    public Entry require(Kind kind, String name, String by) {
        return find(kind, name).orElseThrow(() -> new PluginException(name, kind.label + " needed by '" + by
                + "' is not installed or not active (installed " + kind.label + "s: "
                + String.join(", ", all(kind).stream().map(Entry::name).toList()) + ")", null));
    }

    /** "one of: a, b" or "a pipeline, but none is installed", for error messages. */
    public String installed(Kind kind) {
        List<String> names = all(kind).stream().map(Entry::name).toList();
        return names.isEmpty() ? "a " + kind.label + ", but none is installed (see 'ltz4d plugins')"
                : "one of: " + String.join(", ", names);
    }

    public Optional<Entry> entryOf(Object plugin) {
        return Optional.ofNullable(entries.get(plugin));
    }
}
