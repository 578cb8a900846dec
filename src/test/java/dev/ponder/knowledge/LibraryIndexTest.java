package dev.ponder.knowledge;

import static org.junit.jupiter.api.Assertions.*;

import dev.ponder.engine.PonderException;
import dev.ponder.think.Passage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LibraryIndexTest {
    @TempDir Path tmp;

    static final List<Document> DOCS = List.of(
            new Document("person-0001", "Bega Forsiron", "Bega Forsiron is a baker who works at Sorbar Foods. Forsiron was born in 1891 in Nismimar."),
            new Document("person-0002", "Bega Numerno", "Bega Numerno is a librarian. Numerno was born in 1902 in Pevoport."),
            new Document("city-0003", "Pevoport", "Pevoport is a city in Zinodor, founded in 1240. It is the capital of Zinodor."),
            new Document("company-0001", "Sorbar Foods", "Sorbar Foods is a company founded in 1915 by Bega Forsiron. Its headquarters are in Kuroby."),
            new Document("country-0001", "Zinodor", "Zinodor is a country. Its capital is Pevoport."));

    private static LibraryIndex indexWith(Path dir, List<Document> docs) {
        LibraryIndex idx = LibraryIndex.open(dir);
        for (Document d : docs) assertEquals(LibraryIndex.Change.ADDED, idx.add(d));
        return idx;
    }

    private static List<String> ids(List<Passage> hits) {
        return hits.stream().map(Passage::docId).toList();
    }

    @Test
    void searchRanksTheRightDocumentFirst() {
        try (LibraryIndex idx = indexWith(tmp.resolve("index"), DOCS)) {
            assertEquals(5, idx.size());
            List<Passage> hits = idx.search("Where was Bega Forsiron born?", 3);
            assertEquals("person-0001", hits.getFirst().docId());
            assertEquals(new Passage("person-0001", "Bega Forsiron", DOCS.getFirst().text(), hits.getFirst().score()), hits.getFirst());
            for (int i = 1; i < hits.size(); i++) assertTrue(hits.get(i - 1).score() >= hits.get(i).score(), "best first");
            assertEquals("city-0003", idx.search("When was Pevoport founded?", 1).getFirst().docId());
            assertEquals("company-0001", idx.search("Where are the headquarters of Sorbar Foods?", 1).getFirst().docId());
            assertEquals("person-0002", idx.search("What is Bega Numerno's occupation?", 1).getFirst().docId(), "possessive");
            assertEquals(5, idx.search("Bega Pevoport Zinodor Sorbar", 10).size(), "fewer than k when the library is small");
            assertEquals(List.of(), idx.search("zzyzx", 5));
            assertEquals(DOCS.get(2), idx.get("city-0003").orElseThrow());
            assertTrue(idx.get("nope").isEmpty());
            assertThrows(IllegalArgumentException.class, () -> idx.search("Bega", 0));
        }
    }

    @Test
    void aDocumentIsLookedUpByItsTitle() {
        Path dir = tmp.resolve("index");
        try (LibraryIndex idx = indexWith(dir, DOCS)) {
            assertEquals("city-0003", idx.titled(" pevoport ").orElseThrow().docId());
            assertEquals(DOCS.get(2).text(), idx.titled("Pevoport").orElseThrow().text());
            assertTrue(idx.titled("Bega").isEmpty(), "a title, not a word of one");
            idx.add(new Document("city-0003", "Pevoport Nova", "Pevoport Nova is a city."));
            assertTrue(idx.titled("Pevoport").isEmpty(), "a changed title replaces the old one");
            assertEquals("city-0003", idx.titled("Pevoport Nova").orElseThrow().docId());
            idx.remove("company-0001");
            assertTrue(idx.titled("Sorbar Foods").isEmpty(), "removed");
            // a looked-up passage is kept, but never past a change of its document
            assertEquals("Pevoport Nova is a city.", idx.titled("Pevoport Nova").orElseThrow().text());
            idx.add(new Document("city-0003", "Pevoport Nova", "Pevoport Nova is a port city."));
            assertEquals("Pevoport Nova is a port city.", idx.titled("Pevoport Nova").orElseThrow().text(), "the changed text, not the kept one");
            idx.remove("city-0003");
            assertTrue(idx.titled("Pevoport Nova").isEmpty(), "removed after being looked up");
            idx.add(new Document("city-0003", "Pevoport Nova", "Pevoport Nova is a city."));
        }
        try (LibraryIndex again = LibraryIndex.open(dir)) {
            assertEquals("city-0003", again.titled("pevoport nova").orElseThrow().docId(), "titles are read back when the index is reopened");
            assertEquals("country-0001", again.titled("Zinodor").orElseThrow().docId());
        }
    }

    @Test
    void addReplacesById() {
        try (LibraryIndex idx = indexWith(tmp.resolve("index"), DOCS)) {
            assertEquals(LibraryIndex.Change.UNCHANGED, idx.add(DOCS.getFirst()));
            Document moved = new Document("person-0001", "Bega Forsiron", "Bega Forsiron is a sculptor living in Quelvane.");
            assertEquals(LibraryIndex.Change.CHANGED, idx.add(moved));
            assertEquals(5, idx.size());
            assertEquals(List.of("person-0001"), ids(idx.search("sculptor Quelvane", 5)));
            assertFalse(ids(idx.search("Nismimar", 5)).contains("person-0001"), "old text is gone");
            assertEquals(moved, idx.get("person-0001").orElseThrow());
        }
    }

    @Test
    void addLibraryIndexesOnlyNewAndChangedDocuments() throws Exception {
        Path lib = Files.createDirectory(tmp.resolve("library"));
        for (Document d : DOCS.subList(0, 3)) Files.writeString(lib.resolve(d.id() + ".md"), "# " + d.title() + "\n\n" + d.text() + "\n");
        try (LibraryIndex idx = LibraryIndex.open(tmp.resolve("index"))) {
            assertEquals(new LibraryIndex.Counts(3, 0, 0, 3), idx.addLibrary(lib));
            assertEquals(new LibraryIndex.Counts(0, 0, 3, 3), idx.addLibrary(lib));
            Files.writeString(lib.resolve("city-0003.md"), "# Pevoport\n\nPevoport is a harbour town on the Glass Sea.\n");
            Files.writeString(lib.resolve("country-0001.txt"), "Zinodor is a country.");
            LibraryIndex.Counts c = idx.addLibrary(lib);
            assertEquals(new LibraryIndex.Counts(1, 1, 2, 4), c);
            assertEquals("indexed 1 new, 1 changed, 2 unchanged; 4 documents", c.describe());
            assertEquals("city-0003", idx.search("harbour on the Glass Sea", 1).getFirst().docId());
            assertEquals("country-0001", idx.get("country-0001").orElseThrow().title(), "a .txt without heading is titled by its id");
        }
    }

    @Test
    void persistsAcrossReopen() {
        Path dir = tmp.resolve("index");
        try (LibraryIndex idx = indexWith(dir, DOCS)) {
            assertTrue(idx.remove("person-0002"));
        }
        try (LibraryIndex idx = LibraryIndex.open(dir)) {
            assertEquals(4, idx.size());
            assertEquals("person-0001", idx.search("Forsiron baker", 1).getFirst().docId());
            assertTrue(idx.get("person-0002").isEmpty());
            assertEquals(LibraryIndex.Change.UNCHANGED, idx.add(DOCS.get(2)), "content hashes persist too");
            assertEquals(LibraryIndex.Change.ADDED, idx.add(DOCS.get(1)));
        }
        try (LibraryIndex idx = LibraryIndex.open(dir)) { // later commits keep the index's marker
            assertEquals(5, idx.size());
            assertEquals("person-0002", idx.search("Numerno librarian", 1).getFirst().docId());
        }
    }

    @Test
    void removeDeletesAtOnce() {
        try (LibraryIndex idx = indexWith(tmp.resolve("index"), DOCS)) {
            assertTrue(idx.remove("company-0001"));
            assertFalse(idx.remove("company-0001"));
            assertFalse(idx.remove("never-there"));
            assertEquals(4, idx.size());
            assertFalse(ids(idx.search("Sorbar Foods headquarters Kuroby", 5)).contains("company-0001"));
            assertEquals(LibraryIndex.Change.ADDED, idx.add(DOCS.get(3)));
        }
    }

    @Test
    void anyTextIsAValidQuery() {
        try (LibraryIndex idx = indexWith(tmp.resolve("index"), DOCS)) {
            for (String q : List.of("\"AND (", "", "   ", "?!...", "*", "\\", "((((", "title:Zinodor", "Bega AND OR NOT",
                    "Pevoport~2 OR Zinodor^3", "[1 TO 5]", "/regex.*/", "+-&&||!{}[]^\"~*?:\\/", "the of and is",
                    "Здравствуйте 東京 🙂", "Bega\u0000Forsiron")) {
                List<Passage> hits = assertDoesNotThrow(() -> idx.search(q, 5), q);
                assertTrue(hits.size() <= 5, q);
            }
            assertEquals(List.of(), idx.search("\"AND (", 5), "punctuation and stop words only");
            assertEquals(List.of(), idx.search("", 5));
            assertEquals("country-0001", idx.search("Zinodor^3 AND (", 1).getFirst().docId(), "operators are just words");
            StringBuilder huge = new StringBuilder(); // far more distinct words than Lucene's 1024-clause limit
            for (int i = 0; i < 5000; i++) huge.append("word").append(i).append(' ');
            huge.append("Forsiron");
            assertDoesNotThrow(() -> idx.search(huge.toString(), 5));
        }
    }

    @Test
    void searchesRunConcurrentlyWithAdds() throws Exception {
        try (LibraryIndex idx = indexWith(tmp.resolve("index"), DOCS)) {
            AtomicBoolean done = new AtomicBoolean();
            ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
            AtomicInteger searches = new AtomicInteger();
            CountDownLatch started = new CountDownLatch(2);
            List<Thread> readers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                readers.add(Thread.ofPlatform().start(() -> {
                    started.countDown();
                    try {
                        while (!done.get()) {
                            List<Passage> hits = idx.search("Bega Forsiron baker extra", 5);
                            if (hits.isEmpty() || !hits.getFirst().docId().equals("person-0001")) throw new AssertionError("hits " + ids(hits));
                            searches.incrementAndGet();
                            Thread.sleep(0, 100_000); // on 2 shared cores, leave the writer some time
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                }));
            }
            started.await();
            for (int i = 0; i < 25; i++) {
                String id = "extra-" + i;
                idx.add(new Document(id, "Extra " + i, "Extra document number q" + i + " about nothing much."));
                assertEquals(List.of(id), ids(idx.search("q" + i, 5)), "an add is visible to the next search");
            }
            done.set(true);
            for (Thread t : readers) t.join();
            assertEquals(List.of(), List.copyOf(errors));
            assertTrue(searches.get() > 0);
            assertEquals(30, idx.size());
        }
    }

    @Test
    void corruptIndexIsOneClearError() throws Exception {
        Path dir = tmp.resolve("index");
        indexWith(dir, DOCS).close();
        Path segments;
        try (Stream<Path> s = Files.list(dir)) {
            segments = s.filter(p -> p.getFileName().toString().startsWith("segments_")).findFirst().orElseThrow();
        }
        byte[] b = Files.readAllBytes(segments);
        Files.write(segments, java.util.Arrays.copyOf(b, b.length / 2));
        PonderException e = assertThrows(PonderException.class, () -> LibraryIndex.open(dir));
        assertTrue(e.getMessage().contains("is corrupt or incomplete"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());

        Path other = tmp.resolve("index2"); // intact commit point, a segment file missing
        indexWith(other, DOCS).close();
        try (Stream<Path> s = Files.list(other)) {
            for (Path p : s.filter(p -> p.getFileName().toString().matches("_.*\\.(cfs|si)")).toList()) Files.delete(p);
        }
        e = assertThrows(PonderException.class, () -> LibraryIndex.open(other));
        assertTrue(e.getMessage().contains("is corrupt or incomplete"), e.getMessage());
    }

    @Test
    void foreignDirectoriesAreRefused() throws Exception {
        Path notIndex = Files.createDirectory(tmp.resolve("docs"));
        Files.writeString(notIndex.resolve("a.md"), "# A\n");
        PonderException e = assertThrows(PonderException.class, () -> LibraryIndex.open(notIndex));
        assertTrue(e.getMessage().startsWith("not an index directory (it holds other files)"), e.getMessage());
        assertEquals(List.of(notIndex.resolve("a.md")), Files.list(notIndex).toList(), "nothing written into it");

        Path plainLucene = tmp.resolve("lucene");
        try (var d = FSDirectory.open(plainLucene); var w = new IndexWriter(d, new IndexWriterConfig(new StandardAnalyzer()))) {
            org.apache.lucene.document.Document doc = new org.apache.lucene.document.Document();
            doc.add(new StringField("x", "y", Field.Store.YES));
            w.addDocument(doc);
        }
        e = assertThrows(PonderException.class, () -> LibraryIndex.open(plainLucene));
        assertTrue(e.getMessage().startsWith("not a Ponder library index"), e.getMessage());

        Path file = Files.writeString(tmp.resolve("file"), "x");
        e = assertThrows(PonderException.class, () -> LibraryIndex.open(file));
        assertTrue(e.getMessage().startsWith("index path is a file"), e.getMessage());
    }

    @Test
    void anIndexOpenTwiceIsRefusedAndAnalyzerIsChecked() {
        Path dir = tmp.resolve("index");
        try (LibraryIndex idx = indexWith(dir, DOCS)) {
            PonderException e = assertThrows(PonderException.class, () -> LibraryIndex.open(dir));
            assertTrue(e.getMessage().contains("is already open"), e.getMessage());
        }
        LibraryQuery.Tuning other = new LibraryQuery.Tuning("standard", 1f, false);
        PonderException e = assertThrows(PonderException.class, () -> LibraryIndex.open(dir, other));
        assertTrue(e.getMessage().contains("was built with the 'english' analyzer"), e.getMessage());
    }

    @Test
    void closedIndexRefusesUse() {
        LibraryIndex idx = indexWith(tmp.resolve("index"), DOCS);
        idx.close();
        idx.close();
        assertThrows(IllegalStateException.class, () -> idx.search("Bega", 1));
        assertThrows(IllegalStateException.class, () -> idx.add(DOCS.getFirst()));
    }
}
