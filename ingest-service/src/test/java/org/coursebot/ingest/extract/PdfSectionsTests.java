package org.coursebot.ingest.extract;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.coursebot.ingest.pdf.PdfReader;
import org.coursebot.ingest.pdf.PdfText;
import org.coursebot.model.ContentType;
import org.coursebot.model.CourseChunk;
import org.coursebot.testing.PdfFiles;
import org.coursebot.testing.PdfFiles.Block;
import org.coursebot.testing.PdfFiles.Slide;
import org.junit.jupiter.api.Test;

class PdfSectionsTests {

    private static final String URL = "https://course.example.org/slides/lecture-3.pdf";
    private static final PdfReader READER = new PdfReader(300, 5L * 1024 * 1024, null);

    private static List<Section> sections(byte[] pdf) {
        return PdfSections.of(READER.read(pdf), URL);
    }

    private static String words(int n, String topic) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < n; i++) {
            text.append(i == 0 ? "" : " ").append(i % 12 == 11 ? topic + "." : "word" + i);
        }
        return text.toString();
    }

    @Test
    void cutsASlideDeckOnePageASectionTitledByItsLargestLine() {
        List<Section> sections = sections(PdfFiles.slides("Lecture 3 slides", null, List.of(
                new Slide("Routing with Express", List.of("Lecture 3", "Web development with Node.js")),
                new Slide("Route parameters", List.of("- req.params holds the named parts of the path",
                        "- a route /notes/:id matches /notes/42")),
                new Slide("Part two", List.of()))));

        assertThat(sections.get(0).content()).as("the document's own section has no text").isEmpty();
        assertThat(sections.get(0).title()).isEqualTo("Lecture 3 slides");
        Section params = sections.get(2);
        assertThat(params.title()).isEqualTo("Route parameters — Lecture 3 slides, p. 2");
        assertThat(params.headingPath()).isEqualTo("Lecture 3 slides › Route parameters");
        assertThat(params.url()).isEqualTo(URL + "#page=2");
        assertThat(params.content()).as("each bullet point a paragraph of its own")
                .isEqualTo("• req.params holds the named parts of the path\n\n• a route /notes/:id matches /notes/42");
        assertThat(params.contentType()).isEqualTo(ContentType.SECTION);
        assertThat(sections.get(3).content()).as("a title-only slide answers with its title").isEqualTo("Part two");
        assertThat(sections.get(3).url()).isEqualTo(URL + "#page=3");
    }

    @Test
    void usesTheOutlineWhenThereIsOneAndCarriesASectionOverAPageBreak() {
        List<Block> blocks = List.of(
                new Block("Storing data", 1, List.of(words(60, "storage"))),
                new Block("Connection pools", 2, List.of(words(900, "pools"))),
                new Block("Transactions", 2, List.of(words(80, "transactions"))));
        List<Section> sections = sections(PdfFiles.handout("Handout 2", blocks, true));

        assertThat(sections.get(1).title()).isEqualTo("Storing data — Handout 2, p. 1");
        assertThat(sections.get(1).url()).isEqualTo(URL + "#page=1");
        assertThat(sections.get(2).title()).isEqualTo("Connection pools — Handout 2, p. 1");
        assertThat(sections.get(2).headingPath()).isEqualTo("Handout 2 › Storing data › Connection pools");
        assertThat(sections.get(2).contentType()).isEqualTo(ContentType.SECTION);
        assertThat(sections.get(3).title()).as("the same section on the next page, cited there")
                .isEqualTo("Connection pools — Handout 2, p. 2");
        assertThat(sections.get(3).url()).isEqualTo(URL + "#page=2");
        Section last = sections.get(sections.size() - 1);
        assertThat(last.title()).startsWith("Transactions — Handout 2, p. ");
        assertThat(last.content()).doesNotContain("Transactions ").contains("transactions.");
    }

    @Test
    void findsHeadingsBySizeInAHandoutWithoutOutline() {
        List<Block> blocks = List.of(
                new Block("Deployment", 1, List.of(words(50, "deploy"))),
                new Block("Environment variables", 2, List.of(words(50, "env"))),
                new Block("Health checks", 2, List.of(words(50, "health"))));
        List<Section> sections = sections(PdfFiles.handout("Notes", blocks, false));

        assertThat(sections).extracting(Section::headingPath).containsExactly("Notes", "Notes › Deployment",
                "Notes › Deployment › Environment variables", "Notes › Deployment › Health checks");
        assertThat(sections.get(2).level()).isEqualTo(2);
        assertThat(sections.get(2).contentType()).isEqualTo(ContentType.SECTION);
        assertThat(sections.get(3).content()).startsWith("word0 word1").doesNotContain("Health checks");
    }

    @Test
    void namesTheDocumentAfterItsFirstPageWhenTheMetadataTitleIsAFileName() {
        PdfText pdf = READER.read(PdfFiles.slides("lecture3.pptx", null, List.of(
                new Slide("Testing with node:test", List.of("Lecture 7")))));

        assertThat(PdfSections.documentTitle(pdf, URL)).isEqualTo("Testing with node:test");
        PdfText untitled = new PdfText(null, List.of(new PdfText.Page(1, true, List.of())), List.of());
        assertThat(PdfSections.documentTitle(untitled, "https://x.org/files/week%203.pdf")).isEqualTo("week 3.pdf");
    }

    /** The citation rule for PDFs: each chunk's text is on the page its link opens. */
    @Test
    void everyChunkIsFoundOnThePageItsLinkOpens() throws Exception {
        PageChunker chunker = new PageChunker(ExtractionSettings.defaults());
        List<byte[]> pdfs = List.of(
                Files.readAllBytes(Path.of("../deploy/demo-course/slides/debugging.pdf")),
                PdfFiles.handout("Handout", List.of(new Block("One", 1, List.of(words(700, "one"))),
                        new Block("Two", 2, List.of(words(300, "two")))), true),
                PdfFiles.handout("Notes", List.of(new Block("Alpha", 1, List.of(words(500, "alpha"))),
                        new Block("Beta", 2, List.of(words(500, "beta")))), false),
                PdfFiles.pages(12, 300));
        int checked = 0;
        for (byte[] pdf : pdfs) {
            List<CourseChunk> chunks = chunker.chunk("course", URL, READER.read(pdf));
            assertThat(chunks).isNotEmpty();
            checked += CitedPages.assertEachOnItsPage(pdf, chunks);
        }
        assertThat(checked).isGreaterThan(30);
    }
}
