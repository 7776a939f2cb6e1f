package org.ltz4d.correlation;

import java.util.ArrayList;
import java.util.List;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.units.Unit;

/** Simulated amorphous-analysis maps with known B and strain, for the tests. */
final class Sim {
    final int rows;
    final int cols;
    final float[] bx;
    final float[] by;
    final float[] eCom;
    final float[] eTen;
    final float[] angleTen;
    float[] density;
    float[] mask;

    Sim(int rows, int cols) {
        this.rows = rows;
        this.cols = cols;
        int n = rows * cols;
        bx = new float[n];
        by = new float[n];
        eCom = new float[n];
        eTen = new float[n];
        angleTen = new float[n];
    }

    Shape shape() {
        return Shape.of(rows, cols);
    }

    /** Sets position i: B of magnitude m (T) at direction phi (deg), strain axis theta (deg). */
    void set(int i, double m, double phiDeg, double ec, double et, double thetaDeg) {
        bx[i] = (float) (m * Math.cos(Math.toRadians(phiDeg)));
        by[i] = (float) (m * Math.sin(Math.toRadians(phiDeg)));
        eCom[i] = (float) ec;
        eTen[i] = (float) et;
        angleTen[i] = (float) thetaDeg;
    }

    void setNaN(int i) {
        bx[i] = by[i] = eCom[i] = eTen[i] = angleTen[i] = Float.NaN;
        if (density != null) density[i] = Float.NaN;
        if (mask != null) mask[i] = 1;
    }

    MapSet maps() {
        Shape s = shape();
        List<DataMap> m = new ArrayList<>();
        m.add(DataMap.of("magnetic/Bx", s, bx.clone(), Unit.TESLA, "B x"));
        m.add(DataMap.of("magnetic/By", s, by.clone(), Unit.TESLA, "B y"));
        m.add(DataMap.of("strain/e_com", s, eCom.clone(), Unit.DIMENSIONLESS, "compressive principal strain"));
        m.add(DataMap.of("strain/e_ten", s, eTen.clone(), Unit.DIMENSIONLESS, "tensile principal strain"));
        m.add(DataMap.of("strain/angle_ten_deg", s, angleTen.clone(), Unit.DEGREE, "tensile axis"));
        float[] com = new float[angleTen.length];
        float[] exx = new float[angleTen.length];
        float[] eyy = new float[angleTen.length];
        float[] exy = new float[angleTen.length];
        for (int i = 0; i < com.length; i++) {
            com[i] = (float) Angles.axis(angleTen[i] + 90);
            double t = Math.toRadians(angleTen[i]);
            double c = Math.cos(t), sn = Math.sin(t);
            exx[i] = (float) (eTen[i] * c * c + eCom[i] * sn * sn);
            eyy[i] = (float) (eTen[i] * sn * sn + eCom[i] * c * c);
            exy[i] = (float) ((eTen[i] - eCom[i]) * c * sn);
        }
        m.add(DataMap.of("strain/angle_com_deg", s, com, Unit.DEGREE, "compressive axis"));
        m.add(DataMap.of("strain/exx", s, exx, Unit.DIMENSIONLESS, "exx"));
        m.add(DataMap.of("strain/eyy", s, eyy, Unit.DIMENSIONLESS, "eyy"));
        m.add(DataMap.of("strain/exy", s, exy, Unit.DIMENSIONLESS, "exy"));
        if (density != null) m.add(DataMap.of("density/relative", s, density.clone(), Unit.DIMENSIONLESS, "relative density"));
        if (mask != null) m.add(DataMap.labels("fit/mask", s, mask.clone(), Unit.LABEL, "1 = failed"));
        return MapSet.of(m);
    }
}
