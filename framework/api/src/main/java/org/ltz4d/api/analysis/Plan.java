package org.ltz4d.api.analysis;

import java.util.List;

/**
 * The stages of one analysis, by plugin name: passes of fitters over the data (fitters of one
 * pass run together on each frame, a later one seeing the earlier ones' values; a later pass sees
 * the whole results of the earlier ones), then derivers, then correlators, in order.
 */
public record Plan(List<List<String>> passes, List<String> derivers, List<String> correlators) {
    public Plan {
        passes = passes.stream().map(List::copyOf).toList();
        derivers = List.copyOf(derivers);
        correlators = List.copyOf(correlators);
        if (passes.isEmpty() || passes.stream().anyMatch(List::isEmpty)) {
            throw new IllegalArgumentException("a plan needs at least one pass with at least one fitter");
        }
    }
}
