/**
 * Bundle lifecycle for the plugin folder: install, update in place, uninstall, each followed by a
 * refresh of the framework's wiring. Private to the launcher (the in-framework tests carry a copy
 * of this package to test it inside a real Felix).
 */
package org.ltz4d.cli.bundles;
