package org.ltz4d.amorphous;
import java.util.Map;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.simulator.*;
public class Debug2 {
  public static void main(String[] a) {
    double dose = Double.parseDouble(a[0]);
    SimulationSpec spec = SimulationSpec.builder().scan(12, 25).dose(dose).distortion(0.01, 30)
                .descan(Descan.typical(4)).strainField(StrainField.orientations(0.01, 5))
                .magneticField(MagneticField.domains(1.0, 3, 0.2)).seed(Long.parseLong(a[1])).build();
    Harness.MemoryDataset ds = Harness.MemoryDataset.of(spec, false);
    Parameters p = Parameters.of(Map.of(RingFitter.P_HALF_WIDTH, "15", RingFitter.P_SEED_FRAMES, "64", RingFitter.P_PASSES, a[2]));
    Map<String, float[]> m = Harness.run(ds, p, 2, new BeamFitter(), new RingFitter());
    double[] qref = spec.referenceForm();
    double[][] sum = new double[5][3]; // per band: mean err eyy, rms
    int[] cnt = new int[5];
    double[] tot = new double[3], tot2 = new double[3];
    for (int i = 0; i < 300; i++) {
      FrameTruth t = Simulator.truth(spec, i / 25, i % 25);
      double[] e = Crb.strain(qref, m.get("ring/q11")[i], m.get("ring/q12")[i], m.get("ring/q22")[i]);
      double[] err = {e[0]-t.exx(), e[1]-t.eyy(), e[2]-t.exy()};
      int band = (i % 25) * 5 / 25;
      for (int k=0;k<3;k++){ sum[band][k]+=err[k]; tot[k]+=err[k]; tot2[k]+=err[k]*err[k]; }
      cnt[band]++;
    }
    for (int b=0;b<5;b++) System.out.printf("band %d mean err exx %.2e eyy %.2e exy %.2e%n", b, sum[b][0]/cnt[b], sum[b][1]/cnt[b], sum[b][2]/cnt[b]);
    for (int k=0;k<3;k++) System.out.printf("comp %d mean %.2e rms %.2e%n", k, tot[k]/300, Math.sqrt(tot2[k]/300));
  }
}
