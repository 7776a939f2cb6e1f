package org.ltz4d.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.ltz4d.it.swap.SwapFitter;
import org.osgi.framework.Constants;

/** Bundles written at test time around {@link SwapFitter}: two versions differ in the code of their one class. */
final class SwapBundles {
    private SwapBundles() {
    }

    /**
     * A bundle holding {@link SwapFitter} as class version {@code classVersion} and exporting its
     * package; with {@code activator} it registers the fitter itself.
     */
    static Path bundle(Path dir, String file, String bsn, String version, int classVersion, boolean activator) throws IOException {
        Map<String, String> h = new LinkedHashMap<>();
        h.put(Constants.BUNDLE_SYMBOLICNAME, bsn);
        h.put(Constants.BUNDLE_VERSION, version);
        h.put(Constants.EXPORT_PACKAGE, "org.ltz4d.it.swap;version=" + version);
        h.put(Constants.IMPORT_PACKAGE, "org.ltz4d.api.analysis;version=\"[1.0,2)\",org.ltz4d.api.units;version=\"[1.0,2)\",org.osgi.framework");
        if (activator) h.put(Constants.BUNDLE_ACTIVATOR, SwapFitter.class.getName());
        return jar(dir, file, h, Map.of("org/ltz4d/it/swap/SwapFitter.class", swapClass(classVersion)));
    }

    /** SwapFitter's class file, with its version mark rewritten to {@code version}. */
    static byte[] swapClass(int version) throws IOException {
        byte[] b;
        try (InputStream in = SwapFitter.class.getResourceAsStream("SwapFitter.class")) {
            b = in.readAllBytes();
        }
        byte[] from = SwapFitter.MARK.getBytes(StandardCharsets.UTF_8);
        byte[] to = SwapFitter.MARK.replace("-v1", "-v" + version).getBytes(StandardCharsets.UTF_8);
        int hits = 0;
        outer:
        for (int i = 0; i + from.length <= b.length; i++) {
            for (int j = 0; j < from.length; j++) if (b[i + j] != from[j]) continue outer;
            System.arraycopy(to, 0, b, i, to.length);
            hits++;
        }
        assertTrue(hits > 0, "the mark is in the class file");
        return b;
    }

    static Path jar(Path dir, String file, Map<String, String> headers, Map<String, byte[]> entries) throws IOException {
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue(Constants.BUNDLE_MANIFESTVERSION, "2");
        headers.forEach(a::putValue);
        Path p = dir.resolve(file);
        try (OutputStream out = Files.newOutputStream(p); JarOutputStream jar = new JarOutputStream(out, mf)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                jar.putNextEntry(new JarEntry(e.getKey()));
                jar.write(e.getValue());
                jar.closeEntry();
            }
        }
        return p;
    }
}
