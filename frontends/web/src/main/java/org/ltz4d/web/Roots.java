package org.ltz4d.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The folders the workbench may read and write: every path a request names is resolved here and
 * refused unless it lies under one of them once symbolic links are followed ({@code ..} segments
 * are refused outright).
 */
public final class Roots {
    private final List<Path> roots;

    public Roots(List<Path> roots) {
        if (roots.isEmpty()) throw new IllegalArgumentException("at least one root folder is needed");
        List<Path> real = new ArrayList<>();
        for (Path r : roots) {
            try {
                real.add(r.toRealPath());
            } catch (IOException e) {
                throw new IllegalArgumentException("root folder " + r + " does not exist", e);
            }
        }
        this.roots = List.copyOf(real);
    }

    public List<Path> list() {
        return roots;
    }

    /** An existing file or folder under a root, by its absolute path as the page shows it. */
    public Path existing(String path) {
        Path p = lexical(path);
        Path real;
        try {
            real = p.toRealPath();
        } catch (IOException e) {
            throw new WebException(404, "no such file or folder: " + path);
        }
        return inside(real, path);
    }

    /** A path that may not exist yet (an output folder): its nearest existing ancestor must be under a root, reached without links. */
    public Path writable(String path) {
        Path p = lexical(path);
        Path existing = p;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) existing = existing.getParent();
        if (existing == null) throw new WebException(403, "path " + path + " is outside the allowed folders");
        try {
            Path real = inside(existing.toRealPath(), path);
            return real.resolve(existing.relativize(p));
        } catch (IOException e) {
            throw new WebException(403, "path " + path + " cannot be checked: " + e.getMessage());
        }
    }

    private static Path lexical(String path) {
        if (path == null || path.isBlank()) throw new WebException(400, "parameter 'path': a file or folder path is expected");
        Path p = Path.of(path);
        for (Path seg : p) {
            if (seg.toString().equals("..")) throw new WebException(403, "path " + path + ": '..' is not allowed");
        }
        if (!p.isAbsolute()) throw new WebException(400, "path " + path + ": an absolute path is expected");
        return p.normalize();
    }

    private Path inside(Path real, String asked) {
        for (Path r : roots) {
            if (real.startsWith(r)) return real;
        }
        throw new WebException(403, "path " + asked + " is outside the allowed folders " + roots);
    }
}
