package org.coursebot.ingest.extract;

import java.util.List;

import org.coursebot.model.CourseChunk;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;

/** Small helpers for hand-written pages. */
final class TestPages {

    static final String PAGE = "https://course.example.org/en/part3/b/";

    private TestPages() {
    }

    static Document page(String body) {
        return Jsoup.parse("<html><head><title>Course page</title></head><body>" + body + "</body></html>", PAGE);
    }

    static List<Section> sections(String body) {
        return SectionExtractor.extract(page(body), PAGE, null);
    }

    static List<CourseChunk> chunks(ExtractionSettings settings, String body) {
        return new PageChunker(settings).chunk("course", PAGE, page(body));
    }
}
