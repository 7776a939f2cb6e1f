package org.ltz4d.crystalline;

import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.function.Function;

/**
 * A few values, each made once per key object (compared by identity, not {@code equals}: a set-up's
 * {@code equals} compares every number) and kept while the key lives: the key is held weakly, the
 * oldest entry goes when more than {@code capacity} keys come. A value must not refer to its key.
 * Thread-safe; {@code make} runs under the lock, so concurrent askers of one key wait for one value.
 */
final class IdentityCache<K, V> {
    private record Entry<K, V>(WeakReference<K> key, V value) {
    }

    private final int capacity;
    private final ArrayDeque<Entry<K, V>> entries = new ArrayDeque<>();

    IdentityCache(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("capacity " + capacity + " must be ≥ 1");
        this.capacity = capacity;
    }

    /** The value made for {@code key} (by this call's {@code make} if there is none yet; it may be null). */
    synchronized V get(K key, Function<? super K, ? extends V> make) {
        entries.removeIf(e -> e.key().get() == null);
        for (Entry<K, V> e : entries) if (e.key().get() == key) return e.value();
        V v = make.apply(key);
        if (entries.size() >= capacity) entries.removeFirst();
        entries.addLast(new Entry<>(new WeakReference<>(key), v));
        return v;
    }
}
