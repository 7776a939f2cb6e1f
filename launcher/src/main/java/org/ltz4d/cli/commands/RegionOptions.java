package org.ltz4d.cli.commands;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.api.param.Parameters;

/**
 * Regions of the scan as the front-ends name them: {@code --roi r0:r1,c0:c1}, {@code --mask
 * FILE.npy|cluster:N|binarised:NAME} (the engine's {@code roi} and {@code mask} correlation
 * parameters, whose parser — the engine's, shared with {@code correlate} — checks them and names
 * what is wrong), and {@code --region NAME=SPEC} with SPEC either form. Each region becomes the
 * parameters of one {@code region-stats} correlation.
 */
final class RegionOptions {
    /** A named region and the correlation parameters that select it. */
    record Region(String name, Map<String, String> parameters) {
        /** The parameters, with {@code --with DIR/correlation.h5} when the mask names a map of that file and it exists. */
        Parameters parameters(Path dir) {
            Map<String, String> m = new LinkedHashMap<>(parameters);
            Path corr = dir.resolve("correlation.h5");
            String mask = m.getOrDefault(MASK, "");
            if ((mask.startsWith("cluster:") || mask.startsWith("binarised:")) && Files.isRegularFile(corr)) m.put("with", corr.toString());
            return Parameters.of(m);
        }
    }

    static final String ROI = "roi";
    static final String MASK = "mask";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    private RegionOptions() {
    }

    /** True when SPEC is a mask (FILE.npy, cluster:N, binarised:NAME) rather than a rectangle. */
    static boolean isMask(String spec) {
        String s = spec.strip();
        return s.endsWith(".npy") || s.startsWith("cluster:") || s.startsWith("binarised:");
    }

    /**
     * The regions in the order given: every {@code --roi} (named roi1, roi2, …), every {@code --mask}
     * (mask1, …), then every {@code --region NAME=SPEC}.
     *
     * @throws InvalidParameterException naming {@code region} when a NAME=SPEC is malformed or a name repeats
     */
    static List<Region> parse(List<String> rois, List<String> masks, List<String> named) {
        Map<String, Region> out = new LinkedHashMap<>();
        int i = 0;
        for (String r : rois) add(out, new Region("roi" + ++i, Map.of(ROI, r)));
        i = 0;
        for (String m : masks) add(out, new Region("mask" + ++i, Map.of(MASK, m)));
        for (String n : named) {
            int eq = n.indexOf('=');
            String name = eq < 0 ? "" : n.substring(0, eq).strip();
            String spec = eq < 0 ? "" : n.substring(eq + 1).strip();
            if (!NAME.matcher(name).matches() || spec.isEmpty()) {
                throw new InvalidParameterException("region", "NAME=SPEC with NAME of letters, digits, '_', '.', '-' and SPEC r0:r1,c0:c1, "
                        + "FILE.npy, cluster:N or binarised:NAME", n);
            }
            add(out, new Region(name, Map.of(isMask(spec) ? MASK : ROI, spec)));
        }
        return new ArrayList<>(out.values());
    }

    private static void add(Map<String, Region> out, Region r) {
        if (out.putIfAbsent(r.name(), r) != null) throw new InvalidParameterException("region", "distinct region names", r.name());
    }
}
