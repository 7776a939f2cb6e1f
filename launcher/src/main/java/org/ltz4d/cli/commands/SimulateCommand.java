package org.ltz4d.cli.commands;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.ltz4d.api.engine.ProgressListener;
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.api.param.ParameterSpec;
import org.ltz4d.cli.CliContext;
import org.ltz4d.cli.internal.OptionTokens;
import org.ltz4d.simulator.SimulationSpec;
import org.ltz4d.simulator.Simulator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ltz4d simulate --out DIR [--dose N] [--scan Y,X] ...}: an LA-Ltz-4D-STEM dataset with known fields. */
@Command(name = "simulate",
        description = {"Simulate a large-angle Lorentz 4D-STEM dataset with known B, strain and density, the matching vacuum scan",
            "and the ground truth: DIR/data.npy, DIR/vacuum.npy, DIR/truth_*.npy, DIR/simulation.json. --help lists the options."},
        customSynopsis = "ltz4d simulate --out DIR [--dose N] [--scan Y,X] [--OPTION VALUE ...]")
public final class SimulateCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Spec
    CommandSpec spec;

    @Option(names = "--out", description = "Output folder.")
    Path out;

    @Option(names = {"-h", "--help"}, description = "Show this help and every simulation option.")
    boolean help;

    @Parameters(arity = "0..*", hidden = true)
    List<String> rest = new ArrayList<>();

    public SimulateCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        if (help) {
            spec.commandLine().usage(ctx.out());
            ParameterTable.print(ctx.out(), "Simulation options:", SimulationSpec.parameterSpecs());
            return 0;
        }
        if (out == null) throw new InvalidParameterException("out", "an output folder", null);
        List<ParameterSpec> specs = SimulationSpec.parameterSpecs();
        OptionTokens t = OptionTokens.parse(rest, ParameterTable.flags(specs)::contains);
        if (!t.positional().isEmpty()) throw new InvalidParameterException(t.positional().get(0), "an option --NAME VALUE", t.positional().get(0));
        List<String> unknown = t.parameters().unknown(specs);
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
