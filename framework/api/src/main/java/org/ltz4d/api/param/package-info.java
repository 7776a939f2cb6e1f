/**
 * User parameters: {@link org.ltz4d.api.param.ParameterSpec} declares a parameter once (name,
 * unit, default, range, choices) so the CLI, a GUI and the provenance record render and check it
 * from the same place; {@link org.ltz4d.api.param.Parameters} holds the user's values and parses
 * them, throwing {@link org.ltz4d.api.error.InvalidParameterException} naming the parameter.
 * <p>
 * The one file-system check here ({@link org.ltz4d.api.param.Parameters#existingFile}, used for
 * {@code FILE} parameters by {@link org.ltz4d.api.param.Parameters#checkAgainst}) is part of the
 * contract: a declared {@code FILE} parameter promises every front-end the same check and the same
 * error before a run starts, wherever the parameter came from.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.ltz4d.api.param;
