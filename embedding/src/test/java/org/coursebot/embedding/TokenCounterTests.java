package org.coursebot.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import org.junit.jupiter.api.Test;

/** The counter counts as jtokkit's encoder does: same tokens for the sample course, tricky text and random text. */
class TokenCounterTests {

    private static final Encoding JTOKKIT = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
    private final TokenCounter counter = TokenCounter.cl100k();

    @Test
    void countsTheSampleCourseAsJtokkitDoes() throws IOException {
        List<String> pages = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("../deploy/demo-course"))) {
            // text files only: the course's slides (a PDF) are binary
            for (Path file : files.filter(Files::isRegularFile)
                    .filter(f -> !f.toString().endsWith(".png") && !f.toString().endsWith(".pdf")).toList()) {
                pages.add(Files.readString(file));
            }
        }
        assertThat(pages).hasSizeGreaterThan(5);
        for (String page : pages) {
            assertThat(counter.count(page)).isEqualTo(JTOKKIT.countTokensOrdinary(page));
        }
    }

    @Test
    void countsTrickyTextAsJtokkitDoes() {
        for (String text : List.of("", " ", "hello  world", "a\r\n\r\nb", "It'S 'LL 'Ve don't", "I\u2019m", "ſ 'ſ",
                "\u00a0\u00a0x", "\u3000漢字テスト", "12345678", "naïve café", "😀😀 emoji 👍🏽", "<|endoftext|>",
                "x".repeat(5000), "漢".repeat(4000), "\t\t\n  \n", "trailing   ", "١٢٣٤ digits", "x\u0301y",
                "\u2028line\u2029", "\u000b\u000c", "\u0085", "__init__(self):\n    return 42")) {
            assertThat(counter.count(text)).as(text.length() > 40 ? text.substring(0, 40) : text)
                    .isEqualTo(JTOKKIT.countTokensOrdinary(text));
        }
    }

    @Test
    void countsRandomTextAsJtokkitDoes() {
        Random random = new Random(19);
        String alphabet = " \n\r\t'sdtmlvreAa1２é漢.,;!-_\u00a0\u3000\u2028\u0085😀";
        for (int i = 0; i < 5000; i++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(40);
            while (text.length() < length) {
                int at = random.nextInt(alphabet.length());
                char c = alphabet.charAt(at);
                text.append(Character.isHighSurrogate(c) ? alphabet.substring(at, at + 2) : Character.isLowSurrogate(c) ? "x" : c);
            }
            assertThat(counter.count(text.toString())).as(text.toString())
                    .isEqualTo(JTOKKIT.countTokensOrdinary(text.toString()));
        }
    }

    @Test
    void truncatesToAPrefixWithinTheLimitAndNeverCutsACharacter() {
        for (String text : List.of("To read a JSON body, add the express.json() middleware.", "漢字テスト漢字テスト",
                "😀😀😀 emoji", "internationalization")) {
            int tokens = counter.count(text);
            for (int max = 0; max <= tokens; max++) {
                String cut = counter.truncate(text, max);
                assertThat(text).startsWith(cut);
                assertThat(counter.count(cut)).isLessThanOrEqualTo(max);
                assertThat(cut).doesNotContain("\uFFFD");
            }
            assertThat(counter.truncate(text, tokens)).isEqualTo(text);
        }
    }
}
