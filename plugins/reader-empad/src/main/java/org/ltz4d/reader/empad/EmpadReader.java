package org.ltz4d.reader.empad;

import org.ltz4d.io.MappedDataset;
import org.ltz4d.io.MappedFrames;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.ltz4d.api.data.ByteSource;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.DType;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.data.DatasetReader;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.error.CorruptFileException;
import org.ltz4d.api.error.InvalidInputException;
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.api.error.ShapeMismatchException;
import org.ltz4d.api.error.TruncatedFileException;
import org.ltz4d.api.param.ParameterSpec;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.api.units.Unit;
import org.ltz4d.io.FormatReader;
import org.osgi.service.component.annotations.Component;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * EMPAD (Thermo Fisher / Cornell pixel array detector) acquisitions: an {@code .xml} header and a
 * {@code .raw} of little-endian float32 frames of 130 rows × 128 columns, whose last two rows are a
 * per-frame footer (metadata) and are dropped, giving 128×128 frames in raster scan order.
 * Either file may be named; the raw is the XML's {@code raw_file/@filename} beside it, and a named
 * raw looks for the XML beside it that refers to it.
 *
 * <p>Scan shape, first that applies: {@code --scan-shape Y,X}; {@code pix_y}/{@code pix_x}; the
 * raw's name {@code …_x{X}_y{Y}.raw}; the acquire-mode {@code scan_resolution_y/x}; for a series
 * ({@code type} series), one row of {@code series_count} frames.
 *
 * <p>Calibration, as rosettasciio reads it: detector pixel from
 * {@code iom_measurements/calibrated_pixelsize} (×1e9 → 1/nm per pixel, ÷10 → Å⁻¹ as s = 1/d; older
 * software only); scan step = full scan field of view ÷ scale factor (1.2.x) ÷ max(pix_x, pix_y);
 * beam energy from {@code source.get_voltage}/{@code high_voltage} (V); camera length from
 * {@code optics.get_cameralength}/{@code nominal_camera_length} (m). The scan-rotation value's unit
 * is not stated by the file, so it only goes into the calibration when it is 0; it is always kept
 * as metadata. Axis convention: frames as stored (row 0 first), nothing flipped; the DP origin
 * (−64 px) is metadata.
 */
@Component(service = DatasetReader.class)
public final class EmpadReader extends FormatReader {
    static final String SCAN = "scan-shape";
    static final int ROWS = 130;
    static final int COLS = 128;
    static final int DET = 128;
    static final int RECORD = ROWS * COLS * 4;
    private static final Pattern NAME_SHAPE = Pattern.compile("_x(\\d+)_y(\\d+)\\.raw$", Pattern.CASE_INSENSITIVE);


    private static final List<ParameterSpec> PARAMS = List.of(new ParameterSpec(SCAN, ParameterSpec.Type.INT_LIST,
                "scan shape Y,X (rows, columns) when the EMPAD XML and raw name do not give it", Unit.DIMENSIONLESS, null, 0, 0, null));

    public EmpadReader() {
        super("empad", PARAMS, "xml", "raw");
    }

    @Override
    protected double confidence(Probe p) {
        if (p.hasSuffix("xml") && p.head() != null) {
            ByteBuffer head = p.head();
            int len = Math.min(head.limit(), 8192);
            byte[] b = new byte[len];
            for (int i = 0; i < len; i++) b[i] = head.get(i);
            String s = new String(b, StandardCharsets.ISO_8859_1);
            boolean root = s.stripLeading().startsWith("<root") || s.contains("<root ");
            if (root && (s.contains("<raw_file") || s.contains("camserver") || s.contains("iom_measurements"))) return 0.9;
            return root ? 0.2 : 0.0;
        }
        if (p.hasSuffix("raw") && NAME_SHAPE.matcher(p.name()).find()) return 0.6;
        return 0.0;
    }


    @Override
    public Dataset open(Path file, Parameters options) {
        boolean isXml = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".xml");
        Path xml = isXml ? file : findXml(file);
        Element root = xml == null ? null : parse(xml);
        Path raw = file;
        if (isXml) {
            Element rf = first(root, "raw_file");
            String fn = rf == null ? "" : rf.getAttribute("filename").trim();
            if (fn.isEmpty()) throw new CorruptFileException(xml, "raw_file", "<raw_file filename=\"…\"/> naming the raw data", "none");
            raw = xml.resolveSibling(fn);
            if (!Files.isRegularFile(raw)) {
                throw new InvalidInputException(xml, "raw_file", "the raw data file " + fn + " beside the XML", "no such file " + raw);
            }
        }
        return open(file, xml, root, raw, null, options);
    }

    /**
     * An EMPAD .raw on remote storage ({@code hdfs://}), each frame read by position from
     * {@code source}. The XML beside it is not looked for there: give {@code --scan-shape Y,X}.
     */
    @Override
    public Dataset open(Path file, ByteSource source, Parameters options) {
        if (options.intList(SCAN, 2).isEmpty()) {
            throw new InvalidParameterException(SCAN, "the scan shape Y,X for an EMPAD .raw on remote storage (its XML is not read there)",
                    null);
        }
        return open(file, null, null, file, source, options);
    }

    /** The dataset over {@code raw}: mapped when {@code source} is null, else read by position from it. */
    private Dataset open(Path file, Path xml, Element root, Path raw, ByteSource source, Parameters options) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("detector", "EMPAD");
        if (xml != null) meta.put("xml", xml.toString());
        meta.put("raw", raw.toString());
        Shape nav = navShape(file, raw, root, options, meta);
        long size;
        try {
            size = source == null ? Files.size(raw) : source.size();
        } catch (IOException e) {
            throw new InvalidInputException(raw, "file", "a readable file", e.toString(), e);
        }
        long need = nav.size() * RECORD;
        String what = nav.rows() + "×" + nav.cols() + " frames of 130×128 float32 (" + RECORD + " bytes each)";
        if (size < need) {
            String f = size == 0 ? "an empty file (0 bytes)" : size + " bytes";
            throw new TruncatedFileException(raw, "frame " + size / RECORD, need + " bytes for " + what, f);
        }
        if (size > need) {
            throw new ShapeMismatchException(raw, "scan shape (" + meta.get("scan_shape_source") + ")", need + " bytes for " + what,
                    size + " bytes = " + (size / (double) RECORD) + " frames");
        }
        Calibration cal = root == null ? Calibration.none() : calibration(root, nav, meta);
        meta.put("detector_origin_px", "-64");
        meta.put("footer_rows_dropped", "2");
        try {
            MappedFrames mf = source == null ? new MappedFrames(raw, 0, RECORD, DET * COLS * 4, nav.size())
                    : new MappedFrames(raw, source, 0, RECORD, DET * COLS * 4, nav.size());
            return new MappedDataset(file, name(), nav, Shape.of(DET, DET), DType.FLOAT32, ByteOrder.LITTLE_ENDIAN, cal, meta, mf, 0, null);
        } catch (IOException e) {
            throw new CorruptFileException(raw, "data", "a file that can be memory-mapped", e.toString(), e);
        }
    }

    private static Shape navShape(Path file, Path raw, Element root, Parameters options, Map<String, String> meta) {
        int[] sc = options.intList(SCAN, 2).orElse(null);
        if (sc != null) {
            if (sc[0] <= 0 || sc[1] <= 0) throw new InvalidParameterException(SCAN, "two positive integers Y,X", options.string(SCAN, ""));
            meta.put("scan_shape_source", "scan-shape option");
            return Shape.of(sc);
        }
        if (root != null) {
            Integer px = intOf(root, "pix_x");
            Integer py = intOf(root, "pix_y");
            if (px != null && py != null && px > 0 && py > 0) {
                meta.put("scan_shape_source", "pix_x/pix_y");
                return Shape.of(py, px);
            }
        }
        Matcher m = NAME_SHAPE.matcher(raw.getFileName().toString());
        if (m.find()) {
            meta.put("scan_shape_source", "raw file name");
            return Shape.of(Integer.parseInt(m.group(2)), Integer.parseInt(m.group(1)));
        }
        if (root != null) {
            String type = text(root, "type");
            Integer count = intOf(root, "series_count");
            if (count == null) count = intOf(root, "count");
            if ("series".equals(type) && count != null && count > 0) {
                meta.put("scan_shape_source", "series_count");
                return Shape.of(1, count);
            }
            for (Element sp : all(root, "scan_parameters")) {
                if ("acquire".equals(sp.getAttribute("mode"))) {
                    Integer rx = intOf(sp, "scan_resolution_x");
                    Integer ry = intOf(sp, "scan_resolution_y");
                    if (rx != null && ry != null && rx > 0 && ry > 0) {
                        meta.put("scan_shape_source", "scan_parameters acquire scan_resolution");
                        return Shape.of(ry, rx);
                    }
                }
            }
        }
        throw new ShapeMismatchException(file, "scan shape", "pix_x/pix_y in the XML, a raw name …_x{X}_y{Y}.raw, or --scan-shape Y,X", "none of them");
    }

    private static Calibration calibration(Element root, Shape nav, Map<String, String> meta) {
        Calibration.Builder b = Calibration.builder();
        Double pix = num(root, "calibrated_pixelsize");
        if (pix != null && pix > 0) {
            b.detectorPixelInverseAngstrom(pix * 1e8); // ×1e9 → 1/nm, ÷10 → 1/Å
            putText(meta, root, "calibrated_pixelsize", "calibrated_pixelsize");
        }
        putText(meta, root, "calibrated_diffraction_angle", "calibrated_diffraction_angle_rad");
        int nmax = Math.max(nav.rows(), nav.cols());
        Element fov = first(root, "full_scan_field_of_view");
        Double stepM = null;
        if (fov != null && first(fov, "x") != null) {
            Double x = num(fov, "x");
            Double sf = num(fov, "scale_factor");
            if (x != null) stepM = x / (sf != null && sf > 0 ? sf : 1.0) / nmax;
        } else {
            String old = text(root, "optics.get_full_scan_field_of_view");
            if (old != null) {
                String[] parts = old.replace("[", "").replace("]", "").split(",");
                try {
                    stepM = Double.parseDouble(parts[0].trim()) / nmax;
                } catch (NumberFormatException e) {
                    stepM = null;
                }
            }
        }
        if (stepM != null && stepM > 0 && Double.isFinite(stepM)) b.scanStepNm(stepM * 1e9, stepM * 1e9);
        Double v = num(root, "source.get_voltage");
        if (v == null) v = num(root, "high_voltage");
        if (v != null && v > 0) b.beamKv(v / 1000.0);
        Double cl = num(root, "optics.get_cameralength");
        if (cl == null) cl = num(root, "nominal_camera_length");
        if (cl != null && cl > 0) b.cameraLengthMm(cl * 1000.0);
        String rot = text(root, "column.get_scanrotation");
        if (rot == null) rot = text(root, "scan_rotation");
        if (rot != null) {
            meta.put("scan_rotation_raw", rot);
            try {
                if (Double.parseDouble(rot) == 0.0) b.scanRotationDeg(0.0);
            } catch (NumberFormatException ignored) {
                // kept as text only
            }
        }
        Element ts = first(root, "timestamp");
        if (ts != null && !ts.getAttribute("isoformat").isEmpty()) meta.put("timestamp", ts.getAttribute("isoformat"));
        putText(meta, root, "software_version", "software_version");
        putText(meta, root, "exposure_time", "exposure_time");
        putText(meta, root, "type", "type");
        putText(meta, root, "bias_voltage", "bias_voltage");
        return b.build();
    }

    // ------------------------------------------------------------------ XML helpers

    private static Element parse(Path xml) {
        try (InputStream in = Files.newInputStream(xml)) {
            if (Files.size(xml) == 0) throw new TruncatedFileException(xml, "XML header", "an EMPAD XML document", "an empty file (0 bytes)");
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setExpandEntityReferences(false);
            DocumentBuilder db = f.newDocumentBuilder();
            db.setErrorHandler(new org.xml.sax.helpers.DefaultHandler() {
                @Override
                public void fatalError(org.xml.sax.SAXParseException e) throws SAXException {
                    throw e; // no "[Fatal Error]" line on stderr: the exception says it
                }
            });
            Document d = db.parse(in);
            Element root = d.getDocumentElement();
            if (!"root".equals(root.getNodeName())) {
                throw new CorruptFileException(xml, "XML root element", "<root> (an EMPAD acquisition XML)", "<" + root.getNodeName() + ">");
            }
            return root;
        } catch (SAXException e) {
            throw new CorruptFileException(xml, "XML header", "well-formed EMPAD XML", oneLine(e.getMessage()), e);
        } catch (IOException e) {
            throw new InvalidInputException(xml, "file", "a readable file", e.toString(), e);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The XML beside {@code raw} whose raw_file names it (at most 500 .xml files looked at), or null. */
    private static Path findXml(Path raw) {
        Path dir = raw.toAbsolutePath().getParent();
        String name = raw.getFileName().toString();
        if (dir == null) return null;
        int seen = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.{xml,XML}")) {
            for (Path p : ds) {
                if (++seen > 500) break;
                if (Files.size(p) > (1 << 20)) continue;
                String s = Files.readString(p, StandardCharsets.ISO_8859_1);
                if (s.contains("filename=\"" + name + "\"")) return raw.resolveSibling(p.getFileName());
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    private static String oneLine(String s) {
        return s == null ? "unparsable" : s.replaceAll("\\s+", " ");
    }

    private static List<Element> all(Element root, String tag) {
        NodeList nl = root.getElementsByTagName(tag);
        java.util.ArrayList<Element> out = new java.util.ArrayList<>();
        for (int i = 0; i < nl.getLength(); i++) if (nl.item(i) instanceof Element e) out.add(e);
        return out;
    }

    private static Element first(Element root, String tag) {
        NodeList nl = root.getElementsByTagName(tag);
        for (int i = 0; i < nl.getLength(); i++) {
            Node n = nl.item(i);
            if (n instanceof Element e) return e;
        }
        return null;
    }

    private static String text(Element root, String tag) {
        Element e = first(root, tag);
        if (e == null) return null;
        String t = e.getTextContent().trim();
        return t.isEmpty() ? null : t;
    }

    private static Double num(Element root, String tag) {
        String t = text(root, tag);
        if (t == null) return null;
        try {
            return Double.valueOf(t);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Integer intOf(Element root, String tag) {
        Double d = num(root, tag);
        return d == null || d != Math.rint(d) ? null : d.intValue();
    }

    private static void putText(Map<String, String> meta, Element root, String tag, String key) {
        String t = text(root, tag);
        if (t != null) meta.put(key, t);
    }
}
