package org.ltz4d.api.analysis;

import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import org.ltz4d.api.param.Parameters;

/**
 * One stage a pipeline can run, declared so that help texts, GUIs and the parameter check cover
 * every stage, not only those the given options enable: a short name used in messages
 * ({@code B}, {@code S(q)/PDF}), what it computes, the plugins (fitters, derivers, correlators) it
 * runs by name, which options enable it as text ({@code --vacuum FILE or --descan plane|parabola};
 * empty for a stage that always runs) and the same as a predicate on the user's parameters.
 *
 * <p>A parameter that only plugins of stages not enabled by the given options declare is answered
 * with the stage and what enables it. {@link #announced()} stages run by default once their input
 * is given (B needs a reference): without it the run goes on and skips them with one warning line
 * naming {@link #enabledBy()}; other optional stages are opt-in and skipped silently.
 */
public record Stage(String name, String description, List<String> plugins, String enabledBy, Predicate<Parameters> enabled,
        boolean announced) {

    public Stage {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        plugins = List.copyOf(plugins);
        Objects.requireNonNull(enabledBy, "enabledBy");
        Objects.requireNonNull(enabled, "enabled");
    }

    /** A stage that runs in every analysis of the pipeline. */
    public static Stage always(String name, String description, List<String> plugins) {
        return new Stage(name, description, plugins, "", p -> true, false);
    }

    /** An opt-in stage (e.g. S(q)/PDF with {@code --pdf}): skipped silently unless enabled. */
    public static Stage optIn(String name, String description, List<String> plugins, String enabledBy, Predicate<Parameters> enabled) {
        return new Stage(name, description, plugins, enabledBy, enabled, false);
    }

    /**
     * A stage expected by default that needs an input the user must give (B needs a reference):
     * without it, the run skips the stage with one warning naming {@code enabledBy}.
     */
    public static Stage needs(String name, String description, List<String> plugins, String enabledBy, Predicate<Parameters> enabled) {
        return new Stage(name, description, plugins, enabledBy, enabled, true);
    }

    /** Whether the stage runs for these parameters. */
    public boolean isEnabled(Parameters parameters) {
        return enabled.test(parameters);
    }

    /** Whether the stage runs in every analysis. */
    public boolean isAlways() {
        return enabledBy.isEmpty();
    }
}
