package org.coursebot.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The sample course's slides (deploy/demo-course/slides): a slide deck written from its text source,
 * {@code <name>.txt} ("title:" and "subject:" lines, then "# " starting each slide, "- " each bullet point), with
 * {@link PdfFiles#slides}. Deterministic, so the committed PDF is what the source gives: DemoSlidesTests regenerates
 * it and compares the bytes; {@code deploy/demo-course/slides/build.sh} writes it again after an edit.
 */
public final class DemoSlides {

    private DemoSlides() {
    }

    /** The PDF of a slide source. */
    public static byte[] render(Path source) throws IOException {
        String title = null;
        String subject = null;
        List<PdfFiles.Slide> slides = new ArrayList<>();
        String slideTitle = null;
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(source, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("title: ") && slideTitle == null) {
                title = line.substring(7).strip();
            } else if (line.startsWith("subject: ") && slideTitle == null) {
                subject = line.substring(9).strip();
            } else if (line.startsWith("# ")) {
                if (slideTitle != null) {
                    slides.add(new PdfFiles.Slide(slideTitle, List.copyOf(lines)));
                }
                slideTitle = line.substring(2).strip();
                lines.clear();
            } else if (slideTitle != null) {
                lines.add(line.strip());
            } else {
                throw new IllegalArgumentException(source + ": text before the first slide: " + line);
            }
        }
        if (slideTitle != null) {
            slides.add(new PdfFiles.Slide(slideTitle, List.copyOf(lines)));
        }
        if (title == null || slides.isEmpty()) {
            throw new IllegalArgumentException(source + ": needs a 'title:' line and at least one '# ' slide");
        }
        return PdfFiles.slides(title, subject, slides);
    }

    /** {@code DemoSlides SOURCE.txt TARGET.pdf}: writes the slides. */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: DemoSlides SOURCE.txt TARGET.pdf");
            System.exit(2);
        }
        Files.write(Path.of(args[1]), render(Path.of(args[0])));
    }
}
