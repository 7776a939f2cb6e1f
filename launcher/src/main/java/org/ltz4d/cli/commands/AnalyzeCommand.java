package org.ltz4d.cli.commands;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.ltz4d.api.engine.AnalysisRequest;
import org.ltz4d.api.engine.RunSummary;
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.api.param.ParameterSpec;
import org.ltz4d.cli.CliContext;
import org.ltz4d.cli.internal.OptionTokens;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ltz4d analyze FILE --pipeline NAME [options] --out DIR}. */
@Command(name = "analyze",
        description = {"Run an analysis pipeline over a dataset and write DIR/results.h5 and figures.",
            "Every other --option is a parameter of the pipeline's plugins; with --pipeline NAME, --help lists them."},
        customSynopsis = "ltz4d analyze FILE --pipeline NAME [--PARAMETER VALUE ...] --out DIR")
public final class AnalyzeCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Spec
    CommandSpec spec;

    @Option(names = "--pipeline", description = "Pipeline to run (see 'ltz4d plugins').")
    String pipeline;

    @Option(names = "--out", description = "Output folder (results appear only when complete).")
    Path out;

    @Option(names = {"-h", "--help"}, description = "Show this help, and the pipeline's parameters.")
    boolean help;

    @Parameters(arity = "0..*", hidden = true)
    List<String> rest = new ArrayList<>();

    public AnalyzeCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        if (help) {
            spec.commandLine().usage(ctx.out());
            if (pipeline != null) ParameterTable.print(ctx.out(), "Parameters of pipeline '" + pipeline + "':",
                    ctx.engine().pipelineParameters(pipeline, org.ltz4d.api.param.Parameters.empty()));
            else ctx.out().println("Pipelines: " + String.join(", ", Plugins.names(ctx, "pipeline")));
            return 0;
        }
        if (pipeline == null) throw new InvalidParameterException("pipeline", "one of: " + String.join(", ", Plugins.names(ctx, "pipeline")), null);
        if (out == null) throw new InvalidParameterException("out", "an output folder", null);
        List<ParameterSpec> specs = ctx.engine().pipelineParameters(pipeline, org.ltz4d.api.param.Parameters.empty());
        OptionTokens t = OptionTokens.parse(rest, ParameterTable.flags(specs)::contains);
        if (t.positional().size() != 1) {
            throw new InvalidParameterException("FILE", "exactly one dataset file", t.positional().isEmpty() ? "none" : String.join(" ", t.positional()));
        }
        Path file = Path.of(t.positional().get(0));
        RunSummary s = ctx.engine().analyze(new AnalysisRequest(file, pipeline, t.parameters(), out), ctx.progress(), ctx.newRun());
        Summaries.print(ctx, s);
        return 0;
    }
}
