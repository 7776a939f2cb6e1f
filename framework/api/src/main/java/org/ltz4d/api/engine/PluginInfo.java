package org.ltz4d.api.engine;

/**
 * One registered plugin: kind ({@code reader}, {@code fitter}, {@code deriver},
 * {@code correlator}, {@code pipeline}, {@code phase-retrieval}), name, providing bundle's
 * symbolic name and version, and the bundle's state ({@code active}, {@code resolved}...).
 */
public record PluginInfo(String kind, String name, String bundle, String version, String state) {
}
