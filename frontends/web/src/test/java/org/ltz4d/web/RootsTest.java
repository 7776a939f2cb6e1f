package org.ltz4d.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Paths under the allowed folders only: no '..', no symbolic link out, output folders too. */
class RootsTest {
    @TempDir
    Path root;
    @TempDir
    Path outside;

    @Test
    void insideIsAllowedDotDotAndLinksOutAreNot() throws Exception {
        Files.createDirectories(root.resolve("a/b"));
        Files.writeString(outside.resolve("secret"), "x");
        Files.createSymbolicLink(root.resolve("a/out"), outside);
        Files.createSymbolicLink(root.resolve("a/in"), root.resolve("a/b"));
        Roots roots = new Roots(List.of(root));
        assertEquals(root.resolve("a/b").toRealPath(), roots.existing(root.resolve("a/b").toString()));
        assertEquals(root.resolve("a/b").toRealPath(), roots.existing(root.resolve("a/in").toString()), "a link that stays inside is fine");
        assertEquals(403, assertThrows(WebException.class, () -> roots.existing(root + "/a/b/../../a")).status());
        WebException link = assertThrows(WebException.class, () -> roots.existing(root.resolve("a/out/secret").toString()));
        assertEquals(403, link.status());
        assertTrue(link.getMessage().contains("outside the allowed folders"), link.getMessage());
        assertEquals(403, assertThrows(WebException.class, () -> roots.writable(root.resolve("a/out/new/results").toString())).status(),
                "an output folder through a link out");
        assertEquals(root.toRealPath().resolve("a/b/new/x"), roots.writable(root.resolve("a/b/new/x").toString()));
        assertEquals(403, assertThrows(WebException.class, () -> roots.writable(outside.resolve("x").toString())).status());
        assertEquals(404, assertThrows(WebException.class, () -> roots.existing(root.resolve("nothing").toString())).status());
        assertEquals(400, assertThrows(WebException.class, () -> roots.existing("a/b")).status());
    }
}
