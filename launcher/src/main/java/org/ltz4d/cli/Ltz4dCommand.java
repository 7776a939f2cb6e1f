package org.ltz4d.cli;

import java.io.PrintWriter;
import org.ltz4d.api.error.Ltz4dException;
import org.ltz4d.cli.commands.AnalyzeCommand;
import org.ltz4d.cli.commands.AnalyzeSeriesCommand;
import org.ltz4d.cli.commands.CalibrateCommand;
import org.ltz4d.cli.commands.CorrelateCommand;
import org.ltz4d.cli.commands.RegisterCommand;
import org.ltz4d.cli.commands.ReportCommand;
import org.ltz4d.cli.commands.DemoCommand;
import org.ltz4d.cli.commands.DpcPhaseCommand;
import org.ltz4d.cli.commands.GuiCommand;
import org.ltz4d.cli.commands.LtemCommand;
import org.ltz4d.cli.commands.InfoCommand;
import org.ltz4d.cli.commands.PluginsCommand;
import org.ltz4d.cli.commands.ShellCommand;
import org.ltz4d.cli.commands.SimulateCommand;
import org.ltz4d.cli.commands.ThicknessCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code ltz4d} command: subcommands, the one-line error handling and exit codes. */
@Command(name = "ltz4d", mixinStandardHelpOptions = true, versionProvider = Ltz4dCommand.Version.class,
        description = "Large-angle Lorentz 4D-STEM analysis: magnetic induction, strain, density and structure maps.",
        subcommands = {InfoCommand.class, AnalyzeCommand.class, PluginsCommand.class, SimulateCommand.class, DemoCommand.class,
            ShellCommand.class, CorrelateCommand.class, ReportCommand.class, LtemCommand.class, DpcPhaseCommand.class,
            GuiCommand.class, ThicknessCommand.class, CalibrateCommand.class, RegisterCommand.class,
            AnalyzeSeriesCommand.class})
public final class Ltz4dCommand implements Runnable {
    /** Exit codes. */
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int BUG = 3;

    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT, description = "Print stack traces of errors.")
    boolean debug;

    @Option(names = "--quiet", scope = CommandLine.ScopeType.INHERIT, description = "No progress output.")
    boolean quiet;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Builds the command line over a context (also used by the Gogo shell commands). */
    public static CommandLine commandLine(CliContext ctx) {
        CommandLine cl = new CommandLine(new Ltz4dCommand(), new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                try {
                    return cls.getConstructor(CliContext.class).newInstance(ctx);
                } catch (NoSuchMethodException e) {
                    return CommandLine.defaultFactory().create(cls);
                }
            }
        });
        cl.setUnmatchedOptionsArePositionalParams(true); // plugin parameters reach the commands as tokens
        cl.setOut(new PrintWriter(ctx.out(), true));
        cl.setErr(new PrintWriter(ctx.err(), true));
        cl.setExecutionStrategy(parse -> {
            for (CommandLine c : parse.asCommandLineList()) {
                if (c.getCommand() instanceof Ltz4dCommand top) ctx.quiet = top.quiet;
            }
            return new CommandLine.RunLast().execute(parse);
        });
        cl.setExecutionExceptionHandler((ex, cmd, parse) -> {
            boolean debug = parse.asCommandLineList().stream().anyMatch(c -> c.getCommand() instanceof Ltz4dCommand t && t.debug);
            if (debug) ex.printStackTrace(ctx.err());
            if (ex instanceof Ltz4dException) {
                ctx.err().println("ltz4d: " + ex.getMessage());
                return FAILED;
            }
            ctx.err().println("ltz4d: unexpected error: " + ex + (debug ? "" : " (run with --debug for details)"));
            return BUG;
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            ctx.err().println("ltz4d: " + ex.getMessage() + " (see '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            return USAGE;
        });
        return cl;
    }

    /** Version from the bundle. */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            var b = org.osgi.framework.FrameworkUtil.getBundle(Ltz4dCommand.class);
            return new String[] {"ltz4d " + (b == null ? "dev" : b.getVersion().toString())};
        }
    }
}
