package org.coursebot.ingest.pdf;

import java.util.List;

/**
 * What a PDF says, as read by {@link PdfReader}: its metadata title (null when it has none), each page's text lines
 * in reading order with their rendered font size, and its outline (bookmarks), flattened in document order.
 */
public record PdfText(String title, List<Page> pages, List<OutlineEntry> outline) {

    public PdfText {
        pages = List.copyOf(pages);
        outline = List.copyOf(outline);
    }

    /** One page: its 1-based number, whether it is wider than high (a slide), and its lines. */
    public record Page(int number, boolean landscape, List<Line> lines) {

        public Page {
            lines = List.copyOf(lines);
        }

        /** The largest font size on the page, 0 when it has no text. */
        public float largestFontSize() {
            float largest = 0;
            for (Line line : lines) {
                largest = Math.max(largest, line.fontSize());
            }
            return largest;
        }
    }

    /**
     * One line of text. {@code fontSize} is the largest rendered size of its glyphs (font size times the text and
     * page matrices' scale), so headings stand out whatever way the producer scaled them; {@code paragraphStart}
     * says the line opens a paragraph (PDFBox's gap and indent heuristics).
     */
    public record Line(String text, float fontSize, boolean paragraphStart) {
    }

    /** A bookmark: its title, its depth (1 for a top-level entry) and the 1-based page it opens. */
    public record OutlineEntry(String title, int level, int page) {
    }

    /** Characters of text over all pages. */
    public long characters() {
        long n = 0;
        for (Page page : pages) {
            for (Line line : page.lines()) {
                n += line.text().length();
            }
        }
        return n;
    }
}
