package org.ltz4d.api.analysis;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.ltz4d.api.error.Ltz4dException;

/**
 * A fitter's set-up for one run as plain numbers, by name: what {@link Fitter#setup} found in the
 * dataset before any frame is fitted (a mean pattern, a seed fitted on sampled frames, a detector
 * geometry, a noise scale). The engine computes it once per run and gives the same value to every
 * processor ({@link FitContext#setup()}); a cluster engine computes it on its driver and ships it to
 * the executors, so the sampled frames are read once and every executor fits from the very same seed.
 *
 * <p>Immutable and serialisable: arrays are copied in and out. Values are stored as {@code double}
 * or {@code float} arrays as they are put (a detector-sized mean pattern as floats takes half the
 * bytes); each reads back exactly as put.
 *
 * @since 1.5
 */
public final class FitSetup implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The set-up of a fitter that needs nothing from the data. */
    public static final FitSetup NONE = new FitSetup(Map.of());

    private final Map<String, Object> values; // double[] or float[], never shared
    /** What fitters built from this set-up, by type; not shipped (rebuilt where the set-up arrives). */
    private transient volatile java.util.concurrent.ConcurrentHashMap<Class<?>, Object> decoded;

    private FitSetup(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The names, in the order they were put. */
    public Set<String> names() {
        return values.keySet();
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** The values of {@code name} (a copy). */
    public double[] values(String name) {
        Object v = require(name);
        if (v instanceof double[] d) return d.clone();
        float[] f = (float[]) v;
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }

    /** The values of {@code name} as floats (a copy; exact when they were put as floats). */
    public float[] floats(String name) {
        Object v = require(name);
        if (v instanceof float[] f) return f.clone();
        double[] d = (double[]) v;
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }

    /** The single value of {@code name}. */
    public double value(String name) {
        double[] d = values(name);
        if (d.length != 1) throw new Ltz4dException("set-up value '" + name + "' holds " + d.length + " values, expected one");
        return d[0];
    }

    /** The values of {@code name} as flags (non-zero is true), as put by {@link Builder#put(String, boolean[])}. */
    public boolean[] flags(String name) {
        double[] d = values(name);
        boolean[] b = new boolean[d.length];
        for (int i = 0; i < d.length; i++) b[i] = d[i] != 0;
        return b;
    }

    /** The single flag of {@code name}. */
    public boolean flag(String name) {
        return value(name) != 0;
    }

    /**
     * What a fitter builds from this set-up (its solver tables, a template, the decoded set-up
     * object), made once per set-up object by {@code decode} and kept with it, one value per
     * {@code type}: the engine gives every processor of a run the same set-up object, so they all
     * share one decoded value, which goes when the run's set-up does. Concurrent callers of one
     * type wait for one decoding. The value is not shipped with the set-up; it is decoded again
     * wherever the set-up arrives. An empty set-up keeps nothing ({@code decode} runs each time).
     */
    public <T> T decoded(Class<T> type, java.util.function.Function<FitSetup, ? extends T> decode) {
        Objects.requireNonNull(type, "type");
        if (values.isEmpty()) return type.cast(decode.apply(this));
        java.util.concurrent.ConcurrentHashMap<Class<?>, Object> d = decoded;
        if (d == null) {
            synchronized (this) {
                d = decoded;
                if (d == null) decoded = d = new java.util.concurrent.ConcurrentHashMap<>();
            }
        }
        return type.cast(d.computeIfAbsent(type, t -> Objects.requireNonNull(decode.apply(this), "decoded value")));
    }

    /** Bytes the values take (for logs and for deciding how to ship it). */
    public long bytes() {
        long n = 0;
        for (Object v : values.values()) n += v instanceof double[] d ? 8L * d.length : 4L * ((float[]) v).length;
        return n;
    }

    private Object require(String name) {
        Object v = values.get(name);
        if (v == null) {
            throw new Ltz4dException("the fitter's set-up has no value '" + name + "' (has: " + String.join(", ", values.keySet())
                    + "); was it computed by another version of the plugin?");
        }
        return v;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FitSetup other) || !other.values.keySet().equals(values.keySet())) return false;
        for (Map.Entry<String, Object> e : values.entrySet()) {
            Object a = e.getValue(), b = other.values.get(e.getKey());
            boolean same = a instanceof double[] da ? b instanceof double[] db && Arrays.equals(da, db)
                    : b instanceof float[] fb && Arrays.equals((float[]) a, fb);
            if (!same) return false;
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (Map.Entry<String, Object> e : values.entrySet()) {
            Object v = e.getValue();
            h = 31 * h + e.getKey().hashCode();
            h = 31 * h + (v instanceof double[] d ? Arrays.hashCode(d) : Arrays.hashCode((float[]) v));
        }
        return h;
    }

    @Override
    public String toString() {
        return "FitSetup" + values.keySet() + " (" + bytes() + " bytes)";
    }

    /** Collects named values; each name once. */
    public static final class Builder {
        private final Map<String, Object> values = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder put(String name, double... v) {
            return add(name, Objects.requireNonNull(v, name).clone());
        }

        public Builder put(String name, float[] v) {
            return add(name, Objects.requireNonNull(v, name).clone());
        }

        public Builder put(String name, int[] v) {
            Objects.requireNonNull(v, name);
            double[] d = new double[v.length];
            for (int i = 0; i < v.length; i++) d[i] = v[i];
            return add(name, d);
        }

        public Builder put(String name, boolean[] v) {
            Objects.requireNonNull(v, name);
            double[] d = new double[v.length];
            for (int i = 0; i < v.length; i++) d[i] = v[i] ? 1 : 0;
            return add(name, d);
        }

        public Builder put(String name, boolean v) {
            return add(name, new double[] {v ? 1 : 0});
        }

        private Builder add(String name, Object v) {
            Objects.requireNonNull(name, "name");
            if (values.putIfAbsent(name, v) != null) throw new IllegalArgumentException("set-up value '" + name + "' put twice");
            return this;
        }

        public FitSetup build() {
            return values.isEmpty() ? NONE : new FitSetup(values);
        }
    }
}
