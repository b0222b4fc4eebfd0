package org.coursebot.ingest.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.coursebot.ingest.extract.TestPages.PAGE;
import static org.coursebot.ingest.extract.TestPages.chunks;

import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.coursebot.embedding.TokenCounter;
import org.coursebot.model.ContentType;
import org.coursebot.model.CourseChunk;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;

/** Sections into chunks: budget, overlap, stable ids, parents, hashes, metadata. */
class PageChunkerTests {

    private static final ExtractionSettings DEFAULTS = ExtractionSettings.defaults();

    /** A long section: 30 paragraphs of 4 numbered sentences, about 1,500 tokens. */
    private static String longSection() {
        return IntStream.range(0, 30).mapToObj(p -> "<p>" + IntStream.range(0, 4)
                        .mapToObj(s -> "Sentence " + p + "." + s + " explains how Express routes a request to a handler.")
                        .collect(Collectors.joining(" ")) + "</p>")
                .collect(Collectors.joining());
    }

    private static final String COURSE = "<h1 id=top>Node.js and Express</h1><p>Lead text.</p>"
            + "<h2 id=express>Express</h2><p>Express text.</p><h2>Receiving data</h2>" + longSection();

    @Test
    void everyChunkFitsTheBudgetIncludingItsHeadingPath() {
        List<CourseChunk> chunks = chunks(DEFAULTS, COURSE);
        assertThat(chunks).hasSizeGreaterThan(4);
        assertThat(chunks).allSatisfy(c -> assertThat(TokenCounter.cl100k().count(c.embeddingText())).isLessThanOrEqualTo(400));
        List<CourseChunk> small = chunks(DEFAULTS.withChunking(64, 10), COURSE);
        assertThat(small).allSatisfy(c -> assertThat(TokenCounter.cl100k().count(c.embeddingText())).isLessThanOrEqualTo(64));
    }

    @Test
    void splitsOnParagraphBoundariesWhenTheyFit() {
        List<CourseChunk> receiving = chunks(DEFAULTS.withChunking(400, 0), COURSE).stream()
                .filter(c -> c.title().equals("Receiving data")).toList();
        assertThat(receiving).hasSizeGreaterThan(2);
        assertThat(receiving).allSatisfy(c -> {
            assertThat(c.content()).startsWith("Sentence ").matches("(?s).*\\.\\d explains.*handler\\.$");
            assertThat(c.content()).matches("(?s)Sentence \\d+\\.0 .*");
        });
    }

    @Test
    void overlapsConsecutivePiecesOfASectionBySentences() {
        List<CourseChunk> receiving = chunks(DEFAULTS, COURSE).stream()
                .filter(c -> c.title().equals("Receiving data")).toList();
        for (int i = 1; i < receiving.size(); i++) {
            String previous = receiving.get(i - 1).content();
            String next = receiving.get(i).content();
            String firstSentence = next.substring(0, next.indexOf("handler.") + "handler.".length());
            assertThat(previous).as("chunk %d starts with the end of chunk %d", i, i - 1).contains(firstSentence);
            int overlapTokens = TokenCounter.cl100k().count(previous.substring(previous.indexOf(firstSentence)));
            assertThat(overlapTokens).isBetween(1, 50);
        }
    }

    @Test
    void noOverlapWhenOverlapIsZero() {
        List<CourseChunk> receiving = chunks(DEFAULTS.withChunking(200, 0), COURSE).stream()
                .filter(c -> c.title().equals("Receiving data")).toList();
        String joined = receiving.stream().map(CourseChunk::content).collect(Collectors.joining("\n\n"));
        assertThat(joined.split("Sentence ")).hasSize(121);
    }

    @Test
    void chunksKeepTheirSectionsMetadataAndGetPositions() {
        ExtractionSettings settings = DEFAULTS.withPartPattern(Pattern.compile("/part(?<part>\\d+)/(?<module>[a-z])/"));
        List<CourseChunk> chunks = chunks(settings, COURSE);
        assertThat(chunks).extracting(CourseChunk::position)
                .containsExactlyElementsOf(IntStream.range(0, chunks.size()).boxed().toList());
        CourseChunk express = chunks.get(1);
        assertThat(express).extracting(CourseChunk::source, CourseChunk::pageUrl, CourseChunk::url,
                        CourseChunk::title, CourseChunk::headingPath, CourseChunk::content, CourseChunk::contentType,
                        CourseChunk::partId, CourseChunk::moduleId, CourseChunk::importance)
                .containsExactly("course", PAGE, PAGE + "#express", "Express", "Node.js and Express › Express",
                        "Express text.", ContentType.SECTION, "3", "b", 0.9);
        assertThat(chunks).filteredOn(c -> c.title().equals("Receiving data"))
                .allSatisfy(c -> assertThat(c.url()).isEqualTo(PAGE));
    }

    @Test
    void parentIsTheFirstChunkOfTheParentSection() {
        List<CourseChunk> chunks = chunks(DEFAULTS.withChunking(100, 10),
                "<h1>Page</h1>" + longSection() + "<h2>Child</h2><p>Child text.</p>");
        CourseChunk first = chunks.get(0);
        assertThat(first.parentId()).isNull();
        assertThat(chunks.stream().filter(c -> c.title().equals("Page")).count()).isGreaterThan(1);
        assertThat(chunks).filteredOn(c -> c.title().equals("Page")).allSatisfy(c -> assertThat(c.parentId()).isNull());
        assertThat(chunks.get(chunks.size() - 1).parentId()).isEqualTo(first.id());
    }

    @Test
    void aSectionWithoutTextYieldsNoChunkAndItsChildrenPointFurtherUp() {
        List<CourseChunk> chunks = chunks(DEFAULTS, "<h1>Page</h1><p>Lead.</p><h2>Empty</h2><h3>Child</h3><p>x</p>");
        assertThat(chunks).extracting(CourseChunk::title).containsExactly("Page", "Child");
        assertThat(chunks.get(1).parentId()).isEqualTo(chunks.get(0).id());
        assertThat(chunks.get(1).headingPath()).isEqualTo("Page › Empty › Child");
    }

    @Test
    void idsAreStableAcrossRunsAndNameBased() {
        List<UUID> first = chunks(DEFAULTS, COURSE).stream().map(CourseChunk::id).toList();
        List<UUID> second = new PageChunker(DEFAULTS).chunk("course", PAGE, Jsoup.parse(COURSE, PAGE)).stream()
                .map(CourseChunk::id).toList();
        assertThat(second).isEqualTo(first).doesNotHaveDuplicates();
        assertThat(first.get(1)).isEqualTo(UUID.nameUUIDFromBytes(
                (PAGE + "\nNode.js and Express › Express\n0").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Test
    void repeatedHeadingPathsGetDistinctIds() {
        List<CourseChunk> chunks = chunks(DEFAULTS, "<h1>P</h1><h2>Example</h2><p>a</p><h2>Example</h2><p>b</p>");
        assertThat(chunks).extracting(CourseChunk::id).doesNotHaveDuplicates().hasSize(2);
    }

    @Test
    void hashIsTheSha256OfTheEmbeddedTextAndChangesOnlyWithIt() {
        List<CourseChunk> before = chunks(DEFAULTS, "<h1>P</h1><p>Lead.</p><h2 id=a>A</h2><p>Alpha.</p><h2>B</h2><p>Beta.</p>");
        List<CourseChunk> after = chunks(DEFAULTS, "<h1>P</h1><p>Lead.</p><h2 id=a class=new>A</h2><p>Alpha <b>changed</b>.</p>"
                + "<h2>B</h2><p>Beta.</p>");
        assertThat(before.get(1).contentHash()).isEqualTo(PageChunker.sha256Hex("P › A\n\nAlpha."))
                .isEqualTo(PageChunker.sha256Hex(before.get(1).embeddingText())).hasSize(64).matches("[0-9a-f]+");
        assertThat(after.get(0).contentHash()).isEqualTo(before.get(0).contentHash());
        assertThat(after.get(1).contentHash()).isNotEqualTo(before.get(1).contentHash());
        assertThat(after.get(2).contentHash()).isEqualTo(before.get(2).contentHash());
        assertThat(after).extracting(CourseChunk::id).isEqualTo(before.stream().map(CourseChunk::id).toList());
    }

    @Test
    void embeddingTextStartsWithTheHeadingPath() {
        CourseChunk c = chunks(DEFAULTS, "<h1>Express</h1><h2>Receiving data</h2><p>POST.</p>").get(0);
        assertThat(c.embeddingText()).isEqualTo("Express › Receiving data\n\nPOST.");
    }

    @Test
    void readsPartAndModuleFromTheUrlPath() {
        Pattern pattern = Pattern.compile("/part(?<part>\\d+)/(?<module>[a-z])/");
        assertThat(CoursePosition.of(pattern, "https://course.example.org/en/part3/b/?x=/part9/z/"))
                .isEqualTo(new CoursePosition("3", "b"));
        assertThat(CoursePosition.of(pattern, "https://course.example.org/en/about/"))
                .isEqualTo(CoursePosition.NONE);
        assertThat(CoursePosition.of(Pattern.compile("/osa(?<part>\\d+)"), "https://x.org/fi/osa7/"))
                .isEqualTo(new CoursePosition("7", null));
        assertThat(CoursePosition.of(null, "https://x.org/fi/osa7/")).isEqualTo(CoursePosition.NONE);
        assertThat(CoursePosition.of(Pattern.compile("/(?<module>ä)/"), "https://x.org/%C3%A4/"))
                .isEqualTo(new CoursePosition(null, "ä"));
    }

    @Test
    void rejectsSettingsThatCannotMakeProgress() {
        assertThatThrownBy(() -> DEFAULTS.withChunking(10, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DEFAULTS.withChunking(100, 60)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DEFAULTS.withMainSelector("div[")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("div[");
    }

    @Test
    void splitsTextWithoutAnyBoundariesInsideWords() {
        TextSplitter splitter = new TextSplitter(50, 10);
        String unspaced = "x".repeat(3000) + "日本語のテキスト".repeat(200);
        List<String> pieces = splitter.split(unspaced);
        assertThat(pieces).allSatisfy(p -> assertThat(TokenCounter.cl100k().count(p)).isLessThanOrEqualTo(50));
        assertThat(String.join("", pieces)).contains("日本語のテキスト");
        assertThat(pieces.get(pieces.size() - 1)).endsWith("テキスト");
    }

    @Test
    void keepsCodeIndentationInsideAPiece() {
        String code = IntStream.range(0, 80).mapToObj(i -> "  if (x" + i + ") {\n      call(" + i + ");\n  }")
                .collect(Collectors.joining("\n"));
        List<String> pieces = new TextSplitter(100, 0).split(code);
        assertThat(pieces).hasSizeGreaterThan(3);
        assertThat(pieces).allSatisfy(p -> assertThat(code).contains(p));
    }
}
