package org.ltz4d.cli.internal;

import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Function;
import org.ltz4d.api.engine.Engine;
import org.ltz4d.cli.CliContext;
import org.ltz4d.cli.Ltz4dCommand;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The command line's commands in the Gogo shell (scope {@code ltz4d}): one Gogo function per
 * subcommand of {@link Ltz4dCommand} (all but {@code shell}), each running the very same picocli
 * command, so the shell and the command line cannot drift apart.
 */
@Component(immediate = true)
public class GogoCommands {
    public static final String SCOPE = "ltz4d";

    @Reference
    Engine engine;

    private final List<ServiceRegistration<Function>> registrations = new ArrayList<>();

    @Activate
    void activate(BundleContext context) {
        CliContext ctx = new CliContext(engine, new PluginFolder(context), new FrontEndServices(context), System.out, System.err, false);
        for (String name : commands(ctx)) {
            Hashtable<String, Object> props = new Hashtable<>();
            props.put("osgi.command.scope", SCOPE);
            props.put("osgi.command.function", name);
            registrations.add(context.registerService(Function.class, new Command(ctx, name), props));
        }
    }

    @Deactivate
    void deactivate() {
        for (ServiceRegistration<Function> r : registrations) {
            try {
                r.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework is stopping
            }
        }
        registrations.clear();
    }

    /** The names of the command line's subcommands that make sense inside the shell (all but {@code shell} and {@code gui}, which serves until Ctrl-C). */
    public static List<String> commands(CliContext ctx) {
        return Ltz4dCommand.commandLine(ctx).getSubcommands().keySet().stream().filter(n -> !n.equals("shell") && !n.equals("gui")).toList();
    }

    /** One command: Gogo's arguments become the picocli arguments after the command's name. */
    private record Command(CliContext ctx, String name) implements Function {
        @Override
        public Object execute(CommandSession session, List<Object> arguments) {
            List<String> a = new ArrayList<>();
            a.add(name);
            for (Object o : arguments) a.add(String.valueOf(o));
            return Ltz4dCommand.commandLine(ctx).execute(a.toArray(String[]::new));
        }
    }
}
