package org.example.vadf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.FitContext;
import org.ltz4d.api.analysis.FitOutput;
import org.ltz4d.api.analysis.FitSetup;
import org.ltz4d.api.analysis.Frame;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.DType;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.param.Parameters;

class VirtualAnnularFitterTest {
    static final int H = 64, W = 64;
    static final double CX = 37.3, CY = 29.6;

    /** 4×5 frames: a flat beam of radius 6 px at (CX, CY), 100 counts per pixel, on 1 count; frame i scaled by 1 + i/10. */
    record Scan(boolean refuseReads) implements Dataset {
        static float[] frame(long i) {
            float[] f = new float[H * W];
            for (int p = 0; p < f.length; p++) f[p] = (float) ((Math.hypot(p % W - CX, p / W - CY) < 6 ? 100 : 1) * (1 + i / 10.0));
            return f;
        }

        @Override
        public void readFrames(long first, int count, float[] dest, int off) {
            if (refuseReads) throw new AssertionError("a processor read frames " + first + "+" + count);
            for (int k = 0; k < count; k++) System.arraycopy(frame(first + k), 0, dest, off + k * H * W, H * W);
        }

        @Override public Path source() { return Path.of("scan.test"); }
        @Override public String format() { return "test"; }
        @Override public Shape navShape() { return Shape.of(4, 5); }
        @Override public Shape sigShape() { return Shape.of(H, W); }
        @Override public DType dtype() { return DType.FLOAT32; }
        @Override public Calibration calibration() { return Calibration.none(); }
        @Override public void close() { }
    }

    record Ctx(Dataset dataset, FitSetup setup) implements FitContext {
        @Override public Calibration calibration() { return Calibration.none(); }
        @Override public Parameters parameters() { return Parameters.of(Map.of("bf-radius-px", "8", "adf-inner-px", "10", "adf-outer-px", "25")); }
        @Override public int slot(String name) { return name.equals("virtual/bf") ? 0 : 1; }
        @Override public OptionalInt upstreamSlot(String name) { return OptionalInt.empty(); }
        @Override public Optional<DataMap> previous(String name) { return Optional.empty(); }
    }

    record F(float[] data) implements Frame {
        @Override public long index() { return 3; }
        @Override public int scanY() { return 0; }
        @Override public int scanX() { return 3; }
        @Override public int height() { return H; }
        @Override public int width() { return W; }
        @Override public int offset() { return 0; }
        @Override public float upstream(int slot) { return Float.NaN; }
    }

    @Test
    void annulusPixelCountMatchesItsArea() {
        int[] idx = VirtualAnnularFitter.indices(201, 201, 100, 100, 20, 60);
        double area = Math.PI * (60 * 60 - 20 * 20);
        assertEquals(area, idx.length, 0.01 * area);
        int[] disk = VirtualAnnularFitter.indices(201, 201, 100, 100, 0, 8);
        assertEquals(Math.PI * 64, disk.length, 0.05 * Math.PI * 64);
        // no beam standing out: the detector centre
        assertArrayEquals(new double[] {100, 100}, VirtualAnnularFitter.beamCentre(new double[201 * 201], 201, 201));
    }

    @Test
    void theSetUpFindsTheBeamAndTheProcessorSumsAroundItWithoutReadingFrames() throws Exception {
        VirtualAnnularFitter f = new VirtualAnnularFitter();
        FitSetup setup = f.setup(new Ctx(new Scan(false), FitSetup.NONE));
        double[] c = setup.values(VirtualAnnularFitter.CENTRE);
        assertEquals(CX, c[0], 0.1, "beam x, px");
        assertEquals(CY, c[1], 0.1, "beam y, px");
        // as a cluster ships it: Java-serialised, to a processor whose dataset refuses every read
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(setup);
        }
        FitSetup shipped;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            shipped = (FitSetup) in.readObject();
        }
        float[] frame = Scan.frame(3), got = new float[2];
        f.processor(new Ctx(new Scan(true), shipped)).process(new F(frame), new FitOutput() {
            @Override public void set(int slot, float value) { got[slot] = value; }
            @Override public double[] partial(int buffer) { throw new UnsupportedOperationException(); }
        });
        // the sums over the pixels around the found centre, counted one by one
        double bf = 0, adf = 0;
        for (int p = 0; p < frame.length; p++) {
            double r = Math.hypot(p % W - c[0], p / W - c[1]);
            if (r < 8) bf += frame[p];
            if (r >= 10 && r < 25) adf += frame[p];
        }
        assertEquals(bf, got[0], 1e-3 * bf);
        assertEquals(adf, got[1], 1e-3 * adf);
        int beam = VirtualAnnularFitter.indices(H, W, CX, CY, 0, 6).length, disk = VirtualAnnularFitter.indices(H, W, c[0], c[1], 0, 8).length;
        assertEquals(1.3 * (100 * beam + (disk - beam)), got[0], 1e-3 * got[0], "the whole beam is inside the BF disk");
    }
}
