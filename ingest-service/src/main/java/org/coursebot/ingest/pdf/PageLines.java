package org.coursebot.ingest.pdf;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.text.TextPosition;

/**
 * PDFBox's text stripper, collecting lines instead of writing a string: each line's text, its largest rendered font
 * size and whether it opens a paragraph, page by page. Content-stream order, not sorted by position: producers write
 * slides and handouts in reading order, and sorting by position interleaves the columns of a two-column page.
 * A page with more than {@code maxPageCharacters} glyphs stops the reading: PDFBox keeps a page's glyphs (a few
 * hundred bytes each) until the page ends, so that is the bound on what one page costs.
 */
final class PageLines extends PDFTextStripper {

    private final int maxPageCharacters;
    private final long maxCharacters;
    private final Map<Integer, PdfText.Page> pages = new HashMap<>();
    private List<PdfText.Line> lines;
    private final StringBuilder line = new StringBuilder();
    private float lineSize;
    private boolean paragraphStart;
    private boolean lineIsParagraphStart;
    private int pageCharacters;
    private long characters;

    PageLines(int maxPageCharacters, long maxCharacters) {
        this.maxPageCharacters = maxPageCharacters;
        this.maxCharacters = maxCharacters;
    }

    /** The pages read, by number; a page without content is not among them. */
    Map<Integer, PdfText.Page> pages() {
        return pages;
    }

    /** Whether a page is wider than high, as it is shown (its rotation counted). */
    static boolean landscape(PDPage page) {
        PDRectangle box = page.getCropBox();
        boolean wide = box.getWidth() > box.getHeight();
        return wide != (page.getRotation() % 180 != 0);
    }

    @Override
    protected void startPage(PDPage page) throws IOException {
        lines = new ArrayList<>();
        line.setLength(0);
        lineSize = 0;
        pageCharacters = 0;
        paragraphStart = true;
        super.startPage(page);
    }

    @Override
    protected void endPage(PDPage page) throws IOException {
        endLine();
        pages.put(getCurrentPageNo(), new PdfText.Page(getCurrentPageNo(), landscape(page), lines));
        super.endPage(page);
    }

    @Override
    protected void processTextPosition(TextPosition text) {
        if (++pageCharacters > maxPageCharacters) {
            throw new UnreadablePdfException("page " + getCurrentPageNo() + " holds more than " + maxPageCharacters
                    + " characters");
        }
        super.processTextPosition(text);
    }

    @Override
    protected void writeString(String text, List<TextPosition> positions) {
        if (line.length() == 0) {
            lineIsParagraphStart = paragraphStart;
            paragraphStart = false;
        }
        line.append(text);
        for (TextPosition p : positions) {
            lineSize = Math.max(lineSize, Math.abs(p.getYScale()));
        }
    }

    @Override
    protected void writeWordSeparator() {
        line.append(' ');
    }

    @Override
    protected void writeLineSeparator() {
        endLine();
    }

    @Override
    protected void writeParagraphStart() {
        endLine();
        paragraphStart = true;
    }

    @Override
    protected void writeParagraphEnd() {
        endLine();
    }

    @Override
    protected void writePageStart() {
        // the page is a record of its own
    }

    @Override
    protected void writePageEnd() {
        // the page is a record of its own
    }

    private void endLine() {
        String text = line.toString().replaceAll("[\\s\\u00a0]+", " ").strip();
        if (!text.isEmpty()) {
            characters += text.length();
            if (characters > maxCharacters) {
                throw new UnreadablePdfException("more than " + maxCharacters + " characters of text (max-page-bytes)");
            }
            // a size rounded to a tenth of a point: the same style set twice compares equal
            lines.add(new PdfText.Line(text, Math.round(lineSize * 10) / 10f, lineIsParagraphStart));
        }
        line.setLength(0);
        lineSize = 0;
    }
}
