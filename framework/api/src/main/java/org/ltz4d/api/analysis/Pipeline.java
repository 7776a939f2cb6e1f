package org.ltz4d.api.analysis;

import java.util.List;
import org.ltz4d.api.param.ParameterSpec;
import org.ltz4d.api.param.Parameters;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A named analysis ({@code ltz4d analyze --pipeline NAME}): which fitters, derivers and
 * correlators run, by name, possibly depending on the parameters (e.g. {@code --pdf} adds stages).
 * Plugins stay unaware of each other; the pipeline only names them.
 */
@ConsumerType
public interface Pipeline {

    String name();

    String description();

    /** Parameters of the pipeline itself (switches such as {@code pdf}). */
    default List<ParameterSpec> parameters() {
        return List.of();
    }

    Plan plan(Parameters parameters);

    /**
     * Every stage this pipeline can run, in order, whether or not given parameters enable it (for
     * help grouped by stage, GUIs and the parameter check). The plan must run exactly the plugins
     * of the stages that {@link Stage#isEnabled} for its parameters. Default: none declared, and
     * only the plugins of {@link #plan} for the given parameters are known.
     *
     * @since 1.1
     */
    default List<Stage> stages() {
        return List.of();
    }
}
