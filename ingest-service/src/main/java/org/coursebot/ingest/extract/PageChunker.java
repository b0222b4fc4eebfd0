package org.coursebot.ingest.extract;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.coursebot.embedding.TokenCounter;
import org.coursebot.ingest.pdf.PdfText;
import org.coursebot.model.CourseChunk;
import org.jsoup.nodes.Document;

/**
 * Turns one fetched page (or PDF) into the chunks the pipeline embeds and stores: sections along the headings, each
 * cited by a URL that lands on it (see {@link CitationResolver}; a PDF's on its page), cut to the token budget.
 *
 * <p>Ids are stable across re-ingests: a name-based UUID of page url, heading path (with an occurrence number when
 * a page repeats a heading path) and chunk index. A chunk's parent is the first chunk of the nearest enclosing
 * section that has text; a section without text (a heading followed directly by a subheading) yields no chunk.
 *
 * <p>Thread-safe. It is CPU-bound (a 5 MB page takes a while), so callers on an event loop run it on a worker pool.
 */
public final class PageChunker {

    private final ExtractionSettings settings;

    public PageChunker(ExtractionSettings settings) {
        this.settings = settings;
    }

    /**
     * @param source  the configured source the page belongs to
     * @param pageUrl the page's public URL, as citations should show it (a fragment, if any, is dropped)
     * @param page    the parsed page; only read, never changed
     */
    public List<CourseChunk> chunk(String source, String pageUrl, Document page) {
        String url = CitationResolver.withoutFragment(pageUrl);
        return chunks(source, url, SectionExtractor.extract(page, url, settings.mainSelector(), settings.exercises()));
    }

    /**
     * The chunks of a PDF: its sections ({@link PdfSections}), each on one page and cited {@code url#page=N}, cut to
     * the token budget like a page's.
     *
     * @param pdfUrl the PDF's public URL (a fragment, if any, is dropped)
     */
    public List<CourseChunk> chunk(String source, String pdfUrl, PdfText pdf) {
        String url = CitationResolver.withoutFragment(pdfUrl);
        return chunks(source, url, PdfSections.of(pdf, url, settings.exercises()));
    }

    private List<CourseChunk> chunks(String source, String url, List<Section> sections) {
        CoursePosition where = CoursePosition.of(settings.partPattern(), url);
        UUID[] firstChunk = new UUID[sections.size()];
        Map<String, Integer> pathOccurrences = new HashMap<>();
        List<CourseChunk> chunks = new ArrayList<>();
        for (Section s : sections) {
            int occurrence = pathOccurrences.merge(s.headingPath(), 1, Integer::sum) - 1;
            UUID parent = parentChunk(sections, firstChunk, s);
            List<String> pieces = splitter(s.headingPath()).split(s.content());
            for (int i = 0; i < pieces.size(); i++) {
                UUID id = chunkId(url, s.headingPath(), occurrence, i);
                if (i == 0) {
                    firstChunk[s.index()] = id;
                }
                chunks.add(chunk(source, url, s, where, parent, id, pieces.get(i), chunks.size()));
            }
        }
        return chunks;
    }

    private static CourseChunk chunk(String source, String pageUrl, Section s, CoursePosition where, UUID parent,
                                     UUID id, String text, int position) {
        return new CourseChunk(id, source, pageUrl, s.url(), s.title(), s.headingPath(), text, s.contentType(),
                where.partId(), where.moduleId(), parent, s.importance(), position,
                sha256Hex(s.headingPath() + "\n\n" + text));
    }

    /** The heading path is embedded with every chunk, so it comes out of the budget the text may use. */
    private TextSplitter splitter(String headingPath) {
        int pathTokens = TokenCounter.cl100k().count(headingPath + "\n\n");
        int textBudget = Math.max(settings.chunkTokens() / 2, settings.chunkTokens() - pathTokens);
        return new TextSplitter(textBudget, Math.min(settings.overlapTokens(), textBudget / 2));
    }

    private static UUID parentChunk(List<Section> sections, UUID[] firstChunk, Section s) {
        for (int p = s.parent(); p >= 0; p = sections.get(p).parent()) {
            if (firstChunk[p] != null) {
                return firstChunk[p];
            }
        }
        return null;
    }

    static UUID chunkId(String pageUrl, String headingPath, int occurrence, int chunkIndex) {
        String path = occurrence == 0 ? headingPath : headingPath + " #" + (occurrence + 1);
        String name = pageUrl + "\n" + path + "\n" + chunkIndex;
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }

    static String sha256Hex(String text) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
