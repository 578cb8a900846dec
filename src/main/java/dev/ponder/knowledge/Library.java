package dev.ponder.knowledge;

import dev.ponder.engine.PonderException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A directory of documents: every {@code *.md} and {@code *.txt} file directly inside it (not in
 * sub-directories; hidden files are skipped), read as UTF-8. A document's id is its file name without
 * the extension, its title the first {@code # } heading line (else the id), and its text the rest,
 * trimmed. Documents are ordered by id.
 */
public final class Library {
    private final Path dir;
    private final List<Document> documents; // sorted by id

    private Library(Path dir, List<Document> documents) {
        this.dir = dir;
        this.documents = List.copyOf(documents);
    }

    /**
     * Reads every document in {@code dir}.
     *
     * @throws PonderException if {@code dir} is missing, not a directory or unreadable, if it holds no
     *     documents, if a file is not UTF-8, or if two files share an id ({@code a.md} and {@code a.txt})
     */
    public static Library load(Path dir) {
        if (!Files.exists(dir)) throw new PonderException("library directory not found: " + dir);
        if (!Files.isDirectory(dir)) throw new PonderException("library is not a directory: " + dir);
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(Library::isDocumentFile).sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new PonderException("cannot read library directory " + dir + ": " + reason(e), e);
        }
        if (files.isEmpty()) throw new PonderException("no documents (*.md, *.txt) in library directory " + dir);
        Map<String, Path> seen = new HashMap<>();
        List<Document> docs = new ArrayList<>(files.size());
        for (Path f : files) {
            Document d = read(f);
            Path other = seen.putIfAbsent(d.id(), f);
            if (other != null)
                throw new PonderException("two library files have the id '" + d.id() + "': " + other.getFileName() + " and " + f.getFileName());
            docs.add(d);
        }
        docs.sort(Comparator.comparing(Document::id));
        return new Library(dir, docs);
    }

    /** Reads one document file (UTF-8); its id is the file name without extension. */
    public static Document read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new PonderException("document not found: " + file, e);
        } catch (IOException e) {
            throw new PonderException("cannot read document " + file + ": " + reason(e), e);
        }
        String content;
        try {
            content = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new PonderException("document is not UTF-8 text: " + file, e);
        }
        return parse(idOf(file), content);
    }

    /**
     * Splits {@code content} into title and text: the title is the first line starting with {@code # }
     * (closing {@code #}s dropped; an empty heading gives the id), the text is everything else, trimmed.
     * Without a heading the title is {@code id} and the text is the whole content, trimmed.
     */
    public static Document parse(String id, String content) {
        if (content.startsWith("\uFEFF")) content = content.substring(1);
        String[] lines = content.split("\r\n|\r|\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.startsWith("# ") || line.equals("#")) {
                String title = line.substring(1).replaceAll("\\s+#+$", "").strip(); // "# Title ##" → "Title"
                StringBuilder rest = new StringBuilder();
                for (int j = 0; j < lines.length; j++) if (j != i) rest.append(lines[j]).append('\n');
                return new Document(id, title.isEmpty() ? id : title, rest.toString().strip());
            }
        }
        return new Document(id, id, content.strip());
    }

    /** The directory the documents were read from. */
    public Path dir() {
        return dir;
    }

    /** The documents, ordered by id. */
    public List<Document> documents() {
        return documents;
    }

    /** Number of documents. */
    public int size() {
        return documents.size();
    }

    static boolean isDocumentFile(Path p) {
        String name = p.getFileName().toString();
        String lower = name.toLowerCase(Locale.ROOT);
        return !name.startsWith(".") && (lower.endsWith(".md") || lower.endsWith(".txt")) && idOf(p).length() > 0 && Files.isRegularFile(p);
    }

    static String idOf(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? name : name.substring(0, dot);
    }

    private static String reason(Exception e) {
        Throwable t = e instanceof java.io.UncheckedIOException u ? u.getCause() : e;
        if (t instanceof java.nio.file.AccessDeniedException) return "permission denied";
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : " " + t.getMessage());
    }
}
