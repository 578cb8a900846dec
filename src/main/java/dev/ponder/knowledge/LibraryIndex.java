package dev.ponder.knowledge;

import dev.ponder.engine.PonderException;
import dev.ponder.think.Passage;
import dev.ponder.think.Retriever;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexFormatTooNewException;
import org.apache.lucene.index.IndexFormatTooOldException;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.util.Bits;

/**
 * A library in a persistent Lucene index, searched with BM25 over each document's title and text.
 *
 * <p>{@link #open} creates the index or opens one made earlier. Documents are keyed by id: {@link #add}
 * inserts or replaces one, {@link #addLibrary} brings a whole directory up to date, touching only
 * documents that are new or whose content changed (each stores a hash of its title and text), and
 * {@link #remove} deletes one. Every change is visible to the next search at once (a near-real-time
 * reader); it is made durable by {@link #commit}, {@link #addLibrary} or {@link #close}.
 *
 * <p>Thread safety: any number of threads may search while one or more threads change the index
 * (changes are serialised). One process at a time may open a given index directory.
 *
 * <p>Queries have no syntax (see {@link LibraryQuery}): any text is a valid query, and text with no
 * searchable word finds nothing.
 */
public final class LibraryIndex implements Retriever, AutoCloseable {
    /** What {@link #add} did with a document. */
    public enum Change { ADDED, CHANGED, UNCHANGED }

    /**
     * What {@link #addLibrary} did.
     *
     * @param added documents new to the index
     * @param changed documents whose title or text changed, replaced
     * @param unchanged documents already indexed with the same content
     * @param documents documents in the index afterwards
     */
    public record Counts(int added, int changed, int unchanged, int documents) {
        /** {@code indexed N new, M changed, R unchanged; X documents}. */
        public String describe() {
            return "indexed " + added + " new, " + changed + " changed, " + unchanged + " unchanged; " + documents + " documents";
        }
    }

    /** Commit-data keys identifying a Ponder index. */
    static final String FORMAT_KEY = "ponder.index", FORMAT = "1", ANALYZER_KEY = "ponder.analyzer";
    static final String ID = "id", HASH = "hash", TITLE = LibraryQuery.TITLE, TEXT = LibraryQuery.TEXT;

    /**
     * English analyser (possessives, stop words, stemming), title and text BM25 summed with equal weight:
     * best subject recall on the seed-7 world's dev set (figures in the test-side RetrievalExperiment).
     */
    static final LibraryQuery.Tuning DEFAULT = new LibraryQuery.Tuning("english", 1f, false);

    /**
     * Lucene logs an INFO line about the Vector API the first time it runs, which a command-line user
     * sees as noise on stderr: quieted to warnings unless logging is configured. Held here because
     * java.util.logging keeps loggers only weakly.
     */
    private static final Logger LUCENE_VECTOR_LOG = Logger.getLogger("org.apache.lucene.internal.vectorization");

    static {
        if (LUCENE_VECTOR_LOG.getLevel() == null) LUCENE_VECTOR_LOG.setLevel(Level.WARNING);
    }

    private final Path path;
    private final Directory directory;
    private final Analyzer analyzer;
    private final LibraryQuery.Tuning tuning;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    /** id → content hash of every document in the index; changed only under {@link #writeLock}. */
    private final Map<String, String> hashes = new ConcurrentHashMap<>();
    /** Document ids by lower-cased title, for {@link #titled} (a title several documents share maps to one of them). */
    private final Map<String, String> titles = new ConcurrentHashMap<>();
    /**
     * Passages {@link #titled} has read, by document id: the controller looks up every drafted name, and reading
     * a stored document back costs a search and a decompression (~0.15 ms, 6 % of a sure fast answer). Emptied by
     * every change to the index; at most {@link #TITLED_CACHE} entries.
     */
    private final Map<String, Passage> titledPassages = new ConcurrentHashMap<>();
    private static final int TITLED_CACHE = 10_000;
    /** Incremented by every change, so that a lookup racing a change does not cache what it read before. */
    private volatile long generation;
    /** The title key of each document id (the reverse of {@link #titles}). */
    private final Map<String, String> titleOf = new ConcurrentHashMap<>();
    private final Object writeLock = new Object();
    private volatile boolean closed;

    private LibraryIndex(Path path, Directory directory, Analyzer analyzer, LibraryQuery.Tuning tuning, IndexWriter writer) throws IOException {
        this.path = path;
        this.directory = directory;
        this.analyzer = analyzer;
        this.tuning = tuning;
        this.writer = writer;
        this.searchers = new SearcherManager(writer, null);
        try {
            IndexSearcher s = searchers.acquire();
            try {
                loadHashes(s.getIndexReader());
            } finally {
                searchers.release(s);
            }
        } catch (IOException | RuntimeException e) {
            searchers.close();
            throw e;
        }
    }

    /**
     * Opens the index in {@code indexDir}, creating the directory and an empty index if absent.
     *
     * @throws PonderException if the directory holds other files (it is not an index), holds a Lucene
     *     index not written by Ponder, is corrupt or unreadable, or is already open (here or in another process)
     */
    public static LibraryIndex open(Path indexDir) {
        return open(indexDir, DEFAULT);
    }

    /** Opens with a given tuning; a new index records its analyser, an existing one must match it. */
    static LibraryIndex open(Path indexDir, LibraryQuery.Tuning tuning) {
        if (Files.exists(indexDir) && !Files.isDirectory(indexDir)) throw new PonderException("index path is a file, not a directory: " + indexDir);
        Directory dir = null;
        Analyzer analyzer = null;
        IndexWriter writer = null;
        try {
            Files.createDirectories(indexDir);
            dir = FSDirectory.open(indexDir);
            checkIsPonderIndexOrEmpty(indexDir, dir, tuning.analyzer());
            analyzer = Analyzers.create(tuning.analyzer());
            IndexWriterConfig cfg = new IndexWriterConfig(analyzer).setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
            boolean fresh = !DirectoryReader.indexExists(dir);
            writer = new IndexWriter(dir, cfg);
            if (fresh) { // an empty index with its marker; later commits keep the commit data
                writer.setLiveCommitData(Map.of(FORMAT_KEY, FORMAT, ANALYZER_KEY, tuning.analyzer()).entrySet());
                writer.commit();
            }
            return new LibraryIndex(indexDir, dir, analyzer, tuning, writer);
        } catch (LockObtainFailedException e) {
            closeQuietly(writer, analyzer, dir);
            throw new PonderException("index " + indexDir + " is already open, here or in another process (its write.lock is held)", e);
        } catch (CorruptIndexException | IndexFormatTooOldException | IndexFormatTooNewException | EOFException | NoSuchFileException e) {
            closeQuietly(writer, analyzer, dir);
            throw new PonderException("index " + indexDir + " is corrupt or incomplete (" + e.getClass().getSimpleName()
                    + "); delete the directory and index the library again", e);
        } catch (IOException e) {
            closeQuietly(writer, analyzer, dir);
            throw new PonderException("cannot open index " + indexDir + ": " + e.getClass().getSimpleName() + " " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(writer, analyzer, dir);
            throw e;
        }
    }

    /** A directory we may use: empty (bar a stale lock), or a Lucene index carrying our marker and analyser. */
    private static void checkIsPonderIndexOrEmpty(Path indexDir, Directory dir, String analyzerName) throws IOException {
        boolean hasFiles;
        try (Stream<Path> s = Files.list(indexDir)) {
            hasFiles = s.anyMatch(p -> !p.getFileName().toString().equals(IndexWriter.WRITE_LOCK_NAME));
        }
        if (!hasFiles) return;
        if (!DirectoryReader.indexExists(dir))
            throw new PonderException("not an index directory (it holds other files): " + indexDir + "; choose a new or empty directory");
        Map<String, String> data = SegmentInfos.readLatestCommit(dir).getUserData();
        if (!FORMAT.equals(data.get(FORMAT_KEY)))
            throw new PonderException("not a Ponder library index (a Lucene index without Ponder's marker): " + indexDir);
        if (!analyzerName.equals(data.get(ANALYZER_KEY)))
            throw new PonderException("index " + indexDir + " was built with the '" + data.get(ANALYZER_KEY) + "' analyzer, not '"
                    + analyzerName + "'; delete it and index the library again");
    }

    private void loadHashes(IndexReader reader) throws IOException {
        for (LeafReaderContext leaf : reader.leaves()) {
            LeafReader r = leaf.reader();
            Bits live = r.getLiveDocs();
            StoredFields fields = r.storedFields();
            for (int d = 0; d < r.maxDoc(); d++) {
                if (live != null && !live.get(d)) continue;
                org.apache.lucene.document.Document doc = fields.document(d, java.util.Set.of(ID, HASH, TITLE));
                hashes.put(doc.get(ID), doc.get(HASH));
                indexTitle(doc.get(ID), doc.get(TITLE));
            }
        }
    }

    /**
     * Adds {@code doc}, replacing any document with the same id; visible to searches on return.
     *
     * @return whether the document was new, changed (replaced) or already indexed with this content (no-op)
     */
    public Change add(Document doc) {
        synchronized (writeLock) {
            Change c = put(doc);
            if (c != Change.UNCHANGED) refresh();
            return c;
        }
    }

    /** Brings the index up to date with {@link Library#load(Path) the library in dir}, then commits. */
    public Counts addLibrary(Path dir) {
        return addLibrary(Library.load(dir));
    }

    /**
     * Adds the library's new documents and replaces its changed ones, then commits. Documents in the
     * index but not in the library are kept (an index may hold several libraries; see {@link #remove}).
     */
    public Counts addLibrary(Library library) {
        synchronized (writeLock) {
            int added = 0, changed = 0, unchanged = 0;
            for (Document d : library.documents()) {
                switch (put(d)) {
                    case ADDED -> added++;
                    case CHANGED -> changed++;
                    case UNCHANGED -> unchanged++;
                }
            }
            refresh();
            commit();
            return new Counts(added, changed, unchanged, hashes.size());
        }
    }

    private Change put(Document doc) {
        ensureOpen();
        String hash = hash(doc);
        String old = hashes.get(doc.id());
        if (hash.equals(old)) return Change.UNCHANGED;
        org.apache.lucene.document.Document d = new org.apache.lucene.document.Document();
        d.add(new StringField(ID, doc.id(), Field.Store.YES));
        d.add(new TextField(TITLE, doc.title(), Field.Store.YES));
        d.add(new TextField(TEXT, doc.text(), Field.Store.YES));
        d.add(new StoredField(HASH, hash));
        try {
            writer.updateDocument(new Term(ID, doc.id()), d);
        } catch (IOException e) {
            throw writeFailed(e);
        }
        changed();
        hashes.put(doc.id(), hash);
        indexTitle(doc.id(), doc.title());
        return old == null ? Change.ADDED : Change.CHANGED;
    }

    /** Deletes the document {@code id}; visible to searches on return. @return whether it was in the index */
    public boolean remove(String id) {
        synchronized (writeLock) {
            ensureOpen();
            if (!hashes.containsKey(id)) return false;
            try {
                writer.deleteDocuments(new Term(ID, id));
            } catch (IOException e) {
                throw writeFailed(e);
            }
            changed();
            hashes.remove(id);
            String key = titleOf.remove(id);
            if (key != null) titles.remove(key, id);
            refresh();
            return true;
        }
    }

    /** Makes every change so far durable (survives a crash or a reopen). */
    public void commit() {
        synchronized (writeLock) {
            ensureOpen();
            try {
                if (writer.hasUncommittedChanges()) writer.commit();
            } catch (IOException e) {
                throw writeFailed(e);
            }
        }
    }

    /** Number of documents in the index. */
    public int size() {
        return hashes.size();
    }

    /** The document {@code id}, if indexed. */
    public Optional<Document> get(String id) {
        return withSearcher(s -> {
            TopDocs top = s.search(new TermQuery(new Term(ID, id)), 1);
            return top.scoreDocs.length == 0 ? Optional.empty() : Optional.of(document(s, top.scoreDocs[0].doc));
        });
    }

    /** Records {@code id}'s title for {@link #titled} (a changed document may have a new title). */
    private void indexTitle(String id, String title) {
        String key = titleKey(title), old = titleOf.put(id, key);
        if (old != null && !old.equals(key)) titles.remove(old, id);
        if (!key.isEmpty()) titles.put(key, id);
    }

    private static String titleKey(String title) {
        return title == null ? "" : title.strip().toLowerCase(java.util.Locale.ROOT);
    }

    /** The document titled {@code name} (case aside), looked up by title without a search. */
    @Override
    public Optional<Passage> titled(String name) {
        String id = titles.get(titleKey(name));
        if (id == null) return Optional.empty();
        Passage known = titledPassages.get(id);
        if (known != null) return Optional.of(known);
        long gen = generation;
        Optional<Passage> read = get(id).map(d -> new Passage(d.id(), d.title(), d.text(), 0));
        if (read.isPresent()) {
            if (titledPassages.size() >= TITLED_CACHE) titledPassages.clear();
            titledPassages.put(id, read.get());
            if (generation != gen) titledPassages.remove(id); // a change raced the read: do not keep it
        }
        return read;
    }

    /**
     * The {@code k} documents that best match {@code query} (BM25 over title and text), best first;
     * empty when the query has no searchable word.
     *
     * @throws IllegalArgumentException if {@code k < 1}
     */
    @Override
    public List<Passage> search(String query, int k) {
        if (k < 1) throw new IllegalArgumentException("k must be at least 1: " + k);
        Query q = LibraryQuery.build(query, analyzer, tuning);
        if (q == null) return List.of();
        return withSearcher(s -> {
            TopDocs top = s.search(q, k);
            List<Passage> out = new ArrayList<>(top.scoreDocs.length);
            for (ScoreDoc sd : top.scoreDocs) {
                Document d = document(s, sd.doc);
                out.add(new Passage(d.id(), d.title(), d.text(), sd.score));
            }
            return out;
        });
    }

    /** The directory this index lives in. */
    public Path path() {
        return path;
    }

    /** Commits pending changes and releases the index directory. Idempotent. */
    @Override
    public void close() {
        synchronized (writeLock) {
            if (closed) return;
            closed = true;
            try {
                searchers.close();
                writer.close(); // commits pending changes
            } catch (IOException e) {
                throw writeFailed(e);
            } finally {
                closeQuietly(null, analyzer, directory); // no writer: it closed (or failed) above
            }
        }
    }

    private interface SearcherTask<T> {
        T run(IndexSearcher s) throws IOException;
    }

    private <T> T withSearcher(SearcherTask<T> task) {
        ensureOpen();
        try {
            IndexSearcher s = searchers.acquire();
            try {
                return task.run(s);
            } finally {
                searchers.release(s);
            }
        } catch (IOException e) {
            throw new PonderException("cannot read index " + path + ": " + e.getClass().getSimpleName() + " " + e.getMessage(), e);
        }
    }

    private static Document document(IndexSearcher s, int docId) throws IOException {
        org.apache.lucene.document.Document d = s.storedFields().document(docId);
        return new Document(d.get(ID), d.get(TITLE), d.get(TEXT));
    }

    private void refresh() {
        try {
            searchers.maybeRefreshBlocking();
        } catch (IOException e) {
            throw new PonderException("cannot refresh index " + path + ": " + e.getMessage(), e);
        }
        changed();
    }

    /** Forgets the passages {@link #titled} has read (the index changed, or is about to be visible changed). */
    private void changed() {
        generation++;
        titledPassages.clear();
    }

    private void ensureOpen() {
        if (closed) throw new IllegalStateException("library index " + path + " is closed");
    }

    private PonderException writeFailed(IOException e) {
        return new PonderException("cannot write index " + path + ": " + e.getClass().getSimpleName() + " " + e.getMessage(), e);
    }

    /** Hex SHA-256 of the title and text (what a change must alter to be re-indexed). */
    static String hash(Document d) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(d.title().getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            md.update(d.text().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }

    /** Releases what a failed open acquired; the writer is rolled back so a failed open writes nothing. */
    private static void closeQuietly(IndexWriter writer, Analyzer analyzer, Directory dir) {
        AutoCloseable rollback = writer == null ? null : writer::rollback;
        for (AutoCloseable c : new AutoCloseable[] {rollback, analyzer, dir}) {
            if (c == null) continue;
            try {
                c.close();
            } catch (Exception ignored) {
                // already failing or closing; the first error is the one to report
            }
        }
    }
}
