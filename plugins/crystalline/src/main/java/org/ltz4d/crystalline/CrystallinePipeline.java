package org.ltz4d.crystalline;

import java.util.ArrayList;
import java.util.List;
import org.ltz4d.api.analysis.Pipeline;
import org.ltz4d.api.analysis.Plan;
import org.ltz4d.api.analysis.Stage;
import org.ltz4d.api.param.Parameters;
import org.osgi.service.component.annotations.Component;

/**
 * {@code crystalline}: one pass of {@code disks} (Bragg disks + lattice fit), then
 * {@code lattice-strain}; {@code magnetic-beam} (B from the lattice-centre shift) when a reference
 * ({@code --vacuum} or {@code --descan}) is given (the beam energy and pixel calibration come from
 * the file or the options, and the deriver names what is missing); {@code phase} when
 * {@code --structure} or {@code --lattice} is given; figures. With {@code --scan-rotation-deg auto}
 * {@code magnetic-beam} runs before {@code lattice-strain}: it solves the scan rotation and
 * transpose from the lattice-origin deflection (minimum curl, the amorphous pipeline's code), and
 * the strain is rotated into that frame.
 */
@Component(service = Pipeline.class)
public class CrystallinePipeline implements Pipeline {
    public static final String NAME = "crystalline";

    static final Stage LATTICE = Stage.always("lattice", "Bragg disks and lattice per pattern, strain and rotation against "
            + "the reference area, in-plane orientation, virtual images, and the figures", List.of(DiskFitter.NAME, LatticeStrainDeriver.NAME, "virtual", "figures"));
    static final Stage B = Stage.optIn("B", "in-plane magnetic induction from the lattice-centre shift against a reference "
            + "(T with a thickness, else B·t in T·nm)", List.of("magnetic-beam"), "--vacuum FILE or --descan plane|parabola",
            p -> p.has("vacuum") || p.has("descan"));
    static final Stage PHASE = Stage.optIn("phase", "phase and zone axis by matching candidate structures", List.of(PhaseDeriver.NAME),
            "--structure FILE.cif or --lattice a,b,c,alpha,beta,gamma",
            p -> p.has(PhaseDeriver.P_STRUCTURE) || p.has(PhaseDeriver.P_LATTICE));

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
    public List<Stage> stages() {
        return List.of(LATTICE, B, PHASE);
    }

    @Override
    public Plan plan(Parameters p) {
        List<String> derivers = new ArrayList<>(List.of(LatticeStrainDeriver.NAME));
        if (B.isEnabled(p)) {
            // --scan-rotation-deg auto: B's deriver solves the frame from the deflection (minimum curl), and
            // lattice-strain then takes that frame from its maps, so B runs first
            if (LatticeStrainDeriver.autoRotation(p)) derivers.add(0, "magnetic-beam");
            else derivers.add("magnetic-beam");
        }
        if (PHASE.isEnabled(p)) derivers.add(PhaseDeriver.NAME);
        // "virtual": bright-field, annular dark-field and first-ring images from the frames in memory (bundle org.ltz4d.virtual)
        return new Plan(List.of(List.of(DiskFitter.NAME, "virtual")), derivers, List.of("figures"));
    }
}
