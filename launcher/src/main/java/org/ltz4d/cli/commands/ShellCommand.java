package org.ltz4d.cli.commands;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.ltz4d.cli.CliContext;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import picocli.CommandLine.Command;

/**
 * {@code ltz4d shell}: an interactive Gogo shell inside the running runtime, with every ltz4d
 * command of the command line but {@code shell} itself (the same implementations), and Gogo's
 * own ({@code lb}, {@code start}, {@code stop}, {@code install}, {@code uninstall}, {@code update})
 * to swap bundles while it runs.
 */
@Command(name = "shell", mixinStandardHelpOptions = true,
        description = "Interactive Gogo shell with the ltz4d commands and bundle management (lb, start, stop, install, update).")
public final class ShellCommand implements Callable<Integer> {
    private final CliContext ctx;

    public ShellCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        BundleContext bc = FrameworkUtil.getBundle(ShellCommand.class).getBundleContext();
        ServiceReference<CommandProcessor> ref = bc.getServiceReference(CommandProcessor.class);
        if (ref == null) throw new org.ltz4d.api.error.Ltz4dException("the Gogo runtime is not running");
        CommandProcessor processor = bc.getService(ref);
        // Gogo routes System.out per thread to the running session: the session itself must write to
        // the real terminal, or its output would loop back into it.
        java.io.PrintStream terminalOut = new java.io.PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true);
        java.io.PrintStream terminalErr = new java.io.PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true);
        try (CommandSession session = processor.createSession(System.in, terminalOut, terminalErr)) {
            ctx.out().println("ltz4d shell — ltz4d commands: " + String.join(", ", org.ltz4d.cli.internal.GogoCommands.commands(ctx))
                    + "; bundles: lb, start, stop, install, update, uninstall; 'exit' to leave.");
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            while (true) {
                ctx.out().print("ltz4d> ");
                ctx.out().flush();
                String line = in.readLine();
                if (line == null || line.trim().equals("exit") || line.trim().equals("quit")) break;
                if (line.isBlank()) continue;
                try {
                    Object r = session.execute(line);
                    if (r != null && !(r instanceof Integer)) ctx.out().println(session.format(r, org.apache.felix.service.command.Converter.INSPECT));
                } catch (Exception e) {
                    Throwable t = e;
                    while ((t instanceof java.lang.reflect.InvocationTargetException || t.getMessage() == null) && t.getCause() != null) {
                        t = t.getCause();
                    }
                    ctx.err().println("ltz4d: " + (t.getMessage() != null ? t.getMessage() : t.toString()));
                }
            }
        } finally {
            bc.ungetService(ref);
        }
        return 0;
    }
}
