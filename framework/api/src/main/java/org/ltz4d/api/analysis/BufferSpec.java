package org.ltz4d.api.analysis;

import java.util.Objects;
import org.ltz4d.api.units.Unit;

/**
 * One result buffer a {@link Fitter} declares (LiberTEM's buffer kinds):
 * <ul>
 * <li>{@link Kind#NAV}: {@code length} floats per scan position — 1 for a scalar map such as
 * {@code ring/center_x}, K for a per-position stack such as {@code sq/S}. The engine places
 * values by position, so they need no merge.</li>
 * <li>{@link Kind#SIG}: one double per detector pixel (e.g. a sum pattern), accumulated per worker
 * and merged with {@link Fitter#merge}.</li>
 * <li>{@link Kind#SINGLE}: {@code length} doubles for the whole dataset, merged likewise.</li>
 * </ul>
 * The name is the path inside {@code results.h5} without the leading slash, e.g.
 * {@code ring/center_x}.
 */
public record BufferSpec(String name, Kind kind, int length, Unit unit, String description) {

    public enum Kind { NAV, SIG, SINGLE }

    public BufferSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(unit, "unit");
        description = description == null ? "" : description;
        if (name.isBlank() || name.startsWith("/")) throw new IllegalArgumentException("buffer name must be a relative path: '" + name + "'");
        if (kind != Kind.SIG && length < 1) throw new IllegalArgumentException("buffer " + name + ": length must be ≥ 1, got " + length);
    }

    /** A scalar per scan position. */
    public static BufferSpec nav(String name, Unit unit, String description) {
        return new BufferSpec(name, Kind.NAV, 1, unit, description);
    }

    /** {@code length} values per scan position. */
    public static BufferSpec navStack(String name, int length, Unit unit, String description) {
        return new BufferSpec(name, Kind.NAV, length, unit, description);
    }

    /** One value per detector pixel, summed (or merged) over all positions. */
    public static BufferSpec sig(String name, Unit unit, String description) {
        return new BufferSpec(name, Kind.SIG, 0, unit, description);
    }

    /** {@code length} values for the whole dataset. */
    public static BufferSpec single(String name, int length, Unit unit, String description) {
        return new BufferSpec(name, Kind.SINGLE, length, unit, description);
    }
}
