package org.ltz4d.api.error;

/**
 * A parameter of a pipeline stage that the given options do not enable, e.g. {@code --thickness-nm
 * is used for B, which needs --vacuum FILE or --descan plane|parabola}.
 */
public class StageNotEnabledException extends InvalidParameterException {
    private static final long serialVersionUID = 1L;
    private final String stage;
    private final String enabledBy;

    public StageNotEnabledException(String parameter, String stage, String enabledBy) {
        super(parameter, enabledBy + " (it is used for " + stage + ")", null);
        this.stage = stage;
        this.enabledBy = enabledBy;
    }

    @Override
    public String getMessage() {
        return "--" + parameter() + " is used for " + stage + ", which needs " + enabledBy;
    }

    /** The stage that would use the parameter. */
    public String stage() { return stage; }

    /** The options that enable the stage. */
    public String enabledBy() { return enabledBy; }
}
