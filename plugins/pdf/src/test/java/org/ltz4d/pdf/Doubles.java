package org.ltz4d.pdf;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.ltz4d.api.analysis.AnalysisContext;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.FitContext;
import org.ltz4d.api.analysis.FitOutput;
import org.ltz4d.api.analysis.FitSetup;
import org.ltz4d.api.analysis.Frame;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.param.Parameters;

/** Test doubles of the engine side: a fit context with upstream ring slots, a frame, an output. */
final class Doubles {
    private Doubles() {
    }

    /** Upstream slots 0..4 hold ring/center_x, center_y, q11, q12, q22 (when {@code withRing}). */
    static final class Ctx implements FitContext, AnalysisContext {
        final Calibration cal;
        final Parameters params;
        final Shape nav;
        final Shape sig;
        final boolean withRing;
        final Map<String, Integer> slots = new HashMap<>();
        /** The fitter's set-up as the engine gives it (NONE: the fitter computes its own). */
        FitSetup setup = FitSetup.NONE;

        Ctx(Calibration cal, Parameters params, Shape nav, Shape sig, boolean withRing) {
            this.cal = cal;
            this.params = params;
            this.nav = nav;
            this.sig = sig;
            this.withRing = withRing;
        }

        /** Lays out the fitter's NAV buffers as the engine would; returns the slots per position. */
        int layout(java.util.List<org.ltz4d.api.analysis.BufferSpec> buffers) {
            int at = 0;
            for (var b : buffers) {
                if (b.kind() != org.ltz4d.api.analysis.BufferSpec.Kind.NAV) continue;
                slots.put(b.name(), at);
                at += b.length();
            }
            return at;
        }

        @Override
        public Dataset dataset() {
            return null;
        }

        @Override
        public Calibration calibration() {
            return cal;
        }

        @Override
        public FitSetup setup() {
            return setup;
        }

        @Override
        public Parameters parameters() {
            return params;
        }

        @Override
        public Shape navShape() {
            return nav;
        }

        @Override
        public Shape sigShape() {
            return sig;
        }

        @Override
        public int slot(String name) {
            Integer s = slots.get(name);
            if (s == null) throw new IllegalArgumentException("no buffer " + name);
            return s;
        }

        @Override
        public OptionalInt upstreamSlot(String name) {
            if (!withRing) return OptionalInt.empty();
            for (int i = 0; i < SqFitter.RING.length; i++) if (SqFitter.RING[i].equals(name)) return OptionalInt.of(i);
            if (name.equals("fit/mask")) return OptionalInt.of(5);
            return OptionalInt.empty();
        }

        @Override
        public Optional<DataMap> previous(String name) {
            return Optional.empty();
        }

        @Override
        public MapSet analyzeReference(Path file, String fitter) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void log(String message) {
        }
    }

    static final class Frm implements Frame {
        float[] data;
        int w;
        int h;
        long index;
        float[] ring = new float[6];

        @Override
        public long index() {
            return index;
        }

        @Override
        public int scanY() {
            return 0;
        }

        @Override
        public int scanX() {
            return (int) index;
        }

        @Override
        public int height() {
            return h;
        }

        @Override
        public int width() {
            return w;
        }

        @Override
        public float[] data() {
            return data;
        }

        @Override
        public int offset() {
            return 0;
        }

        @Override
        public float upstream(int slot) {
            return ring[slot];
        }
    }

    /** Collects a position's values; unset values stay NaN. */
    static final class Out implements FitOutput {
        final float[] v;

        Out(int n) {
            v = new float[n];
            java.util.Arrays.fill(v, Float.NaN);
        }

        @Override
        public void set(int slot, float value) {
            v[slot] = value;
        }

        @Override
        public double[] partial(int buffer) {
            throw new UnsupportedOperationException();
        }
    }
}
