package org.ltz4d.cli.commands;

import java.util.List;
import org.ltz4d.cli.CliContext;

/** Names of installed plugins of one kind. */
final class Plugins {
    private Plugins() {
    }

    static List<String> names(CliContext ctx, String kind) {
        return ctx.engine().plugins().stream().filter(p -> p.kind().equals(kind)).map(p -> p.name()).sorted().toList();
    }
}
