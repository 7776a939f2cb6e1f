package org.ltz4d.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltz4d.api.data.DetectorCalibrator;
import org.ltz4d.api.engine.Engine;
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.api.param.Parameters;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

/**
 * The detector calibrations are services of bundle {@code org.ltz4d.calibration}: {@code q} and
 * {@code distortion} are registered while it runs, measure a dataset opened through the engine (a
 * ring of known radius gives the known pixel size), and go away when the bundle stops and come
 * back when it starts.
 */
class CalibrationServiceIT {
    static final String BUNDLE = "org.ltz4d.calibration";

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10000)
    Engine engine;

    @TempDir
    Path dir;

    private List<String> names() throws Exception {
        List<String> out = new ArrayList<>();
        for (ServiceReference<DetectorCalibrator> r : context.getServiceReferences(DetectorCalibrator.class, null)) {
            DetectorCalibrator c = context.getService(r);
            if (c == null) continue;
            try {
                out.add(c.name());
            } finally {
                context.ungetService(r);
            }
        }
        return out;
    }

    private void await(boolean present) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            List<String> n = names();
            if (present == (n.contains("q") && n.contains("distortion")) && (present || n.isEmpty())) return;
            Thread.sleep(10);
        }
        fail("calibration services should be " + (present ? "registered" : "gone") + ": " + names());
    }

    private DetectorCalibrator calibrator(String name) throws Exception {
        for (ServiceReference<DetectorCalibrator> r : context.getServiceReferences(DetectorCalibrator.class, null)) {
            DetectorCalibrator c = context.getService(r);
            if (c != null && c.name().equals(name)) return c;
        }
        fail("no calibration service " + name + ": " + names());
        return null;
    }

    @Test
    void calibrationServicesFollowTheirBundleAndMeasureAKnownRing() throws Exception {
        Bundle b = null;
        for (Bundle x : context.getBundles()) if (BUNDLE.equals(x.getSymbolicName())) b = x;
        assertNotNull(b, "bundle " + BUNDLE + " installed");
        await(true);

        // a ring of radius 30 px and q = 2.0 1/Å: s = q/2π per 30 px
        Path file = ring(dir.resolve("ring.npy"), 2, 2, 96, 30.0);
        DetectorCalibrator q = calibrator("q");
        DetectorCalibrator.Result r = q.calibrate(file, () -> engine.open(file, Parameters.of(Map.of())),
                Parameters.of(Map.of("ring-q", "2.0", "beam-kv", "300", "frames", "4")));
        double want = 2.0 / (2 * Math.PI) / 30.0;
        double got = ((Number) r.values().get("pixel_inv_angstrom")).doubleValue();
        double sigma = ((Number) r.values().get("pixel_inv_angstrom_sigma")).doubleValue();
        System.out.printf("calibration service q: %.6g ± %.2g 1/Å per px (want %.6g)%n", got, sigma, want);
        assertEquals(want, got, 0.01 * want, r.lines().toString());
        assertEquals(file.toString(), r.values().get("source"));
        assertEquals(4L, ((Number) r.values().get("frames_averaged")).longValue());
        InvalidParameterException e = assertThrows(InvalidParameterException.class,
                () -> q.calibrate(file, () -> engine.open(file, Parameters.of(Map.of())), Parameters.of(Map.of())));
        assertTrue(e.getMessage().contains("ring-q"), e.getMessage());

        b.stop();
        try {
            await(false);
        } finally {
            b.start();
        }
        await(true);
    }

    /** A (ny, nx, n, n) float32 .npy whose every frame is a direct beam plus a Gaussian ring of radius r about the centre. */
    static Path ring(Path file, int ny, int nx, int n, double r) throws IOException {
        String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + ny + ", " + nx + ", " + n + ", " + n + "), }";
        StringBuilder h = new StringBuilder(header);
        while ((10 + h.length() + 1) % 64 != 0) h.append(' ');
        h.append('\n');
        byte[] hb = h.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer bb = ByteBuffer.allocate(10 + hb.length + 4 * ny * nx * n * n).order(ByteOrder.LITTLE_ENDIAN);
        bb.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.ISO_8859_1)).put((byte) 1).put((byte) 0).putShort((short) hb.length).put(hb);
        double c = (n - 1) / 2.0 + 0.3;
        for (int f = 0; f < ny * nx; f++) {
            for (int y = 0; y < n; y++) for (int x = 0; x < n; x++) {
                double rho = Math.hypot(x - c, y - c);
                bb.putFloat((float) (20000 * Math.exp(-rho * rho / 18) + 300 * Math.exp(-(rho - r) * (rho - r) / 8) + 20));
            }
        }
        return Files.write(file, bb.array());
    }
}
