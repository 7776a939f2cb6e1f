package org.ltz4d.crystalline;

import java.util.ArrayList;
import java.util.List;
import org.ltz4d.api.analysis.Pipeline;
import org.ltz4d.api.analysis.Plan;
import org.ltz4d.api.param.Parameters;
import org.osgi.service.component.annotations.Component;

/**
 * {@code crystalline}: one pass of {@code disks} (Bragg disks + lattice fit), then
 * {@code lattice-strain}; {@code magnetic-beam} (B from the lattice-centre shift) when a reference
 * ({@code --vacuum} or {@code --descan}) is given;
 * {@code phase} when {@code --structure} is given; figures.
 */
@Component(service = Pipeline.class)
public class CrystallinePipeline implements Pipeline {
    public static final String NAME = "crystalline";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "crystalline-spot analysis: Bragg disks and lattice per pattern, strain and rotation against a reference, "
                + "in-plane orientation; B from the lattice-centre shift with --vacuum FILE or --descan plane|parabola "
                + "(and --beam-kv, --pixel-mrad; --thickness-nm or --thickness-map for tesla); "
                + "phase and zone axis with --structure FILE.cif";
    }

    @Override
    public Plan plan(Parameters p) {
        List<String> derivers = new ArrayList<>(List.of(LatticeStrainDeriver.NAME));
        if (wantsMagnetic(p)) derivers.add("magnetic-beam");
        if (p.has(PhaseDeriver.P_STRUCTURE) || p.has(PhaseDeriver.P_LATTICE)) derivers.add(PhaseDeriver.NAME);
        return new Plan(List.of(List.of(DiskFitter.NAME)), derivers, List.of("figures"));
    }

    /**
     * B is asked for by its reference, {@code --vacuum FILE} or {@code --descan plane|parabola} (with
     * {@code --thickness-nm}/{@code --thickness-map} for tesla), as in the amorphous pipeline; a
     * missing beam energy or pixel calibration is then reported by {@code magnetic-beam}, naming the
     * option, instead of B being left out silently.
     */
    static boolean wantsMagnetic(Parameters p) {
        return p.has("vacuum") || p.has("descan");
    }
}
