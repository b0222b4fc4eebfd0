package org.coursebot.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class DemoSlidesTests {

    private static final Path SLIDES = Path.of("../deploy/demo-course/slides");

    @Test
    void committedSlidesAreWhatTheirSourceGives() throws Exception {
        byte[] rendered = DemoSlides.render(SLIDES.resolve("debugging.txt"));
        assertThat(rendered)
                .as("deploy/demo-course/slides/debugging.pdf differs from its source: run deploy/demo-course/slides/build.sh")
                .isEqualTo(Files.readAllBytes(SLIDES.resolve("debugging.pdf")));
    }

    @Test
    void rendersTheSameBytesTwice() throws Exception {
        assertThat(DemoSlides.render(SLIDES.resolve("debugging.txt")))
                .isEqualTo(DemoSlides.render(SLIDES.resolve("debugging.txt")));
    }
}
