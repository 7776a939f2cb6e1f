package org.ltz4d.derivers;

import java.util.Optional;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.api.param.ParameterSpec;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.api.param.Roi;
import org.ltz4d.api.units.Unit;

/**
 * The strain/density reference chosen by the user: a reference ROI of scan positions
 * ({@code --reference-roi r0:r1,c0:c1}) or a supplied ellipse ({@code --reference-ellipse
 * a,b,angle_deg} in detector pixels, the a axis at angle_deg from +x towards +y). Exactly one is
 * needed.
 */
record Reference(Roi roi, double[] ellipse) {

    static final String ROI = "reference-roi";
    static final String ELLIPSE = "reference-ellipse";

    static ParameterSpec roiSpec() {
        return ParameterSpec.roi(ROI, "reference region of scan positions (rows then columns, half-open, r0:r1,c0:c1); "
                + "the median ring form over it is the unstrained reference");
    }

    static ParameterSpec ellipseSpec() {
        return new ParameterSpec(ELLIPSE, ParameterSpec.Type.DOUBLE_LIST,
                "reference ellipse instead of an ROI: semi-axes a,b (px) and the angle of the a axis (deg, from +x towards +y)",
                Unit.PIXEL, null, 0, 0, java.util.List.of());
    }

    static Reference from(Parameters p, Shape nav) {
        Optional<Roi> roi = p.roi(ROI);
        Optional<double[]> ell = p.doubleList(ELLIPSE);
        if (roi.isPresent() && ell.isPresent()) {
            throw new InvalidParameterException(ELLIPSE, "either --reference-roi or --reference-ellipse, not both", p.string(ELLIPSE).orElse(""));
        }
        if (roi.isPresent()) return new Reference(roi.get().within(ROI, nav.rows(), nav.cols()), null);
        if (ell.isPresent()) {
            double[] e = ell.get();
            if (e.length != 3 || !(e[0] > 0) || !(e[1] > 0) || !Double.isFinite(e[0]) || !Double.isFinite(e[1]) || !Double.isFinite(e[2])) {
                throw new InvalidParameterException(ELLIPSE, "a,b,angle_deg with semi-axes a, b > 0 px", p.string(ELLIPSE).orElse(""));
            }
            return new Reference(null, e);
        }
        throw new InvalidParameterException(ROI,
                "a reference: --reference-roi r0:r1,c0:c1 (an unstrained region of the scan) or --reference-ellipse a,b,angle_deg", null);
    }

    /** For attributes: "roi r0:r1,c0:c1" or "ellipse a,b,angle". */
    String describe() {
        return roi != null ? "roi " + roi : "ellipse " + ellipse[0] + "," + ellipse[1] + "," + ellipse[2];
    }
}
