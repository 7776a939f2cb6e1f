package org.ltz4d.cli.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.api.param.Parameters;

/**
 * Turns the free part of a command line into positional arguments and plugin parameters:
 * {@code --name value}, {@code --name=value}, and {@code --flag} for parameters the plugins
 * declare as switches. A repeated option (e.g. {@code --structure A.cif --structure B.cif})
 * becomes a comma-separated list. The engine checks every name and value against the plugins'
 * declarations, so nothing here knows any plugin.
 */
public final class OptionTokens {
    private final List<String> positional;
    private final Parameters parameters;

    private OptionTokens(List<String> positional, Parameters parameters) {
        this.positional = positional;
        this.parameters = parameters;
    }

    public static OptionTokens parse(List<String> tokens, Predicate<String> isFlag) {
        List<String> pos = new ArrayList<>();
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < tokens.size(); i++) {
            String t = tokens.get(i);
            if (t.startsWith("--") && t.length() > 2) {
                String name = t.substring(2);
                String value;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                } else if (isFlag.test(name)) {
                    value = "true";
                } else if (i + 1 < tokens.size() && !isOption(tokens.get(i + 1))) {
                    value = tokens.get(++i);
                } else {
                    throw new InvalidParameterException(name, "a value after --" + name, null);
                }
                params.merge(name, value, (a, b) -> a + "," + b);
            } else {
                pos.add(t);
            }
        }
        return new OptionTokens(pos, Parameters.of(params));
    }

    /** "--x" is an option; "-3.5" or "-1,2" are values. */
    private static boolean isOption(String s) {
        return s.startsWith("--") && s.length() > 2;
    }

    public List<String> positional() {
        return positional;
    }

    public Parameters parameters() {
        return parameters;
    }
}
