package org.ltz4d.simulator;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ltz4d.api.data.Simulation;
import org.ltz4d.api.engine.ProgressListener;
import org.ltz4d.api.param.ParameterSpec;
import org.ltz4d.api.param.Parameters;
import org.osgi.service.component.annotations.Component;

/**
 * The simulator as a service ({@code ltz4d simulate}, {@code ltz4d demo}): options from
 * {@link SimulationSpec#parameterSpecs()}, files from {@link Simulator#write}.
 */
@Component(service = Simulation.class)
public class AmorphousSimulation implements Simulation {
    public static final String NAME = "amorphous";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "large-angle Lorentz 4D-STEM scans of an amorphous sample with known B, strain and density, "
                + "the matching vacuum scan and the ground truth";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return SimulationSpec.parameterSpecs();
    }

    @Override
    public Map<String, Path> write(Parameters parameters, Path outDir, ProgressListener progress) {
        SimulationSpec s = SimulationSpec.fromParameters(parameters);
        long total = s.frameCount();
        Simulator.write(s, outDir, done -> progress.update("simulate", done, total)); // done: positions finished so far
        Map<String, Path> files = new LinkedHashMap<>();
        files.put(DATA, outDir.resolve(Simulator.DATA_FILE));
        if (s.writeVacuum()) files.put(REFERENCE, outDir.resolve(Simulator.VACUUM_FILE));
        for (String t : Simulator.TRUTH_MAPS) files.put(TRUTH + t, outDir.resolve("truth_" + t + ".npy"));
        return files;
    }
}
