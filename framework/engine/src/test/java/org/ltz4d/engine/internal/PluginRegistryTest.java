package org.ltz4d.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ltz4d.api.analysis.AnalysisContext;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.analysis.QuantityDeriver;
import org.ltz4d.api.error.PluginException;
import org.ltz4d.engine.internal.PluginRegistry.Kind;

class PluginRegistryTest {
    static QuantityDeriver deriver(String name) {
        return new QuantityDeriver() {
            @Override public String name() { return name; }
            @Override public List<String> requires() { return List.of(); }
            @Override public MapSet derive(MapSet in, AnalysisContext ctx) { return MapSet.empty(); }
        };
    }

    @Test
    void sameNamesAreOrderedByRankingThenServiceIdNotByArrival() {
        PluginRegistry r = new PluginRegistry();
        QuantityDeriver late = deriver("b");
        QuantityDeriver early = deriver("b");
        QuantityDeriver ranked = deriver("b");
        r.add(late, Origins.fixed("late", "1", 0, 42));
        r.add(early, Origins.fixed("early", "1", 0, 7));
        assertSame(early, r.find(Kind.DERIVER, "b").orElseThrow().plugin(), "lowest service id, though added last");
        r.add(ranked, Origins.fixed("ranked", "1", 3, 99));
        assertSame(ranked, r.find(Kind.DERIVER, "b").orElseThrow().plugin(), "highest ranking first");
        r.add(deriver("a"), Origins.fixed("x", "1", -5, 1000));
        assertEquals(List.of("x", "ranked", "early", "late"), r.all(Kind.DERIVER).stream().map(e -> e.origin().bundle()).toList());
        r.add(early, Origins.fixed("early", "1", 10, 7));
        assertSame(early, r.find(Kind.DERIVER, "b").orElseThrow().plugin(), "a changed ranking counts");
    }

    @Test
    void requireNamesTheMissingPluginWhoNeedsItAndWhatIsInstalled() {
        PluginRegistry r = new PluginRegistry();
        r.add(deriver("magnetic"), Origins.fixed("d", "1", 0, 1));
        PluginException e = assertThrows(PluginException.class, () -> r.require(Kind.DERIVER, "strain", "amorphous"));
        assertEquals("strain", e.plugin());
        assertTrue(e.getMessage().contains("'amorphous'") && e.getMessage().contains("installed derivers: magnetic"), e.getMessage());
        assertEquals("one of: magnetic", r.installed(Kind.DERIVER));
        assertTrue(r.installed(Kind.PIPELINE).contains("none is installed"));
    }

    @Test
    void guardTurnsAPluginsBugIntoAPluginErrorAndLetsTypedErrorsPass() {
        PluginRegistry r = new PluginRegistry();
        PluginRegistry.Entry e = r.add(deriver("d"), Origins.fixed("d", "1", 0, 1));
        PluginException pe = assertThrows(PluginException.class, () -> e.guard(() -> {
            throw new NullPointerException("bug");
        }));
        assertEquals("d", pe.plugin());
        assertThrows(org.ltz4d.api.error.InvalidParameterException.class, () -> e.guard(() -> {
            throw new org.ltz4d.api.error.InvalidParameterException("x", "y", null);
        }));
    }
}
