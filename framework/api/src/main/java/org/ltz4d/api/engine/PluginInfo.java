package org.ltz4d.api.engine;

/**
 * One registered plugin: kind ({@code reader}, {@code fitter}, {@code deriver},
 * {@code correlator}, {@code pipeline}, {@code phase-retrieval}), name, providing bundle's
 * symbolic name and version, and the bundle's state ({@code active}, {@code resolved}...).
 */
public record PluginInfo(String kind, String name, String bundle, String version, String state) {

    /**
     * The name every front-end shows for an OSGi bundle state ({@code org.osgi.framework.Bundle}'s
     * constants): {@code active}, {@code resolved}, {@code installed}, {@code starting},
     * {@code stopping}, {@code uninstalled}; {@code unknown} for anything else.
     *
     * @since 1.5
     */
    public static String stateName(int bundleState) {
        // the values of Bundle.ACTIVE … Bundle.UNINSTALLED (fixed by the OSGi core specification), so the API needs no framework import
        return switch (bundleState) {
            case 32 -> "active";
            case 4 -> "resolved";
            case 2 -> "installed";
            case 8 -> "starting";
            case 16 -> "stopping";
            case 1 -> "uninstalled";
            default -> "unknown";
        };
    }
}
