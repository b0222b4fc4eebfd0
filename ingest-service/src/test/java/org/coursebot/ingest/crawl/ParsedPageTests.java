package org.coursebot.ingest.crawl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.coursebot.ingest.extract.ExtractionSettings;
import org.coursebot.ingest.extract.PageChunker;
import org.coursebot.model.CourseChunk;
import org.junit.jupiter.api.Test;

/** Fetched bytes to a page: in the charset the server or the page names, whatever language it is in. */
class ParsedPageTests {

    private static final String PAGE = "https://course.example.org/en/part3/b/";

    @Test
    void readsAPageInTheCharsetItsMetaNames() {
        String html = "<html><head><meta charset=iso-8859-1><title>Päivää</title></head>"
                + "<body><h1 id='yötä'>Hyvää yötä</h1><p>Ääkköset.</p></body></html>";
        ParsedPage page = ParsedPage.parse(html.getBytes(StandardCharsets.ISO_8859_1), "text/html", PAGE);
        List<CourseChunk> chunks = new PageChunker(ExtractionSettings.defaults()).chunk("course", PAGE, page.document());
        assertThat(chunks.get(0).title()).isEqualTo("Hyvää yötä");
        assertThat(chunks.get(0).content()).isEqualTo("Ääkköset.");
        assertThat(chunks.get(0).url()).isEqualTo(PAGE + "#y%C3%B6t%C3%A4");
    }

    @Test
    void prefersTheCharsetTheServerNamedAndIgnoresUnknownOnes() {
        byte[] bytes = "<h1>Привет</h1><p>мир</p>".getBytes(Charset.forName("windows-1251"));
        assertThat(ParsedPage.parse(bytes, "text/html; charset=windows-1251", PAGE).document().selectFirst("h1").text())
                .isEqualTo("Привет");
        byte[] utf8 = "<h1>Grüße</h1>".getBytes(StandardCharsets.UTF_8);
        assertThat(ParsedPage.parse(utf8, "text/html; charset=no-such-charset", PAGE).document().selectFirst("h1").text())
                .isEqualTo("Grüße");
    }
}
