package org.ltz4d.derivers;

import org.ltz4d.api.analysis.QuantityDeriver;
import org.osgi.service.component.annotations.Component;

/** {@code magnetic}: B from the shift of the amorphous ring's centre ({@code ring/center_x}, {@code ring/center_y}). */
@Component(service = QuantityDeriver.class)
public class MagneticRingDeriver extends MagneticDeriver {

    public static final String NAME = "magnetic";

    public MagneticRingDeriver() {
        super(NAME, "ring");
    }
}
