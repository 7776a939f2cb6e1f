package org.ltz4d.web;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.List;
import javax.servlet.Servlet;
import org.ltz4d.api.engine.Engine;
import org.ltz4d.api.engine.PluginInfo;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.ServiceRegistration;

/**
 * Starts the web workbench inside the running framework: registers its servlet with the OSGi HTTP
 * Whiteboard and installs the Felix HTTP Jetty bundle carried inside this bundle, configured
 * (through framework/system properties, read by Felix HTTP at its start) to listen on the given
 * address and port only. Front-ends call {@link #start}; nothing listens before.
 */
public final class Workbench implements AutoCloseable {
    /** What the workbench needs from its front-end besides the engine: the other plugins it lists and the plugin folder. */
    public interface Host {
        /** Plugins front-ends reach besides the engine's (simulations, reports), as {@code ltz4d plugins} lists them. */
        List<PluginInfo> extraPlugins();

        Bundle install(Path jar);

        Bundle update(Path jar);

        Bundle uninstall(String symbolicName);
    }

    /** Where to listen, which folders may be read and written, the access token, the upload limit. */
    public record Config(String bind, int port, List<Path> roots, String token, long maxUploadBytes) {
        public Config {
            roots = List.copyOf(roots);
            if (token == null || token.length() < 16) throw new IllegalArgumentException("the access token must have at least 16 characters");
        }
    }

    private final ServiceRegistration<Servlet> servlet;
    private final Bundle http;
    private final URI url;

    private Workbench(ServiceRegistration<Servlet> servlet, Bundle http, URI url) {
        this.servlet = servlet;
        this.http = http;
        this.url = url;
    }

    /**
     * Starts the server and waits (at most 30 s) until the page answers.
     *
     * @throws IllegalStateException when the server cannot start (port in use...)
     */
    public static Workbench start(BundleContext context, Engine engine, Host host, Config config) throws IOException {
        Roots roots = new Roots(config.roots());
        int port = config.port() == 0 ? freePort(config.bind()) : config.port();
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("osgi.http.whiteboard.servlet.pattern", "/*");
        props.put("osgi.http.whiteboard.servlet.name", "ltz4d-workbench");
        props.put("osgi.http.whiteboard.servlet.asyncSupported", Boolean.TRUE);
        ServiceRegistration<Servlet> reg = context.registerService(Servlet.class,
                new ApiServlet(engine, host, context, roots, config.token(), config.maxUploadBytes()), props);
        System.setProperty("org.osgi.service.http.port", Integer.toString(port));
        System.setProperty("org.apache.felix.http.host", config.bind());
        System.setProperty("org.apache.felix.http.enable", "true");
        System.setProperty("org.apache.felix.https.enable", "false");
        System.setProperty("org.apache.felix.http.jetty.sendServerHeader", "false");
        Bundle http = null;
        for (Bundle b : context.getBundles()) {
            if ("org.apache.felix.http.jetty".equals(b.getSymbolicName())) http = b;
        }
        try {
            if (http == null) {
                try (InputStream in = Workbench.class.getResourceAsStream("/runtime/felix-http-jetty.jar")) {
                    if (in == null) throw new IllegalStateException("the HTTP server bundle is missing from " + context.getBundle().getSymbolicName());
                    http = context.installBundle("ltz4d:felix-http-jetty", in);
                }
            }
            http.start(Bundle.START_TRANSIENT);
        } catch (BundleException e) {
            reg.unregister();
            throw new IllegalStateException("the HTTP server does not start: " + e.getMessage(), e);
        }
        String host4url = config.bind().contains(":") ? "[" + config.bind() + "]" : config.bind();
        URI url = URI.create("http://" + (config.bind().equals("0.0.0.0") ? "127.0.0.1" : host4url) + ":" + port + "/");
        waitUntilServing(url, config.token());
        return new Workbench(reg, http, url);
    }

    private static int freePort(String bind) throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(bind))) {
            return s.getLocalPort();
        }
    }

    private static void waitUntilServing(URI url, String token) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            try {
                HttpURLConnection c = (HttpURLConnection) url.resolve("/api/roots").toURL().openConnection();
                c.setRequestProperty(ApiServlet.HEADER, token);
                c.setConnectTimeout(1000);
                c.setReadTimeout(5000);
                int code = c.getResponseCode();
                c.disconnect();
                if (code == 200) return;
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) throw new IllegalStateException("the web server did not answer at " + url + " within 30 s");
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting the web server", e);
            }
        }
    }

    /** The page's address (without the token). */
    public URI url() {
        return url;
    }

    @Override
    public void close() {
        try {
            servlet.unregister();
        } catch (IllegalStateException gone) {
            // the framework is stopping
        }
        try {
            http.stop();
        } catch (BundleException | IllegalStateException e) {
            // stopping anyway
        }
    }
}
