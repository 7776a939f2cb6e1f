package org.example.vadf;

import java.util.List;
import org.ltz4d.api.analysis.AnalysisContext;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.analysis.QuantityDeriver;
import org.ltz4d.api.units.Unit;
import org.osgi.service.component.annotations.Component;

/** The dark-field fraction ADF / (ADF + BF) per position: a dimensionless contrast map. */
@Component(service = QuantityDeriver.class)
public class ContrastDeriver implements QuantityDeriver {
    @Override
    public String name() {
        return "vadf-contrast";
    }

    @Override
    public List<String> requires() {
        return List.of("virtual/bf", "virtual/adf");
    }

    @Override
    public MapSet derive(MapSet in, AnalysisContext ctx) {
        DataMap bf = in.require("virtual/bf");
        DataMap adf = in.require("virtual/adf");
        float[] v = new float[bf.size()];
        for (int i = 0; i < v.length; i++) {
            float s = bf.get(i) + adf.get(i);
            v[i] = s > 0 ? adf.get(i) / s : Float.NaN;
        }
        return MapSet.of(DataMap.of("virtual/df_fraction", bf.shape(), v, Unit.DIMENSIONLESS, "ADF / (ADF + BF)"));
    }
}
