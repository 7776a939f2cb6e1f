package org.ltz4d.cli.commands;

import java.nio.file.Path;
import java.util.List;
import org.ltz4d.api.engine.RunSummary;
import org.ltz4d.api.param.ParameterSpec;
import org.ltz4d.cli.CliContext;
import org.ltz4d.cli.internal.OptionTokens;
import picocli.CommandLine.Command;

/** {@code ltz4d dpc-phase RESULTS.h5 --out DIR}: integrate a 4D-STEM deflection map into a phase (the phase retrieval {@code dpc-phase}). */
@Command(name = "dpc-phase", description = "Integrate the deflection map of a results.h5 into a phase (Fourier, mirror padding).",
        customSynopsis = "ltz4d dpc-phase RESULTS.h5 --out DIR [--PARAMETER VALUE ...]")
public final class DpcPhaseCommand extends ParameterisedCommand {
    static final String METHOD = "dpc-phase";

    public DpcPhaseCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    List<ParameterSpec> parameters() {
        return ctx.engine().phaseRetrievalParameters(METHOD);
    }

    @Override
    String parameterTitle() {
        return "Parameters:";
    }

    @Override
    int run(OptionTokens t) {
        Path results = Path.of(single(t, "RESULTS.h5", "one results file"));
        RunSummary s = ctx.engine().retrievePhase(results, METHOD, t.parameters(), out, ctx.progress());
        Summaries.print(ctx, s);
        return 0;
    }
}
