package org.coursebot.ingest.crawl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UrlNormalizerTests {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "HTTPS://Course.Example.org:443/en/part1/#intro | https://course.example.org/en/part1/",
        "http://course.example.org:80 | http://course.example.org/",
        "http://course.example.org:8080/a | http://course.example.org:8080/a",
        "https://x.org/en/part1/index.html | https://x.org/en/part1/",
        "https://x.org/index.htm?b=2 | https://x.org/?b=2",
        "https://x.org/a?utm_source=n&id=3&fbclid=abc&gclid=z&UTM_Medium=m | https://x.org/a?id=3",
        "https://x.org/a?utm_campaign=spring | https://x.org/a",
        "https://x.org/a/./b/../c | https://x.org/a/c",
        "https://user:secret@x.org/a | https://x.org/a",
        "https://x.org/caf\u00e9 page | https://x.org/caf%C3%A9%20page",
        "https://x.org/100%/x | https://x.org/100%25/x",
    })
    void normalisesToOneSpellingPerPage(String raw, String expected) {
        assertThat(UrlNormalizer.normalize(raw)).contains(expected);
    }

    @ParameterizedTest
    @CsvSource({"mailto:someone@x.org", "javascript:void(0)", "ftp://x.org/file", "/relative/path", "''"})
    void rejectsWhatIsNotAnAbsoluteHttpUrl(String raw) {
        assertThat(UrlNormalizer.normalize(raw)).isEmpty();
    }

    @ParameterizedTest(name = "{0} + {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "https://x.org/en/part1/ | ../part2/#a | https://x.org/en/part2/",
        "https://x.org/en/part1/ | b.html?utm_source=x | https://x.org/en/part1/b.html",
        "https://x.org/en/part1/a.html | //x.org/en/ | https://x.org/en/",
    })
    void resolvesReferencesThenNormalises(String base, String reference, String expected) {
        assertThat(UrlNormalizer.resolve(base, reference)).contains(expected);
    }
}
