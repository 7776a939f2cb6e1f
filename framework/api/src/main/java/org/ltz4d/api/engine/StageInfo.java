package org.ltz4d.api.engine;

import java.util.List;
import java.util.Objects;
import org.ltz4d.api.param.ParameterSpec;

/**
 * One stage of a pipeline as front-ends show it (help grouped by stage, GUIs): its name, what it
 * computes, the options that enable it (empty when it always runs), the plugins it runs and the
 * parameters those declare (each parameter under the first stage that declares it).
 */
public record StageInfo(String name, String description, String enabledBy, List<String> plugins, List<ParameterSpec> parameters) {
    public StageInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(enabledBy, "enabledBy");
        plugins = List.copyOf(plugins);
        parameters = List.copyOf(parameters);
    }
}
