package org.ltz4d.derivers;

import org.ltz4d.api.analysis.QuantityDeriver;
import org.osgi.service.component.annotations.Component;

/** {@code magnetic-beam}: B from the shift of the direct beam ({@code beam/center_x}, {@code beam/center_y}), for crystalline samples. */
@Component(service = QuantityDeriver.class)
public class MagneticBeamDeriver extends MagneticDeriver {

    public static final String NAME = "magnetic-beam";

    public MagneticBeamDeriver() {
        super(NAME, "beam");
    }
}
