package org.coursebot.ingest.pdf;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.MemoryUsageSetting;
import org.apache.pdfbox.io.RandomAccessRead;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.io.RandomAccessReadBufferedFile;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.pdmodel.interactive.documentnavigation.outline.PDDocumentOutline;
import org.apache.pdfbox.pdmodel.interactive.documentnavigation.outline.PDOutlineItem;
import org.apache.pdfbox.pdmodel.interactive.documentnavigation.outline.PDOutlineNode;

/**
 * Reads a PDF's text with Apache PDFBox, within bounds that keep a hostile file from costing more than a page of
 * HTML: at most {@code maxPages} pages, {@code maxCharacters} characters, {@value #MAX_PAGE_CHARACTERS} glyphs a
 * page, streams inflating to at most {@value #MAX_STREAM_BYTES} bytes each and {@value #MAX_DECODED_BYTES} in all
 * ({@link StreamBombGuard}); the file is read from disk through a small buffer, and what PDFBox writes (decrypted
 * streams) goes to a scratch file in {@code scratchDirectory}, bounded too. Whatever goes wrong is an
 * {@link UnreadablePdfException} with the reason: encrypted, not a PDF, too many pages, a bomb, no text layer.
 * Blocking and CPU-bound: callers run it on a worker pool.
 */
public final class PdfReader {

    /** A content stream of a dense page is ~100 KB; an embedded CJK font ~10 MB. */
    static final long MAX_STREAM_BYTES = 16L * 1024 * 1024;
    static final long MAX_DECODED_BYTES = 128L * 1024 * 1024;
    /** A dense page of small print holds ~6,000; PDFBox keeps a page's glyphs (~300 bytes each) until it ends. */
    static final int MAX_PAGE_CHARACTERS = 50_000;
    private static final long SCRATCH_MEMORY = 256 * 1024;
    private static final long SCRATCH_STORAGE = 256L * 1024 * 1024;
    private static final int MAX_OUTLINE_ENTRIES = 5_000;
    private static final int MAX_OUTLINE_DEPTH = 8;

    private final int maxPages;
    private final long maxCharacters;
    private final Path scratchDirectory;

    /**
     * @param maxPages       a PDF with more pages is refused whole (its first pages alone would answer as if complete)
     * @param maxCharacters  the most text a PDF may yield (the source's max-page-bytes: what an HTML page may weigh)
     * @param scratchDirectory where PDFBox's scratch files go; null for the JVM's temporary directory
     */
    public PdfReader(int maxPages, long maxCharacters, Path scratchDirectory) {
        this.maxPages = maxPages;
        this.maxCharacters = maxCharacters;
        this.scratchDirectory = scratchDirectory;
    }

    /** Reads a PDF file; never reads it whole into memory. */
    public PdfText read(Path file) {
        try {
            return read(new RandomAccessReadBufferedFile(file.toFile()));
        } catch (IOException e) {
            throw new UnreadablePdfException("unreadable file: " + e.getMessage(), e);
        }
    }

    /** Reads a PDF held in memory (a small one). */
    public PdfText read(byte[] bytes) {
        return read(new RandomAccessReadBuffer(bytes));
    }

    private PdfText read(RandomAccessRead input) {
        MemoryUsageSetting scratch = MemoryUsageSetting.setupMixed(SCRATCH_MEMORY, SCRATCH_STORAGE);
        if (scratchDirectory != null) {
            scratch.setTempDir(scratchDirectory.toFile());
        }
        try (PDDocument document = Loader.loadPDF(input, "", null, null, scratch.streamCache)) {
            return text(document);
        } catch (InvalidPasswordException e) {
            throw new UnreadablePdfException("encrypted: it needs a password to open");
        } catch (UnreadablePdfException e) {
            throw e;
        } catch (IOException e) {
            throw new UnreadablePdfException("not a readable PDF: " + e.getMessage(), e);
        } catch (RuntimeException | StackOverflowError e) {
            // PDFBox on a damaged file can fail in many ways (a cycle in the page tree overflows the stack)
            throw new UnreadablePdfException("not a readable PDF: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
        }
    }

    private PdfText text(PDDocument document) throws IOException {
        if (document.isEncrypted() && !document.getCurrentAccessPermission().canExtractContent()) {
            throw new UnreadablePdfException("encrypted: its author does not allow text extraction");
        }
        int pageCount = document.getNumberOfPages();
        if (pageCount > maxPages) {
            throw new UnreadablePdfException(pageCount + " pages, more than max-pages " + maxPages);
        }
        if (pageCount == 0) {
            throw new UnreadablePdfException("no pages");
        }
        new StreamBombGuard(MAX_STREAM_BYTES, MAX_DECODED_BYTES).check(document.getDocument());
        PageLines lines = new PageLines(MAX_PAGE_CHARACTERS, maxCharacters);
        lines.writeText(document, Writer.nullWriter());
        List<PdfText.Page> pages = new ArrayList<>(pageCount);
        int number = 0;
        for (PDPage page : document.getPages()) {
            number++;
            PdfText.Page read = lines.pages().get(number); // a page without content was not read: it is empty
            pages.add(read != null ? read : new PdfText.Page(number, PageLines.landscape(page), List.of()));
        }
        if (pages.stream().allMatch(p -> p.lines().isEmpty())) {
            throw new UnreadablePdfException("no text layer (a scan? text is not recognised in images)");
        }
        String title = document.getDocumentInformation().getTitle();
        return new PdfText(title == null || title.isBlank() ? null : title.strip(), pages, outline(document));
    }

    /** The bookmarks that open a page of this document, in order, at most {@value #MAX_OUTLINE_ENTRIES}. */
    private static List<PdfText.OutlineEntry> outline(PDDocument document) throws IOException {
        PDDocumentOutline outline = document.getDocumentCatalog().getDocumentOutline();
        List<PdfText.OutlineEntry> entries = new ArrayList<>();
        if (outline != null) {
            Set<Object> visited = Collections.newSetFromMap(new IdentityHashMap<>());
            walk(document, outline, 1, entries, visited);
        }
        return entries;
    }

    private static void walk(PDDocument document, PDOutlineNode node, int level, List<PdfText.OutlineEntry> entries,
            Set<Object> visited) throws IOException {
        if (level > MAX_OUTLINE_DEPTH) {
            return;
        }
        for (PDOutlineItem item : node.children()) {
            // a damaged outline can loop: each entry once
            if (entries.size() >= MAX_OUTLINE_ENTRIES || !visited.add(item.getCOSObject())) {
                return;
            }
            PDPage page = item.findDestinationPage(document);
            int number = page == null ? -1 : document.getPages().indexOf(page) + 1;
            String title = item.getTitle() == null ? "" : item.getTitle().replaceAll("[\\s\\u00a0]+", " ").strip();
            if (number > 0 && !title.isEmpty()) {
                entries.add(new PdfText.OutlineEntry(title, level, number));
            }
            walk(document, item, level + 1, entries, visited);
        }
    }
}
