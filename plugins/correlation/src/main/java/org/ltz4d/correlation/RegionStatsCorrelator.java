package org.ltz4d.correlation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ltz4d.api.analysis.AnalysisContext;
import org.ltz4d.api.analysis.Correlation;
import org.ltz4d.api.analysis.Correlator;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.MapSet;
import org.osgi.service.component.annotations.Component;

/**
 * {@code region-stats}: the per-region table of every 2-D (non-label) map over the positions with a
 * value — the region when {@code correlate} runs with {@code --roi} or {@code --mask}, which set
 * everything outside it to NaN: mean, standard deviation, N and the standard error of the mean.
 * The SEM comes from the map's uncertainty ({@code uncertainty/PATH}, else
 * {@code uncertainty/NAME}) as √(Σσᵢ²)/N when the results have one, otherwise std/√N (which
 * assumes independent positions); {@code sem_source} says which. Statistics are named
 * {@code PATH.mean}, {@code PATH.std}, {@code PATH.n}, {@code PATH.sem}, {@code PATH.sem_source},
 * {@code PATH.unit}. The region itself, when {@code correlate} restricted the maps to one (label map
 * {@code region/mask}), is written as {@code correlation/region_mask} (1 inside, 0 outside) so that
 * a report can outline it.
 */
@Component(service = Correlator.class)
public final class RegionStatsCorrelator implements Correlator {
    /** The region as the engine passes it (label map, 1 inside) and as written to correlation.h5. */
    static final String REGION_IN = "region/mask", REGION_OUT = "correlation/region_mask";

    @Override
    public String name() {
        return "region-stats";
    }

    @Override
    public List<String> requires() {
        return List.of();
    }

    @Override
    public Correlation correlate(MapSet maps, AnalysisContext context) {
        Map<String, Object> stats = new LinkedHashMap<>();
        for (DataMap m : maps.maps()) {
            if (m.shape().rank() != 2 || m.integer() || m.path().startsWith("uncertainty/")) continue;
            double s = 0, ss = 0;
            long n = 0;
            for (int i = 0; i < m.size(); i++) {
                float v = m.get(i);
                if (Float.isNaN(v)) continue;
                s += v;
                n++;
            }
            double mean = n == 0 ? Double.NaN : s / n;
            for (int i = 0; i < m.size(); i++) {
                float v = m.get(i);
                if (!Float.isNaN(v)) ss += (v - mean) * (v - mean);
            }
            double std = n > 1 ? Math.sqrt(ss / (n - 1)) : Double.NaN;
            DataMap u = uncertainty(maps, m);
            double sem;
            String source;
            if (u != null) {
                double var = 0;
                for (int i = 0; i < m.size(); i++) {
                    if (!Float.isNaN(m.get(i)) && !Float.isNaN(u.get(i))) var += (double) u.get(i) * u.get(i);
                }
                sem = n == 0 ? Double.NaN : Math.sqrt(var) / n;
                source = "/" + u.path();
            } else {
                sem = n > 1 ? std / Math.sqrt(n) : Double.NaN;
                source = "std/sqrt(N): no uncertainty map; assumes independent positions";
            }
            String k = m.path() + ".";
            stats.put(k + "mean", mean);
            stats.put(k + "std", std);
            stats.put(k + "n", n);
            stats.put(k + "sem", sem);
            stats.put(k + "sem_source", source);
            stats.put(k + "unit", m.unit().symbol());
        }
        MapSet out = maps.get(REGION_IN).map(r -> {
            DataMap w = DataMap.labels(REGION_OUT, r.shape(), r.toArray(), r.unit(), r.description());
            for (var a : r.attributes().entrySet()) w = w.withAttribute(a.getKey(), a.getValue());
            return MapSet.of(List.of(w));
        }).orElse(MapSet.empty());
        return new Correlation(out, List.of(), stats);
    }

    private static DataMap uncertainty(MapSet maps, DataMap m) {
        String name = m.path().substring(m.path().lastIndexOf('/') + 1);
        DataMap u = maps.get("uncertainty/" + m.path()).or(() -> maps.get("uncertainty/" + name)).orElse(null);
        return u != null && u.shape().equals(m.shape()) ? u : null;
    }
}
