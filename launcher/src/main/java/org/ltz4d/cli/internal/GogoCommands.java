package org.ltz4d.cli.internal;

import java.util.ArrayList;
import java.util.List;
import org.ltz4d.api.engine.Engine;
import org.ltz4d.cli.CliContext;
import org.ltz4d.cli.Ltz4dCommand;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The same commands as the command line, in the Gogo shell (scope {@code ltz4d}). */
@Component(service = GogoCommands.class, property = {"osgi.command.scope=ltz4d", "osgi.command.function=info",
    "osgi.command.function=analyze", "osgi.command.function=plugins", "osgi.command.function=simulate", "osgi.command.function=demo"})
public class GogoCommands {
    @Reference
    Engine engine;

    private CliContext ctx;

    @Activate
    void activate(BundleContext context) {
        ctx = new CliContext(engine, new PluginFolder(context), System.out, System.err, false);
    }

    private int run(String command, String... args) {
        List<String> a = new ArrayList<>();
        a.add(command);
        a.addAll(List.of(args));
        return Ltz4dCommand.commandLine(ctx).execute(a.toArray(String[]::new));
    }

    public int info(String... args) { return run("info", args); }

    public int analyze(String... args) { return run("analyze", args); }

    public int plugins(String... args) { return run("plugins", args); }

    public int simulate(String... args) { return run("simulate", args); }

    public int demo(String... args) { return run("demo", args); }
}
