package org.ltz4d.api.error;

/** A user parameter is missing, unknown, of the wrong type or outside its range. */
public class InvalidParameterException extends Ltz4dException {
    private static final long serialVersionUID = 1L;
    private final String parameter;

    public InvalidParameterException(String parameter, String expected, String found) {
        super("parameter --" + parameter + ": expected " + expected + (found == null ? "" : ", found '" + found + "'"));
        this.parameter = parameter;
    }

    /** The parameter's name, as on the command line without the leading dashes. */
    public String parameter() { return parameter; }
}
