package org.ltz4d.cli.commands;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ltz4d.api.data.Simulation;
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.api.param.ParameterSpec;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.cli.CliContext;
import org.ltz4d.cli.internal.OptionTokens;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ltz4d simulate --out DIR [--dose N] [--scan Y,X] ...}: an LA-Ltz-4D-STEM dataset with known fields, from the simulation service. */
@Command(name = "simulate",
        description = {"Simulate a large-angle Lorentz 4D-STEM dataset with known B, strain and density, the matching vacuum scan",
            "and the ground truth: DIR/data.npy, DIR/vacuum.npy, DIR/truth_*.npy, DIR/simulation.json. --help lists the options."},
        customSynopsis = "ltz4d simulate --out DIR [--dose N] [--scan Y,X] [--OPTION VALUE ...]")
public final class SimulateCommand extends ParameterisedCommand {
    /** The simulation {@code simulate} and {@code demo} use unless told otherwise. */
    static final String DEFAULT = "amorphous";

    @Option(names = "--simulation", defaultValue = DEFAULT, description = "Simulation service to use (see 'ltz4d plugins'; default: ${DEFAULT-VALUE}).")
    String simulation = DEFAULT;

    public SimulateCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    List<ParameterSpec> parameters() {
        return ctx.services().withSimulation(simulation, Simulation::parameters);
    }

    @Override
    String parameterTitle() {
        return "Simulation options:";
    }

    @Override
    int run(OptionTokens t) {
        if (!t.positional().isEmpty()) throw new InvalidParameterException(t.positional().get(0), "an option --NAME VALUE", t.positional().get(0));
        Parameters p = t.parameters();
        simulate(ctx, simulation, p, out);
        ctx.out().println("simulated " + value(ctx, simulation, p, "scan").replace(",", "×") + " positions of "
                + value(ctx, simulation, p, "detector").replace(",", "×") + " px into " + out);
        return 0;
    }

    /** Writes a simulation into {@code dir} after checking every option name against its declarations; returns the files by role. */
    static Map<String, Path> simulate(CliContext ctx, String simulation, Parameters p, Path dir) {
        return ctx.services().withSimulation(simulation, s -> {
            List<String> unknown = p.unknown(s.parameters());
            if (!unknown.isEmpty()) {
                throw new InvalidParameterException(unknown.get(0), "a simulation option (see 'ltz4d simulate --help')", null);
            }
            return s.write(p, dir, ctx.progress());
        });
    }

    /** An option's value as given, else its declared default (empty when it has none). */
    static String value(CliContext ctx, String simulation, Parameters p, String name) {
        return p.string(name).orElseGet(() -> ctx.services().withSimulation(simulation, s -> s.parameters().stream()
                .filter(spec -> spec.name().equals(name) && spec.defaultValue() != null).map(ParameterSpec::defaultValue)
                .findFirst().orElse("")));
    }
}
