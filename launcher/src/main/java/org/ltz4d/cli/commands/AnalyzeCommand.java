package org.ltz4d.cli.commands;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.ltz4d.api.engine.AnalysisRequest;
import org.ltz4d.api.engine.RunSummary;
import org.ltz4d.api.engine.StageInfo;
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.api.param.ParameterSpec;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.cli.CliContext;
import org.ltz4d.cli.internal.OptionTokens;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ltz4d analyze FILE --pipeline NAME [options] --out DIR}. */
@Command(name = "analyze",
        description = {"Run an analysis pipeline over a dataset and write DIR/results.h5 and figures.",
            "Every other --option is a parameter of the pipeline's plugins; with --pipeline NAME, --help lists them."},
        customSynopsis = "ltz4d analyze FILE --pipeline NAME [--PARAMETER VALUE ...] --out DIR")
public class AnalyzeCommand extends ParameterisedCommand {
    @Option(names = "--pipeline", description = "Pipeline to run (see 'ltz4d plugins').")
    String pipeline;

    public AnalyzeCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    List<ParameterSpec> parameters() {
        if (pipeline == null) {
            throw new InvalidParameterException("pipeline", "one of: " + String.join(", ", Plugins.names(ctx, "pipeline")), null);
        }
        List<ParameterSpec> all = new ArrayList<>(ctx.engine().pipelineParameters(pipeline, Parameters.empty()));
        for (StageInfo s : ctx.engine().stages(pipeline)) all.addAll(s.parameters()); // every stage's switches parse as switches
        return all;
    }

    /** The common parameters, then every stage the pipeline can run with its own parameters and what enables it. */
    @Override
    void printParameters() {
        List<StageInfo> stages = ctx.engine().stages(pipeline);
        if (stages.isEmpty()) {
            super.printParameters();
            return;
        }
        Set<String> staged = new HashSet<>();
        stages.forEach(s -> s.parameters().forEach(p -> staged.add(p.name())));
        ParameterTable.print(ctx.out(), "Parameters of pipeline '" + pipeline + "' common to every stage:", ctx.engine().pipelineParameters(pipeline,
                Parameters.empty()).stream().filter(p -> !staged.contains(p.name())).toList());
        for (StageInfo s : stages) {
            ParameterTable.print(ctx.out(), "Stage " + s.name() + ": " + s.description() + " — "
                    + (s.enabledBy().isEmpty() ? "always runs" : "enabled by " + s.enabledBy()) + ":", s.parameters());
        }
    }

    @Override
    boolean canListParameters() {
        return pipeline != null;
    }

    @Override
    void helpWithoutParameters() {
        ctx.out().println("Pipelines: " + String.join(", ", Plugins.names(ctx, "pipeline")));
    }

    @Override
    String parameterTitle() {
        return "Parameters of pipeline '" + pipeline + "':";
    }

    @Override
    int run(OptionTokens t) {
        Path file = Path.of(single(t, "FILE", "exactly one dataset file"));
        RunSummary s = ctx.engine().analyze(new AnalysisRequest(file, pipeline, t.parameters(), out), ctx.progress(), ctx.newRun());
        Summaries.print(ctx, s);
        return 0;
    }
}
