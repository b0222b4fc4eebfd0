package org.coursebot.ingest.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

/**
 * The default exercise-solutions selector on The Carpentries' shell lesson, configured as the system tests configure
 * it (exercise-selector {@code .challenge}): no text of a challenge's folded solution reaches a section, so no chunk,
 * with policy guide, and all of it does with open. The site is built by deploy/shell-course/build.sh (it needs github.com), so
 * CI, which has none, skips this test.
 */
class ShellLessonSolutionsTests {

    private static final Path SITE = Path.of("../deploy/shell-course/site");
    private static final String BASE = "https://swcarpentry.github.io/shell-novice/";
    private static final ExerciseMarking OPEN = ExerciseMarking.of(null, ".challenge");
    private static final ExerciseMarking GUIDE = OPEN.leavingOut(null);

    @Test
    void noTextOfAChallengesSolutionReachesAChunkWithPolicyGuide() throws IOException {
        assumeTrue(Files.isDirectory(SITE), "no shell lesson site at " + SITE.toAbsolutePath().normalize()
                + " (deploy/shell-course/build.sh builds it; CI has none): skipped");
        int solutions = 0;
        int inChallenges = 0;
        List<String> checked = new ArrayList<>();
        List<String> leaked = new ArrayList<>();
        List<String> keptOutsideChallenges = new ArrayList<>();
        for (Path file : pages()) {
            String url = BASE + file.getFileName();
            Document page = Jsoup.parse(file.toFile(), null, url);
            String guide = text(GUIDE, url, page);
            String open = text(OPEN, url, page);
            String elsewhere = normalized(withoutSolutions(page).body().text());
            for (Element solution : page.select("details.solution")) {
                solutions++;
                boolean inChallenge = solution.closest(".challenge") != null;
                inChallenges += inChallenge ? 1 : 0;
                for (String block : distinctiveBlocks(solution, elsewhere)) {
                    assertThat(open).as("open stores it (%s)", file.getFileName()).contains(block);
                    if (!inChallenge) {
                        keptOutsideChallenges.add(block);
                        assertThat(guide).as("not in a challenge: not an exercise's solution, kept").contains(block);
                    } else if (guide.contains(block)) {
                        leaked.add(file.getFileName() + ": " + block);
                    } else {
                        checked.add(block);
                    }
                }
            }
        }
        System.out.printf("shell lesson: %d details.solution, %d in challenges, %d of their blocks checked absent;"
                + " %d blocks of solutions outside challenges (setup.html's per-system instructions) kept%n",
                solutions, inChallenges, checked.size(), keptOutsideChallenges.size());
        assertThat(leaked).isEmpty();
        assertThat(inChallenges).as("the lesson's challenges have folded solutions").isGreaterThan(30);
        assertThat(checked.size()).as("most solutions checked by some text of their own").isGreaterThan(inChallenges);
    }

    /** The solution's paragraphs, code blocks and list items that the page has nowhere else, whitespace collapsed. */
    private static List<String> distinctiveBlocks(Element solution, String elsewhere) {
        List<String> blocks = new ArrayList<>();
        for (Element block : solution.select("p, pre, li")) {
            String text = normalized(block.wholeText());
            if (text.length() >= 12 && !elsewhere.contains(text)) {
                blocks.add(text);
            }
        }
        return blocks;
    }

    private static Document withoutSolutions(Document page) {
        Document copy = page.clone();
        copy.select("details.solution").remove();
        return copy;
    }

    /**
     * Every section's heading path and text, whitespace collapsed, in one string: what chunks are cut from (a chunk
     * is a piece of one section's text under its heading path), and unlike chunks never cut inside a block.
     */
    private static String text(ExerciseMarking marking, String url, Document page) {
        return normalized(String.join(" ", SectionExtractor.extract(page, url, null, marking).stream()
                .map(s -> s.headingPath() + " " + s.content()).toList()));
    }

    private static String normalized(String text) {
        return text.replaceAll("\\s+", " ").strip();
    }

    private static List<Path> pages() throws IOException {
        try (Stream<Path> files = Files.list(SITE)) {
            return files.filter(f -> f.toString().endsWith(".html")).sorted().toList();
        }
    }
}
