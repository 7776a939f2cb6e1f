package org.ltz4d.cli.commands;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.ltz4d.api.engine.PluginInfo;
import org.ltz4d.cli.CliContext;
import org.ltz4d.web.Workbench;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ltz4d gui}: starts the web workbench in this runtime and prints, on a line of its own, the
 * URL with a fresh access token; runs until interrupted (Ctrl-C).
 */
@Command(name = "gui", mixinStandardHelpOptions = true,
        description = {"Start the web workbench: browse and open datasets, virtual images, patterns, run pipelines, results, plugins.",
            "Prints the URL http://127.0.0.1:PORT/?token=TOKEN (a fresh token each time) and serves until Ctrl-C."})
public final class GuiCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Option(names = "--port", defaultValue = "8765", description = "TCP port (0: any free port; default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--root", paramLabel = "DIR", description = "A folder the page may browse, read and write under (repeatable; default the current folder).")
    List<Path> roots = new ArrayList<>();

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address to listen on (default ${DEFAULT-VALUE}: this machine only).")
    String bind;

    @Option(names = "--open", description = "Also open the page in the desktop's browser.")
    boolean open;

    @Option(names = "--max-upload-mb", defaultValue = "64", description = "Largest bundle accepted by upload, in MiB (default ${DEFAULT-VALUE}).")
    long maxUploadMb;

    public GuiCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--port: expected 0..65535, got " + port);
        if (maxUploadMb <= 0) throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--max-upload-mb: expected a positive size in MiB, got " + maxUploadMb);
        List<Path> r = roots.isEmpty() ? List.of(Path.of("").toAbsolutePath()) : roots.stream().map(p -> p.toAbsolutePath()).toList();
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        String token = HexFormat.of().formatHex(secret);
        Workbench.Host host = new Workbench.Host() {
            @Override
            public List<PluginInfo> extraPlugins() {
                return ctx.services().plugins();
            }

            @Override
            public Bundle install(Path jar) {
                return ctx.plugins().install(jar);
            }

            @Override
            public Bundle update(Path jar) {
                return ctx.plugins().update(jar);
            }

            @Override
            public Bundle uninstall(String symbolicName) {
                return ctx.plugins().uninstall(symbolicName);
            }
        };
        Workbench wb;
        try {
            wb = Workbench.start(FrameworkUtil.getBundle(GuiCommand.class).getBundleContext(), ctx.engine(), host,
                    new Workbench.Config(bind, port, r, token, maxUploadMb << 20));
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new org.ltz4d.api.error.Ltz4dException("gui: " + e.getMessage());
        }
        String url = wb.url() + "?token=" + token;
        ctx.out().println(url);
        ctx.out().flush();
        ctx.err().println("ltz4d: serving " + String.join(", ", r.stream().map(Path::toString).toList()) + " at " + wb.url() + " (Ctrl-C to stop)");
        if (open) openBrowser(url);
        CountDownLatch stop = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            wb.close();
            stop.countDown();
        }, "ltz4d-gui-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        stop.await();
        return 0;
    }

    private void openBrowser(String url) {
        for (List<String> cmd : List.of(List.of("xdg-open", url), List.of("open", url), List.of("cmd", "/c", "start", url))) {
            try {
                new ProcessBuilder(cmd).inheritIO().start();
                return;
            } catch (java.io.IOException notThisOne) {
                // try the next opener
            }
        }
        ctx.err().println("ltz4d: warning: no browser opener found (xdg-open, open); open the URL above yourself");
    }
}
