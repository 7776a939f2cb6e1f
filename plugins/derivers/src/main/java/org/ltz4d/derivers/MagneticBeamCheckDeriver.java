package org.ltz4d.derivers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.units.Unit;
import org.osgi.service.component.annotations.Component;

/**
 * {@code magnetic-beam-check}: the cross-check of the ring-centre B — B from the direct-beam centre
 * ({@code beam/center_x|y}) with the same reference, thickness and calibration, written beside it as
 * {@code magnetic_beam/*}; when the ring-centre B ({@code magnetic/Bx|By} or {@code magnetic/Bt_x|Bt_y})
 * is present (the deriver {@code magnetic} ran before), also the difference maps
 * {@code magnetic_beam/diff_Bx|By} = beam − ring.
 */
@Component(service = org.ltz4d.api.analysis.QuantityDeriver.class)
public class MagneticBeamCheckDeriver extends MagneticDeriver {

    public static final String NAME = "magnetic-beam-check";
    static final String GROUP = "magnetic_beam";

    public MagneticBeamCheckDeriver() {
        super(NAME, "beam", GROUP);
    }

    @Override
    protected List<DataMap> extra(MapSet inputs, Shape nav, boolean thick, float[] bx, float[] by, Map<String, Object> attributes) {
        String x = thick ? "Bx" : "Bt_x";
        String y = thick ? "By" : "Bt_y";
        Optional<DataMap> rx = Uncertainty.scanMap(inputs, "magnetic/" + x, nav);
        Optional<DataMap> ry = Uncertainty.scanMap(inputs, "magnetic/" + y, nav);
        if (rx.isEmpty() || ry.isEmpty()) return List.of();
        Map<String, Object> at = new LinkedHashMap<>(attributes);
        at.put("definition", "B from the direct-beam centre minus B from the ring centre (magnetic/" + x + ", magnetic/" + y + ")");
        Unit unit = rx.get().unit();
        return List.of(diff(GROUP + "/diff_" + x, bx, rx.get(), nav, unit, at), diff(GROUP + "/diff_" + y, by, ry.get(), nav, unit, at));
    }

    private static DataMap diff(String path, float[] beam, DataMap ring, Shape nav, Unit unit, Map<String, Object> at) {
        float[] d = new float[beam.length];
        for (int i = 0; i < d.length; i++) d[i] = beam[i] - ring.get(i);
        return Maps.output(path, nav, d, unit, "direct-beam B minus ring-centre B (cross-check)", at);
    }
}
