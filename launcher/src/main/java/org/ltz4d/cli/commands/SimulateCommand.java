package org.ltz4d.cli.commands;

import java.nio.file.Path;
import java.util.List;
import org.ltz4d.api.engine.ProgressListener;
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.api.param.ParameterSpec;
import org.ltz4d.cli.CliContext;
import org.ltz4d.cli.internal.OptionTokens;
import org.ltz4d.simulator.SimulationSpec;
import org.ltz4d.simulator.Simulator;
import picocli.CommandLine.Command;

/** {@code ltz4d simulate --out DIR [--dose N] [--scan Y,X] ...}: an LA-Ltz-4D-STEM dataset with known fields. */
@Command(name = "simulate",
        description = {"Simulate a large-angle Lorentz 4D-STEM dataset with known B, strain and density, the matching vacuum scan",
            "and the ground truth: DIR/data.npy, DIR/vacuum.npy, DIR/truth_*.npy, DIR/simulation.json. --help lists the options."},
        customSynopsis = "ltz4d simulate --out DIR [--dose N] [--scan Y,X] [--OPTION VALUE ...]")
public final class SimulateCommand extends ParameterisedCommand {
    public SimulateCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    List<ParameterSpec> parameters() {
        return SimulationSpec.parameterSpecs();
    }

    @Override
    String parameterTitle() {
        return "Simulation options:";
    }

    @Override
    int run(OptionTokens t) {
        if (!t.positional().isEmpty()) throw new InvalidParameterException(t.positional().get(0), "an option --NAME VALUE", t.positional().get(0));
        List<String> unknown = t.parameters().unknown(parameters());
        if (!unknown.isEmpty()) {
            throw new InvalidParameterException(unknown.get(0), "a simulation option (see 'ltz4d simulate --help')", null);
        }
        SimulationSpec s = SimulationSpec.fromParameters(t.parameters());
        simulate(ctx, s, out);
        ctx.out().println("simulated " + s.scanY() + "×" + s.scanX() + " positions of " + s.detY() + "×" + s.detX() + " px into " + out);
        return 0;
    }

    static void simulate(CliContext ctx, SimulationSpec s, Path dir) {
        ProgressListener p = ctx.progress();
        long total = s.frameCount();
        Simulator.write(s, dir, done -> p.update("simulate", done, total)); // done: positions finished so far
    }
}
