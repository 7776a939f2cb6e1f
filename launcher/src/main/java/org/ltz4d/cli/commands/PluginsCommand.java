package org.ltz4d.cli.commands;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.ltz4d.api.engine.PluginInfo;
import org.ltz4d.cli.CliContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ltz4d plugins [--json]}, {@code plugins install FILE.jar}, {@code plugins update FILE.jar},
 * {@code plugins uninstall NAME}. Installing a bundle that is already in the plugin folder updates
 * it in place; every update and uninstall refreshes the framework's wiring before it returns.
 */
@Command(name = "plugins", mixinStandardHelpOptions = true,
        description = "List the plugins (readers, fitters, derivers, correlators, pipelines, phase retrievals) and their bundles.",
        subcommands = {PluginsCommand.Install.class, PluginsCommand.Update.class, PluginsCommand.Uninstall.class})
public final class PluginsCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Option(names = "--json", description = "Print a JSON list of {kind, name, bundle, version, state}; kinds include simulation and report.")
    boolean json;

    public PluginsCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        List<PluginInfo> list = new ArrayList<>(ctx.engine().plugins());
        list.addAll(ctx.services().plugins()); // simulations and reports are services front-ends call directly
        if (json) {
            ctx.out().println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(list));
        } else {
            ctx.out().printf("%-15s %-22s %-32s %-24s %s%n", "KIND", "NAME", "BUNDLE", "VERSION", "STATE");
            for (PluginInfo p : list) ctx.out().printf("%-15s %-22s %-32s %-24s %s%n", p.kind(), p.name(), p.bundle(), p.version(), p.state());
            ctx.out().println("plugin folder: " + ctx.plugins().dir());
        }
        return 0;
    }

    /** A subcommand taking one bundle jar; prints what it did. */
    abstract static class JarCommand implements Callable<Integer> {
        final CliContext ctx;

        @Parameters(index = "0", paramLabel = "FILE.jar")
        Path jar;

        JarCommand(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            ctx.out().println(apply());
            return 0;
        }

        abstract String apply();
    }

    /** Copies a bundle into the plugin folder and starts it (updating an installed one of the same name). */
    @Command(name = "install", mixinStandardHelpOptions = true, description = {"Add a plugin bundle (.jar) to the runtime's plugin folder and start it.",
        "A bundle of the same symbolic name already in the folder is updated in place."})
    public static final class Install extends JarCommand {
        public Install(CliContext ctx) {
            super(ctx);
        }

        @Override
        String apply() {
            var b = ctx.plugins().install(jar);
            return "installed " + b.getSymbolicName() + " " + b.getVersion() + " into " + ctx.plugins().dir();
        }
    }

    /** Replaces a bundle of the plugin folder with a new version of it. */
    @Command(name = "update", mixinStandardHelpOptions = true,
            description = "Update a plugin bundle of the plugin folder from a new jar of the same symbolic name, and restart it.")
    public static final class Update extends JarCommand {
        public Update(CliContext ctx) {
            super(ctx);
        }

        @Override
        String apply() {
            var b = ctx.plugins().update(jar);
            return "updated " + b.getSymbolicName() + " to " + b.getVersion() + " in " + ctx.plugins().dir();
        }
    }

    /** Stops and removes a bundle from the plugin folder. */
    @Command(name = "uninstall", mixinStandardHelpOptions = true, description = "Stop and remove a plugin bundle by symbolic name.")
    public static final class Uninstall implements Callable<Integer> {
        private final CliContext ctx;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        public Uninstall(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            var b = ctx.plugins().uninstall(name);
            ctx.out().println("uninstalled " + b.getSymbolicName() + " " + b.getVersion());
            return 0;
        }
    }
}
