package org.ltz4d.amorphous;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.ltz4d.api.analysis.FrameProcessor;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.simulator.Descan;
import org.ltz4d.simulator.MagneticField;
import org.ltz4d.simulator.SimulationSpec;
import org.ltz4d.simulator.StrainField;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH: the amorphous pipeline's whole per-frame work (direct-beam centre + ring fit) on one
 * thread, per frame, for 192² and 256² simulated frames at 1.5e5 and 2e6 electrons per pattern,
 * frames in scan order so the neighbour seeding works as in a run. Run by hand (see README.md);
 * frames/s per core = 1e6 / (µs per op).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RingFitJmh {
    @Param({"192", "256"})
    int det;

    @Param({"1.5e5", "2e6"})
    double dose;

    private Harness.MemoryDataset ds;
    private FrameProcessor beam;
    private FrameProcessor ring;
    private Harness.TestFrame frame;
    private Harness.Out beamOut;
    private Harness.Out ringOut;
    private int next;
    private int px;

    @Setup(Level.Trial)
    public void setUp() {
        double scale = det / 192.0;
        SimulationSpec spec = SimulationSpec.builder().scan(20, 25).detector(det, det).ring(55 * scale, 5 * scale)
                .beam(4 * scale, 0.5).backgroundDecayPx(30 * scale).dose(dose).distortion(0.01, 30)
                .descan(Descan.typical(4)).strainField(StrainField.orientations(0.01, 5))
                .magneticField(MagneticField.domains(1.0, 3, 0.2)).seed(3).build();
        ds = Harness.MemoryDataset.of(spec, false);
        Parameters p = Parameters.of(Map.of(RingFitter.P_SEED_FRAMES, "64"));
        BeamFitter beamFitter = new BeamFitter();
        RingFitter ringFitter = new RingFitter();
        Harness.Context cb = new Harness.Context(ds, p).withSetup(beamFitter);
        cb.slots.put(BeamFitter.CENTER_X, 0);
        cb.slots.put(BeamFitter.CENTER_Y, 1);
        Harness.Context cr = new Harness.Context(ds, p).withSetup(ringFitter);
        cr.slots.putAll(RingFitBenchmark.slotMap());
        cr.upstream.put(BeamFitter.CENTER_X, 0);
        cr.upstream.put(BeamFitter.CENTER_Y, 1);
        beam = beamFitter.processor(cb);
        ring = ringFitter.processor(cr);
        frame = new Harness.TestFrame();
        frame.rows = ds.rows;
        frame.cols = ds.cols;
        frame.data = ds.data;
        frame.upstream = new float[2];
        beamOut = new Harness.Out(2);
        ringOut = new Harness.Out(RingFitter.OUTPUTS.size());
        px = ds.rows * ds.cols;
    }

    @Benchmark
    public float beamAndRingPerFrame() {
        int i = next;
        next = (next + 1) % (int) ds.frameCount();
        frame.index = i;
        frame.offset = i * px;
        beamOut.reset();
        beam.process(frame, beamOut);
        frame.upstream[0] = beamOut.values[0];
        frame.upstream[1] = beamOut.values[1];
        ringOut.reset();
        ring.process(frame, ringOut);
        return ringOut.values[0];
    }
}
