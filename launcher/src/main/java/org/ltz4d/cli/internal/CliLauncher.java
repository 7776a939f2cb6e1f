package org.ltz4d.cli.internal;

import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ltz4d.api.engine.Engine;
import org.ltz4d.cli.CliContext;
import org.ltz4d.cli.Ltz4dCommand;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Connects the runnable jar's command line to the runtime: bnd's launcher registers itself with
 * the program arguments ({@code launcher.arguments}) and calls a {@code Callable} registered with
 * {@code main.thread=true} on the main thread, exiting with its return value.
 */
@Component(immediate = true)
public class CliLauncher {
    @Reference
    Engine engine;

    private String[] args = new String[0];
    private ServiceRegistration<?> registration;

    @Reference(target = "(launcher.arguments=*)", service = Object.class)
    void setLauncher(Object launcher, Map<String, Object> properties) {
        Object a = properties.get("launcher.arguments");
        if (a instanceof String[] s) args = s;
    }

    @Activate
    void activate(BundleContext context) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("main.thread", Boolean.TRUE);
        registration = context.registerService(Callable.class, new Main(context, engine, args), props);
    }

    @Deactivate
    void deactivate() {
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the framework is stopping
        }
    }

    /** A named class (not a lambda): the launcher checks by reflection that call() returns Integer. */
    public static final class Main implements Callable<Integer> {
        private final BundleContext context;
        private final Engine engine;
        private final String[] args;

        Main(BundleContext context, Engine engine, String[] args) {
            this.context = context;
            this.engine = engine;
            this.args = args;
        }

        @Override
        public Integer call() {
            waitForStartup();
            PluginFolder folder = new PluginFolder(context);
            CliContext ctx = new CliContext(engine, folder, new FrontEndServices(context), System.out, System.err, System.console() != null);
            for (String problem : folder.installAll()) System.err.println("ltz4d: warning: " + problem);
            Thread hook = new Thread(() -> ctx.cancelRun("interrupted (Ctrl-C)"), "ltz4d-interrupt");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                return Ltz4dCommand.commandLine(ctx).execute(args);
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the JVM is already exiting
                }
            }
        }

        /** Waits (at most 20 s) until every bundle that can start has started, so all plugins are registered. */
        private void waitForStartup() {
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (System.nanoTime() < deadline) {
                boolean starting = false;
                for (Bundle b : context.getBundles()) {
                    if (b.getState() == Bundle.STARTING) starting = true;
                    if (b.getState() == Bundle.RESOLVED && b.getHeaders().get("Fragment-Host") == null
                            && b.getHeaders().get("Bundle-ActivationPolicy") == null && b.getBundleId() != 0) {
                        starting = true;
                    }
                }
                if (!starting) return;
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
