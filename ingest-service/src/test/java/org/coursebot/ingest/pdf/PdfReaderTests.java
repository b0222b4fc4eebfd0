package org.coursebot.ingest.pdf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.coursebot.testing.PdfFiles;
import org.coursebot.testing.PdfFiles.Slide;
import org.junit.jupiter.api.Test;

class PdfReaderTests {

    private static final long MAX_CHARACTERS = 5L * 1024 * 1024;
    private final PdfReader reader = new PdfReader(300, MAX_CHARACTERS, null);

    private static byte[] deck() {
        return PdfFiles.slides("Lecture 3 slides", null, List.of(
                new Slide("Routing", List.of("Lecture 3")),
                new Slide("Route parameters", List.of("- req.params holds the named parts of the path",
                        "- a route /notes/:id matches /notes/42")),
                new Slide("Query strings", List.of("- req.query holds ?sort=date as { sort: 'date' }"))));
    }

    @Test
    void readsEachPageLinesWithTheirFontSizesAndTheTitle() {
        PdfText pdf = reader.read(deck());

        assertThat(pdf.title()).isEqualTo("Lecture 3 slides");
        assertThat(pdf.pages()).hasSize(3).allMatch(PdfText.Page::landscape);
        PdfText.Page second = pdf.pages().get(1);
        assertThat(second.number()).isEqualTo(2);
        assertThat(second.lines()).extracting(PdfText.Line::text).containsExactly("Route parameters",
                "• req.params holds the named parts of the path", "• a route /notes/:id matches /notes/42");
        assertThat(second.lines().get(0).fontSize()).isEqualTo(26f);
        assertThat(second.lines().get(1).fontSize()).isEqualTo(16f);
        assertThat(pdf.outline()).isEmpty();
    }

    @Test
    void readsTheOutlineWithLevelsAndPages() {
        byte[] handout = PdfFiles.handout("Handout", List.of(
                new PdfFiles.Block("Databases", 1, List.of("Tables hold rows.")),
                new PdfFiles.Block("Indexes", 2, List.of("An index makes lookups fast."))), true);

        assertThat(reader.read(handout).outline()).containsExactly(new PdfText.OutlineEntry("Databases", 1, 1),
                new PdfText.OutlineEntry("Indexes", 2, 1));
    }

    @Test
    void refusesAnEncryptedPdfThatNeedsAPassword() {
        assertThatThrownBy(() -> reader.read(PdfFiles.encrypted(deck(), "student")))
                .isInstanceOf(UnreadablePdfException.class).hasMessage("encrypted: it needs a password to open");
    }

    @Test
    void refusesAPdfWhoseAuthorForbidsTextExtraction() {
        assertThatThrownBy(() -> reader.read(PdfFiles.extractionForbidden(deck())))
                .isInstanceOf(UnreadablePdfException.class)
                .hasMessage("encrypted: its author does not allow text extraction");
    }

    @Test
    void refusesAScanWithoutATextLayer() {
        assertThatThrownBy(() -> reader.read(PdfFiles.scan(2)))
                .isInstanceOf(UnreadablePdfException.class).hasMessageStartingWith("no text layer");
    }

    @Test
    void refusesADecompressionBombBeforeInflatingIt() {
        // 512 MB of content inflated would not fit the test JVM's heap, let alone ingest-service's 128 MB
        byte[] bomb = PdfFiles.bomb(512L * 1024 * 1024);
        assertThat(bomb.length).isLessThan(2 * 1024 * 1024);

        assertThatThrownBy(() -> reader.read(bomb)).isInstanceOf(UnreadablePdfException.class)
                .hasMessage("decompression bomb: a stream inflates to more than 16 MB");
    }

    @Test
    void refusesMorePagesThanMaxPages() {
        assertThatThrownBy(() -> new PdfReader(20, MAX_CHARACTERS, null).read(PdfFiles.pages(21, 40)))
                .isInstanceOf(UnreadablePdfException.class).hasMessage("21 pages, more than max-pages 20");
    }

    @Test
    void refusesMoreTextThanTheCap() {
        assertThatThrownBy(() -> new PdfReader(300, 2_000, null).read(PdfFiles.pages(10, 100)))
                .isInstanceOf(UnreadablePdfException.class).hasMessageContaining("more than 2000 characters");
    }

    @Test
    void refusesBytesThatAreNoPdf() {
        assertThatThrownBy(() -> reader.read(PdfFiles.corrupt(4096)))
                .isInstanceOf(UnreadablePdfException.class).hasMessageStartingWith("not a readable PDF");
        assertThatThrownBy(() -> reader.read("<html><body>Please log in</body></html>".getBytes()))
                .isInstanceOf(UnreadablePdfException.class).hasMessageStartingWith("not a readable PDF");
    }

    @Test
    void refusesATruncatedPdfWhoseCrossReferencesAreGone() {
        // PDFBox 3 writes objects into object streams indexed at the end of the file: half a file keeps no page
        byte[] half = PdfFiles.truncated(PdfFiles.pages(6, 120), 0.5);

        assertThatThrownBy(() -> reader.read(half)).isInstanceOf(UnreadablePdfException.class)
                .hasMessageStartingWith("not a readable PDF: ");
    }
}
