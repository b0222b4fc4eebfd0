package org.coursebot.ingest.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.coursebot.ingest.extract.TestPages.PAGE;

import java.net.URI;
import java.util.List;

import org.coursebot.embedding.TokenCounter;
import org.coursebot.model.ContentType;
import org.coursebot.model.CourseChunk;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;

/** Any HTML: broken, huge, deep, odd. Extraction finishes and still cites honestly. */
class RobustnessTests {

    private final PageChunker chunker = new PageChunker(ExtractionSettings.defaults());

    private List<CourseChunk> chunk(String html) {
        return chunker.chunk("course", PAGE, Jsoup.parse(html, PAGE));
    }

    @Test
    void survivesMalformedMarkup() {
        List<CourseChunk> chunks = chunk("<html><body><h1>Title<h2 id=a>Sub</h3><p>Para <b><i>nested</b></i>"
                + "<table><tr><td>cell<div>in cell</td><li>stray item</table><h2 id=b>Next<p>after</div></span>"
                + "</body><p>after body</html><!-- unclosed comment");
        assertThat(chunks).isNotEmpty();
        assertThat(chunks).allSatisfy(c -> assertThat(c.content()).isNotBlank());
        assertThat(chunks.stream().map(CourseChunk::content).reduce("", String::concat))
                .contains("nested", "in cell", "stray item", "after");
    }

    @Test
    void survivesTenThousandNestedDivs() {
        String html = "<h1 id=t>Deep</h1>" + "<div>".repeat(10_000) + "<h2 id=bottom>Bottom</h2><p>Deep text.</p>"
                + "</div>".repeat(10_000) + "<h2 id=after>After</h2><p>x</p>";
        List<CourseChunk> chunks = chunk(html);
        assertThat(chunks).extracting(CourseChunk::headingPath).containsExactly("Deep › Bottom", "Deep › After");
        assertThat(chunks.get(0)).extracting(CourseChunk::content, CourseChunk::url)
                .containsExactly("Deep text.", PAGE + "#bottom");
    }

    @Test
    void survivesTenThousandNestedSectionsWithIds() {
        StringBuilder html = new StringBuilder("<h1>Deep</h1>");
        for (int i = 0; i < 10_000; i++) {
            html.append("<section id=s").append(i).append('>');
        }
        html.append("<h2>Innermost</h2><p>x</p>");
        List<CourseChunk> chunks = chunk(html.toString());
        CourseChunk innermost = chunks.get(chunks.size() - 1);
        assertThat(innermost.title()).isEqualTo("Innermost");
        String fragment = URI.create(innermost.url()).getFragment();
        assertThat(fragment).startsWith("s");
        assertThat(Jsoup.parse(html.toString()).getElementById(fragment).selectFirst("h2").text()).isEqualTo("Innermost");
    }

    @Test
    void chunksAFiveMegabytePage() {
        StringBuilder html = new StringBuilder("<title>Big</title><h1 id=big>Big</h1>");
        int section = 0;
        while (html.length() < 5_000_000) {
            html.append("<h2 id=s").append(section).append(">Section ").append(section).append("</h2>");
            for (int p = 0; p < 20; p++) {
                html.append("<p>Paragraph ").append(p).append(" of section ").append(section)
                        .append(" has some words about routing, middleware and JSON. ".repeat(3)).append("</p>");
            }
            section++;
        }
        List<CourseChunk> chunks = chunk(html.toString());
        assertThat(chunks).hasSizeGreaterThan(section);
        assertThat(chunks).allSatisfy(c -> assertThat(TokenCounter.cl100k().count(c.embeddingText())).isLessThanOrEqualTo(400));
        assertThat(chunks.get(chunks.size() - 1).url()).isEqualTo(PAGE + "#s" + (section - 1));
    }

    @Test
    void chunksAFiveMegabyteSingleParagraphAndCodeBlock() {
        String words = "lorem ipsum dolor sit amet ".repeat(100_000);
        String code = "x=1;".repeat(600_000);
        List<CourseChunk> chunks = chunk("<h1>Huge</h1><p>" + words + "</p><pre>" + code + "</pre>");
        assertThat(chunks).hasSizeGreaterThan(1000);
        assertThat(chunks).allSatisfy(c -> assertThat(TokenCounter.cl100k().count(c.embeddingText())).isLessThanOrEqualTo(400));
    }

    @Test
    void duplicateIdsAreCitedOnlyWhereTheFirstOneIs() {
        List<CourseChunk> chunks = chunk("<h1>P</h1><h2 id=dup>First</h2><p>a</p><h2 id=dup>Second</h2><p>b</p>"
                + "<h2 id=dup>Third</h2><p>c</p>");
        assertThat(chunks).extracting(CourseChunk::url).containsExactly(PAGE + "#dup", PAGE, PAGE);
    }

    @Test
    void emptyPagesYieldNoChunks() {
        assertThat(chunk("")).isEmpty();
        assertThat(chunk("<html><body><nav>Only a menu</nav></body></html>")).isEmpty();
    }

    @Test
    void specialTokenMarkersInTextAreCountedAsPlainText() {
        List<CourseChunk> chunks = chunk("<h1>Tokens</h1><p>The model stops at <|endoftext|> markers.</p>");
        assertThat(chunks.get(0).content()).contains("<|endoftext|>");
        assertThat(chunks.get(0).contentType()).isEqualTo(ContentType.PAGE);
    }

    @Test
    void isSafeToShareAcrossThreads() throws Exception {
        String html = "<h1>P</h1><h2 id=a>A</h2>" + "<p>Some sentence about things. </p>".repeat(400);
        List<CourseChunk> expected = chunk(html);
        List<Thread> threads = new java.util.ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                try {
                    for (int i = 0; i < 5; i++) {
                        assertThat(chunk(html)).isEqualTo(expected);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(failures).isEmpty();
    }
}
