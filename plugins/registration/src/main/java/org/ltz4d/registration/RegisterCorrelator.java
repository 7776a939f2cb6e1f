package org.ltz4d.registration;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.ltz4d.api.analysis.AnalysisContext;
import org.ltz4d.api.analysis.Correlation;
import org.ltz4d.api.analysis.Correlator;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.error.InvalidInputException;
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.api.param.ParameterSpec;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.api.units.Unit;
import org.osgi.service.component.annotations.Component;

/**
 * {@code register}: brings a map from another instrument into the scan's frame. The transform
 * (imported map pixels → scan pixels) comes from landmark pairs (least squares, similarity or
 * affine) or, without landmarks, from automatic registration against a virtual image of the scan
 * ({@link AutoRegistration}); every channel of the map is resampled onto the scan grid as
 * {@code registered/NAME} (bicubic; nearest for labels and angles), NaN where the map does not
 * reach. The transform is stored on each map ({@code transform_matrix}, {@code rotation_deg},
 * {@code scale}, {@code shift_px}, {@code residual_px}, {@code method}, {@code source}) and in the
 * statistics. Not among the default correlators: run it by name ({@code ltz4d register}).
 */
@Component(service = Correlator.class)
public final class RegisterCorrelator implements Correlator {
    static final ParameterSpec MAP = ParameterSpec.text("register-map", "Map to import: .tif/.tiff/.png, .h5 (with --map-dataset), .ang, .ctf", null);
    static final ParameterSpec DATASET = ParameterSpec.text("map-dataset", "HDF5 dataset path of the map to import", null);
    static final ParameterSpec PIXEL = ParameterSpec.number("map-pixel-nm", "Pixel size of the imported map (EBSD files give theirs)",
            Unit.NANOMETRE, null, 1e-6, 1e9);
    static final ParameterSpec LANDMARKS = ParameterSpec.text("landmarks", "File of x_map y_map x_scan y_scan lines (pixels)", null);
    static final ParameterSpec MODEL = ParameterSpec.choice("landmark-model", "Transform fitted to landmarks", "similarity", "similarity",
            "affine");
    static final ParameterSpec REFERENCE = ParameterSpec.text("register-reference",
            "Scan map to register against (default: virtual/adf, virtual/bf, virtual/total, density/relative, else the first 2-D map)", null);
    static final List<String> REFERENCES = List.of("virtual/adf", "virtual/bf", "virtual/total", "density/relative");

    @Override
    public String name() {
        return "register";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(MAP, DATASET, PIXEL, LANDMARKS, MODEL, REFERENCE);
    }

    @Override
    public List<String> requires() {
        return List.of();
    }

    @Override
    public Correlation correlate(MapSet maps, AnalysisContext context) {
        Parameters p = context.parameters();
        Path file = Path.of(p.requireString(MAP.name(), "the map file to import"));
        MapImport.Imported in = MapImport.read(file, p.string(DATASET.name(), null));
        DataMap ref = reference(maps, p);
        int sh = ref.shape().toArray()[0];
        int sw = ref.shape().toArray()[1];
        double pixelNm = p.number(PIXEL.name()).orElse(in.pixelNm());
        OptionalDouble step = context.calibration().scanStepXNm();
        double prior = Double.isFinite(pixelNm) && step.isPresent() ? pixelNm / step.getAsDouble() : Double.NaN;
        Transform2D t;
        double residual;
        String method;
        Map<String, Object> stats = new LinkedHashMap<>();
        if (p.has(LANDMARKS.name())) {
            Path lf = Path.of(p.requireString(LANDMARKS.name(), "a landmarks file"));
            List<Landmarks.Pair> pairs = Landmarks.read(lf);
            Landmarks.Fit fit;
            try {
                fit = "affine".equals(p.string(MODEL.name(), "similarity")) ? Landmarks.affine(pairs) : Landmarks.similarity(pairs);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(lf, "landmarks", "pairs that define the transform", e.getMessage(), e);
            }
            t = fit.transform();
            residual = fit.rmsPx();
            method = "landmarks-" + p.string(MODEL.name(), "similarity");
            stats.put("landmarks", pairs.size());
            stats.put("residual_max_px", java.util.Arrays.stream(fit.residualsPx()).max().orElse(0));
        } else {
            Grid scan = new Grid(sh, sw, ref.toArray());
            AutoRegistration.Result r;
            try {
                r = AutoRegistration.register(scan, in.primary(), prior);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(file, "map", "a map that overlaps the scan's /" + ref.path(), e.getMessage(), e);
            }
            t = r.transform();
            residual = r.residualPx();
            method = "automatic";
            stats.put("ncc", r.ncc());
            stats.put("overlap", r.overlap());
            stats.put("reference", ref.path());
        }
        context.log("register: " + method + ", rotation " + t.rotationDeg() + " deg, scale " + t.scale());
        List<DataMap> out = new ArrayList<>();
        for (Map.Entry<String, Grid> c : in.channels().entrySet()) {
            boolean label = in.labels().contains(c.getKey());
            Grid g = label ? c.getValue().resampleNearest(sh, sw, t) : c.getValue().resampleOnto(sh, sw, t);
            Unit u = c.getKey().endsWith("_deg") ? Unit.DEGREE : c.getKey().equals("phase") ? Unit.LABEL : Unit.DIMENSIONLESS;
            DataMap m = c.getKey().equals("phase") ? DataMap.labels("registered/" + c.getKey(), ref.shape(), g.v(), u, desc(c.getKey(), file))
                    : DataMap.of("registered/" + c.getKey(), ref.shape(), g.v(), u, desc(c.getKey(), file));
            m = m.withAttribute("source", file.toAbsolutePath().toString()).withAttribute("method", method)
                    .withAttribute("transform_matrix", t.matrix()).withAttribute("rotation_deg", t.rotationDeg())
                    .withAttribute("scale", t.scale()).withAttribute("shift_px", new double[] {t.tx(), t.ty()})
                    .withAttribute("residual_px", residual);
            out.add(m);
        }
        stats.put("method", method);
        stats.put("rotation_deg", t.rotationDeg());
        stats.put("scale", t.scale());
        stats.put("shift_px", List.of(t.tx(), t.ty()));
        stats.put("residual_px", residual);
        stats.put("transform_matrix", java.util.Arrays.stream(t.matrix()).boxed().toList());
        stats.put("source", file.toAbsolutePath().toString());
        if (Double.isFinite(pixelNm)) stats.put("map_pixel_nm", pixelNm);
        return new Correlation(MapSet.of(out), List.of(), stats);
    }

    private static String desc(String channel, Path file) {
        return channel + " of " + file.getFileName() + ", resampled onto the scan grid (NaN where the map does not reach)";
    }

    private static DataMap reference(MapSet maps, Parameters p) {
        String want = p.string(REFERENCE.name(), null);
        if (want != null) {
            DataMap m = maps.get(want.startsWith("/") ? want.substring(1) : want)
                    .orElseThrow(() -> new InvalidParameterException(REFERENCE.name(), "a map of the results (" + String.join(", ", maps.paths()) + ")", want));
            if (m.shape().rank() != 2) throw new InvalidParameterException(REFERENCE.name(), "a 2-D map", want + " of shape " + m.shape());
            return m;
        }
        for (String r : REFERENCES) {
            var m = maps.get(r);
            if (m.isPresent()) return m.get();
        }
        for (DataMap m : maps.maps()) if (m.shape().rank() == 2 && !m.integer()) return m;
        throw new InvalidParameterException(REFERENCE.name(), "results with a 2-D map to register against", "none");
    }
}
