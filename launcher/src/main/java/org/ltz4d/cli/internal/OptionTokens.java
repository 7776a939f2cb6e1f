package org.ltz4d.cli.internal;

import java.util.List;
import java.util.function.Predicate;
import org.ltz4d.api.param.Parameters;

/**
 * Turns the free part of a command line into positional arguments and plugin parameters, as
 * {@link org.ltz4d.api.param.OptionTokens} (shared with the Spark runner) does:
 * {@code --name value}, {@code --name=value}, {@code --flag} for declared switches, a repeated
 * option as a comma-separated list.
 */
public final class OptionTokens {
    private final org.ltz4d.api.param.OptionTokens tokens;

    private OptionTokens(org.ltz4d.api.param.OptionTokens tokens) {
        this.tokens = tokens;
    }

    public static OptionTokens parse(List<String> tokens, Predicate<String> isFlag) {
        return new OptionTokens(org.ltz4d.api.param.OptionTokens.parse(tokens, isFlag));
    }

    public List<String> positional() {
        return tokens.positional();
    }

    public Parameters parameters() {
        return tokens.parameters();
    }
}
