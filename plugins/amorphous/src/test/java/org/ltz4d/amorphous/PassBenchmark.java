package org.ltz4d.amorphous;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.ltz4d.simulator.FrameTruth;
import org.ltz4d.simulator.SimulationSpec;
import org.ltz4d.simulator.Simulator;

/** CPU time of one score pass and one full pass of the ring solver over a 192² frame (by hand). */
public final class PassBenchmark {
    private PassBenchmark() {
    }

    public static void main(String[] args) {
        SimulationSpec spec = SimulationSpec.builder().scan(1, 1).build();
        float[] f = new float[192 * 192];
        Simulator.sample(spec, 0, 0, f, 0);
        FrameTruth t = Simulator.truth(spec, 0, 0);
        RingSolver s = new RingSolver(192, 192, t.pattern().decay(), 15, 65535);
        double[] th = {t.ringCenterX(), t.ringCenterY(), t.q11(), t.q12(), t.q22(), t.pattern().width(), t.pattern().amplitude(),
                t.pattern().background(), t.pattern().pedestal()};
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (int round = 0; round < 6; round++) {
            RingSolver.soa = round % 2 == 0;
            int n = 2000;
            System.arraycopy(th, 0, s.th, 0, 9);
            s.fit(f, 0, 1, true, false, 0, 0);
            long c0 = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) {
                System.arraycopy(th, 0, s.th, 0, 9);
                s.fit(f, 0, 1, false, true, 1e9, 0);
            }
            long c1 = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < n / 4; i++) {
                System.arraycopy(th, 0, s.th, 0, 9);
                s.fit(f, 0, 1, true, true, 1e9, 0);
            }
            long c2 = mx.getCurrentThreadCpuTime();
            System.out.printf((RingSolver.soa ? "SoA    " : "scalar ") + "pixels %d: score pass + mask %.1f µs (%.1f ns/px), full pass + inverse %.1f µs%n", s.nPix,
                    (c1 - c0) / 1e3 / n, (c1 - c0) / (double) n / s.nPix, (c2 - c1) / 1e3 / (n / 4));
        }
    }
}
