package org.ltz4d.api.error;

/**
 * A plugin failed (threw, or went away while it was in use). The engine wraps what the plugin
 * threw so that one broken plugin never takes the runtime down.
 */
public class PluginException extends Ltz4dException {
    private static final long serialVersionUID = 1L;
    private final String plugin;

    public PluginException(String plugin, String message, Throwable cause) {
        super("plugin '" + plugin + "': " + message, cause);
        this.plugin = plugin;
    }

    /** Name of the plugin (fitter, deriver, correlator, reader) at fault. */
    public String plugin() { return plugin; }
}
