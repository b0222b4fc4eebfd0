package org.coursebot.ingest.extract;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.coursebot.model.CourseChunk;

/** Opens a PDF with PDFBox (a plain text stripper, not Coursebot's reader) and finds each chunk on its cited page. */
final class CitedPages {

    private CitedPages() {
    }

    /** Asserts that every chunk's url is {@code ...#page=N} and its text is on page N; returns how many it checked. */
    static int assertEachOnItsPage(byte[] pdf, List<CourseChunk> chunks) throws IOException {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            for (CourseChunk chunk : chunks) {
                assertThat(chunk.url()).as(chunk.title()).matches(".*#page=\\d+");
                int page = Integer.parseInt(chunk.url().substring(chunk.url().indexOf("#page=") + 6));
                assertThat(page).isBetween(1, document.getNumberOfPages());
                PDFTextStripper stripper = new PDFTextStripper();
                stripper.setStartPage(page);
                stripper.setEndPage(page);
                assertThat(squeezed(stripper.getText(document))).as("page %d of %s", page, chunk.title())
                        .contains(squeezed(chunk.content()));
            }
        }
        return chunks.size();
    }

    /** Whitespace out: line breaks and joins differ between the two readings, never the characters. */
    static String squeezed(String text) {
        return text.replaceAll("[\\s\\u00a0]+", "");
    }
}
