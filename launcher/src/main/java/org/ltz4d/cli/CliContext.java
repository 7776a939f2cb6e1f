package org.ltz4d.cli;

import java.io.PrintStream;
import org.ltz4d.api.engine.Cancellation;
import org.ltz4d.api.engine.Engine;
import org.ltz4d.api.engine.ProgressListener;
import org.ltz4d.cli.internal.FrontEndServices;
import org.ltz4d.cli.internal.PluginFolder;
import org.ltz4d.cli.internal.TerminalProgress;

/**
 * What every command needs: the engine, the other services front-ends use (simulations, reports),
 * the plugin folder, the output streams, progress, and the cancellation of the current run (Ctrl-C).
 * Commands reach plugins only through these services, never through plugin classes.
 */
public final class CliContext {
    private final Engine engine;
    private final PluginFolder plugins;
    private final FrontEndServices services;
    private final PrintStream out;
    private final PrintStream err;
    private final boolean tty;
    private volatile Cancellation current = new Cancellation();
    boolean quiet;

    public CliContext(Engine engine, PluginFolder plugins, FrontEndServices services, PrintStream out, PrintStream err, boolean tty) {
        this.engine = engine;
        this.plugins = plugins;
        this.services = services;
        this.out = out;
        this.err = err;
        this.tty = tty;
    }

    public Engine engine() { return engine; }

    public PluginFolder plugins() { return plugins; }

    public FrontEndServices services() { return services; }

    public PrintStream out() { return out; }

    public PrintStream err() { return err; }

    public ProgressListener progress() {
        return new TerminalProgress(err, tty, quiet);
    }

    /** A fresh cancellation token for a run; Ctrl-C cancels it. */
    public Cancellation newRun() {
        current = new Cancellation();
        return current;
    }

    public void cancelRun(String why) {
        current.cancel(why);
    }
}
