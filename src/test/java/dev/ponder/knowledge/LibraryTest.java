package dev.ponder.knowledge;

import static org.junit.jupiter.api.Assertions.*;

import dev.ponder.engine.PonderException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LibraryTest {
    @TempDir Path dir;

    @Test
    void readsMarkdownAndTextFilesSortedById() throws Exception {
        Files.writeString(dir.resolve("person-0002.md"), "# Bega Forsiron\n\nBega Forsiron is a baker.\n");
        Files.writeString(dir.resolve("city-0001.md"), "# Pevoport\n\nPevoport is a city in Zinodor.\n");
        Files.writeString(dir.resolve("notes.txt"), "\n  Plain text without a heading.  \n\n");
        Files.writeString(dir.resolve("data.json"), "{}");
        Files.writeString(dir.resolve(".hidden.md"), "# Hidden\n\nnot a document\n");
        Files.createDirectory(dir.resolve("sub.md"));
        Library lib = Library.load(dir);
        assertEquals(3, lib.size());
        assertEquals(dir, lib.dir());
        assertEquals(List.of(
                new Document("city-0001", "Pevoport", "Pevoport is a city in Zinodor."),
                new Document("notes", "notes", "Plain text without a heading."),
                new Document("person-0002", "Bega Forsiron", "Bega Forsiron is a baker.")), lib.documents());
    }

    @Test
    void titleIsTheFirstHeadingLine() {
        assertEquals(new Document("x", "Title", "Intro line.\n\nBody.\n# Second"),
                Library.parse("x", "\uFEFFIntro line.\r\n# Title #\r\n\r\nBody.\r\n# Second\r\n"));
        assertEquals(new Document("x", "x", "## Not a title\nbody"), Library.parse("x", "## Not a title\nbody"));
        assertEquals(new Document("x", "x", ""), Library.parse("x", "#   \n"));
        assertEquals(new Document("x", "x", ""), Library.parse("x", ""));
    }

    @Test
    void missingDirectoryIsAClearError() {
        PonderException e = assertThrows(PonderException.class, () -> Library.load(dir.resolve("nope")));
        assertTrue(e.getMessage().startsWith("library directory not found: "), e.getMessage());
    }

    @Test
    void fileInsteadOfDirectoryIsAClearError() throws Exception {
        Path f = Files.writeString(dir.resolve("a.md"), "# A\n");
        PonderException e = assertThrows(PonderException.class, () -> Library.load(f));
        assertTrue(e.getMessage().startsWith("library is not a directory: "), e.getMessage());
    }

    @Test
    void noDocumentsIsAClearError() throws Exception {
        Files.writeString(dir.resolve("readme.rst"), "hi");
        PonderException e = assertThrows(PonderException.class, () -> Library.load(dir));
        assertTrue(e.getMessage().startsWith("no documents (*.md, *.txt) in library directory"), e.getMessage());
    }

    @Test
    void duplicateIdsAreRejected() throws Exception {
        Files.writeString(dir.resolve("a.md"), "# A\n");
        Files.writeString(dir.resolve("a.txt"), "A");
        PonderException e = assertThrows(PonderException.class, () -> Library.load(dir));
        assertEquals("two library files have the id 'a': a.md and a.txt", e.getMessage());
    }

    @Test
    void nonUtf8IsRejected() throws Exception {
        Files.write(dir.resolve("bad.md"), new byte[] {'#', ' ', (byte) 0xC3, (byte) 0x28});
        PonderException e = assertThrows(PonderException.class, () -> Library.load(dir));
        assertTrue(e.getMessage().startsWith("document is not UTF-8 text: "), e.getMessage());
    }
}
