package org.ltz4d.io.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the shared real files are looked for: no machine path, the CI layout, a git worktree, a property. */
class ExpectedTest {
    @TempDir
    Path tmp;

    private Path sharedAt(Path dir) throws Exception {
        Path real = dir.resolve("data").resolve("real");
        Files.createDirectories(real);
        return real;
    }

    @Test
    void ciLayoutSharedBesideTheProjectRoot() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("clone"));
        Path module = Files.createDirectories(root.resolve("plugins/reader-x"));
        Path real = sharedAt(tmp.resolve("shared"));
        assertEquals(real, Expected.locate(null, List.of(root.toString()), new ArrayList<>()));
        assertEquals(real, Expected.locate("", List.of("", module.toString()), new ArrayList<>()), "from a module's folder too");
    }

    @Test
    void worktreeFindsTheSharedFolderBesideAnAncestor() throws Exception {
        Path module = Files.createDirectories(tmp.resolve("wt/branch/plugins/reader-x"));
        Path real = sharedAt(tmp.resolve("shared"));
        List<Path> tried = new ArrayList<>();
        assertEquals(real, Expected.locate(null, List.of(module.toString()), tried));
        assertTrue(tried.contains(tmp.resolve("wt/shared/data/real")), "the nearer places come first: " + tried);
    }

    @Test
    void anExistingPropertyWinsAMissingOneFallsBackToTheSearch() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("clone"));
        Path beside = sharedAt(tmp.resolve("shared"));
        Path elsewhere = sharedAt(tmp.resolve("elsewhere"));
        assertEquals(elsewhere, Expected.locate(tmp.resolve("elsewhere").toString(), List.of(root.toString()), new ArrayList<>()));
        List<Path> tried = new ArrayList<>();
        assertEquals(beside, Expected.locate(tmp.resolve("missing").toString(), List.of(root.toString()), tried));
        assertEquals(tmp.resolve("missing/data/real"), tried.get(0));
    }

    @Test
    void nothingFoundGivesNullAndListsWhereItLooked() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("a/b/clone"));
        Files.createDirectories(tmp.resolve("a/shared")); // a shared folder without data/real does not count
        List<Path> tried = new ArrayList<>();
        // the search may still reach a real shared folder above the temporary directory on this machine:
        // only assert on what lies inside it
        Path found = Expected.locate(null, List.of(root.toString()), tried);
        assertTrue(found == null || !found.startsWith(tmp), "found " + found);
        assertTrue(tried.contains(tmp.resolve("a/b/shared/data/real")) && tried.contains(tmp.resolve("a/shared/data/real")), "" + tried);
    }
}
