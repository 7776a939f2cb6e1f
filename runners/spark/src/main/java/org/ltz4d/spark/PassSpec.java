package org.ltz4d.spark;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.FitSetup;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.engine.FitPass;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.api.units.Unit;

/**
 * A {@link FitPass} as it travels to the executors with every task (the API's value types are not
 * serialisable): the file as a string, parameters as text, the earlier passes' maps as arrays, the
 * fitters' set-ups as the driver computed them ({@link FitSetup} is serialisable), and the user's
 * plugin bundles. It reaches each executor once, as a broadcast variable.
 */
record PassSpec(String input, Map<String, String> parameters, List<String> fitters, List<MapSpec> previous, int[] navShape,
        int blockFrames, LinkedHashMap<String, FitSetup> setups, List<PluginBundle> plugins) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** A map of an earlier pass, its values and attributes that are plain text or numbers. */
    record MapSpec(String path, int[] shape, float[] values, String unitSymbol, String unitQuantity, String description,
            boolean labels, Map<String, Serializable> attributes) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    static PassSpec of(FitPass pass, List<PluginBundle> plugins) {
        List<MapSpec> maps = new ArrayList<>();
        for (DataMap m : pass.previous().maps()) {
            Map<String, Serializable> attrs = new LinkedHashMap<>();
            m.attributes().forEach((k, v) -> {
                if (v instanceof String || v instanceof Number || v instanceof double[] || v instanceof float[] || v instanceof int[]) {
                    attrs.put(k, (Serializable) v);
                }
            });
            maps.add(new MapSpec(m.path(), m.shape().toArray(), m.toArray(), m.unit().symbol(), m.unit().quantity(), m.description(),
                    m.integer(), attrs));
        }
        return new PassSpec(pass.input().toString(), new LinkedHashMap<>(pass.parameters().asMap()), List.copyOf(pass.fitters()),
                maps, pass.navShape().toArray(), pass.blockFrames(), new LinkedHashMap<>(pass.setups()), plugins);
    }

    /** The last pass rebuilt in this JVM and the spec it came from (compared by identity: a broadcast value is one object per executor). */
    private static volatile Object[] last = {null, null};

    /**
     * The pass again, on an executor: rebuilt once per broadcast value, so every task of the pass
     * hands the engine the same set-up objects (fitters build their tables once per set-up).
     */
    FitPass toPass() {
        Object[] l = last;
        if (l[0] == this) return (FitPass) l[1];
        FitPass pass = rebuild();
        last = new Object[] {this, pass};
        return pass;
    }

    private FitPass rebuild() {
        List<DataMap> maps = new ArrayList<>();
        for (MapSpec s : previous) {
            Unit u = Unit.of(s.unitSymbol(), s.unitQuantity());
            DataMap m = s.labels() ? DataMap.labels(s.path(), Shape.of(s.shape()), s.values(), u, s.description())
                    : DataMap.of(s.path(), Shape.of(s.shape()), s.values(), u, s.description());
            for (Map.Entry<String, Serializable> a : s.attributes().entrySet()) m = m.withAttribute(a.getKey(), a.getValue());
            maps.add(m);
        }
        return new FitPass(Path.of(input), Parameters.of(parameters), fitters, MapSet.of(maps), Shape.of(navShape), blockFrames,
                setups);
    }
}
