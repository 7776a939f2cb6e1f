package org.ltz4d.api.param;

import org.ltz4d.api.error.InvalidParameterException;

/**
 * A rectangular region of scan positions, rows then columns, half-open: {@code r0:r1,c0:c1}
 * covers rows r0 ≤ r &lt; r1 and columns c0 ≤ c &lt; c1.
 */
public record Roi(int r0, int r1, int c0, int c1) {
    public Roi {
        if (r0 < 0 || c0 < 0 || r1 <= r0 || c1 <= c0) {
            throw new IllegalArgumentException("empty or negative ROI " + r0 + ":" + r1 + "," + c0 + ":" + c1);
        }
    }

    /** Parses {@code r0:r1,c0:c1}. */
    public static Roi parse(String parameter, String text) {
        String expected = "rows then columns, half-open, as r0:r1,c0:c1 with r0<r1 and c0<c1";
        try {
            String[] rc = text.trim().split(",");
            if (rc.length != 2) throw new InvalidParameterException(parameter, expected, text);
            String[] r = rc[0].split(":");
            String[] c = rc[1].split(":");
            if (r.length != 2 || c.length != 2) throw new InvalidParameterException(parameter, expected, text);
            return new Roi(Integer.parseInt(r[0].trim()), Integer.parseInt(r[1].trim()),
                    Integer.parseInt(c[0].trim()), Integer.parseInt(c[1].trim()));
        } catch (IllegalArgumentException e) { // unparsable number or empty region
            throw new InvalidParameterException(parameter, expected, text);
        }
    }

    /** Throws unless the ROI lies inside a scan of the given shape. */
    public Roi within(String parameter, int rows, int cols) {
        if (r1 > rows || c1 > cols) {
            throw new InvalidParameterException(parameter, "an ROI inside the " + rows + "×" + cols + " scan", toString());
        }
        return this;
    }

    public boolean contains(int row, int col) {
        return row >= r0 && row < r1 && col >= c0 && col < c1;
    }

    public int size() {
        return (r1 - r0) * (c1 - c0);
    }

    @Override
    public String toString() {
        return r0 + ":" + r1 + "," + c0 + ":" + c1;
    }
}
