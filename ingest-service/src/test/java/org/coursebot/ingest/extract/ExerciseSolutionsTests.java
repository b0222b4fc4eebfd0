package org.coursebot.ingest.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.coursebot.ingest.extract.TestPages.PAGE;
import static org.coursebot.ingest.extract.TestPages.page;

import java.util.List;

import org.coursebot.model.ContentType;
import org.coursebot.model.CourseChunk;
import org.junit.jupiter.api.Test;

/**
 * An exercise's solution folded into its page (coursebot.sources."<name>".exercise-solutions, policy guide): left out
 * of the exercise's text and chunks, and no section of its own; everything else as before. Each case is also
 * extracted with the solutions kept (policy open), where the solution is there: the check is not vacuous.
 */
class ExerciseSolutionsTests {

    /** A Carpentries Workbench challenge, as The Carpentries publish it (deploy/shell-course/site/03-create.html). */
    private static final String CHALLENGE = """
            <main><h1>Working with files</h1>
              <h2 id=moving>Moving files</h2><p>mv moves a file.</p>
              <div class="callout challenge" id="moving-files-to-a-new-folder">
                <h3 class="callout-title">Moving Files to a new folder</h3>
                <p>After running the following commands, Jamie realizes that she put the files in the wrong folder.</p>
                <details class="solution"><summary>Show me the solution</summary>
                  <pre><code>$ mv sucrose.dat maltose.dat ../raw</code></pre>
                  <p>Recall that .. refers to the parent directory.</p>
                </details>
                <p>Which command moves them back?</p>
              </div>
              <p>mv also renames a file.</p>
              <h2 id=copying>Copying files</h2><p>cp copies a file.</p>
            </main>""";

    /** A solution box with a heading of its own, in a challenge box (Carpentries' older, Jekyll lessons). */
    private static final String SOLUTION_BOX = """
            <main><h1>Navigating files</h1>
              <h2 id=paths>Absolute and relative paths</h2><p>A path names a file.</p>
              <div class="challenge" id=which-path><h3>Which path?</h3><p>Starting from /Users/amanda, which command?</p>
                <div class="solution"><h4>Solution</h4><p>cd ../backup is the one.</p></div></div>
              <p>Relative paths start from the working directory.</p>
              <h2 id=tips>Tips</h2><p>Tab completes names.</p>
            </main>""";

    private static final ExerciseMarking GUIDE = ExerciseMarking.of(null, ".challenge").leavingOut(null);
    private static final ExerciseMarking OPEN = ExerciseMarking.of(null, ".challenge");

    @Test
    void aChallengesStatementStaysItsFoldedSolutionIsInNoChunkAndTheTextAfterItStaysWhereItWas() {
        List<Section> open = extract(CHALLENGE, OPEN);
        assertThat(open.get(2).content()).as("open: stored as before").contains("mv sucrose.dat maltose.dat ../raw",
                "Recall that .. refers to the parent directory.", "Show me the solution");

        List<Section> guide = extract(CHALLENGE, GUIDE);
        assertThat(guide).extracting(Section::title).containsExactly("Working with files", "Moving files",
                "Moving Files to a new folder", "Copying files");
        Section challenge = guide.get(2);
        assertThat(challenge.contentType()).isEqualTo(ContentType.EXERCISE);
        assertThat(challenge.content()).isEqualTo("After running the following commands, Jamie realizes that she put the"
                + " files in the wrong folder.\n\nWhich command moves them back?");
        assertThat(guide.get(1).content()).isEqualTo("mv moves a file.\n\nmv also renames a file.");
        assertThat(chunkTexts(CHALLENGE, GUIDE)).noneMatch(t -> t.contains("../raw") || t.contains("parent directory")
                || t.contains("Show me the solution"));
        assertThat(chunkTexts(CHALLENGE, OPEN)).anyMatch(t -> t.contains("../raw"));
    }

    @Test
    void aSolutionBoxWithItsOwnHeadingIsNoSectionAndTheTextAfterTheChallengeIsItsSections() {
        assertThat(extract(SOLUTION_BOX, OPEN)).extracting(Section::title).contains("Solution");

        List<Section> guide = extract(SOLUTION_BOX, GUIDE);
        assertThat(guide).extracting(Section::title).containsExactly("Navigating files", "Absolute and relative paths",
                "Which path?", "Tips");
        assertThat(guide.get(2).content()).isEqualTo("Starting from /Users/amanda, which command?");
        assertThat(guide.get(1).content()).endsWith("Relative paths start from the working directory.");
        assertThat(chunkTexts(SOLUTION_BOX, GUIDE)).noneMatch(t -> t.contains("cd ../backup"));
    }

    @Test
    void aSolutionHeadingOfTheChallengesLevelNoLongerEndsItsBox() {
        String page = """
                <main><h1>Loops</h1><h2 id=intro>Intro</h2><p>A loop repeats.</p>
                  <blockquote class="challenge"><h2>Variables in loops</h2><p>What does this loop print?</p>
                    <blockquote class="solution"><h2>Solution</h2><p>It prints each name.</p></blockquote>
                  </blockquote>
                  <p>Loops save typing.</p>
                  <h2 id=next>Next</h2><p>Scripts.</p></main>""";
        List<Section> open = extract(page, OPEN);
        assertThat(open.get(3).title()).isEqualTo("Solution");
        assertThat(open.get(3).content()).isEqualTo("It prints each name.");
        assertThat(open.get(2).content()).as("open: the box does not end the challenge, the text after it is its")
                .endsWith("Loops save typing.");

        List<Section> guide = extract(page, GUIDE);
        assertThat(guide).extracting(Section::title).containsExactly("Loops", "Intro", "Variables in loops", "Next");
        assertThat(guide.get(2).content()).isEqualTo("What does this loop print?");
        assertThat(guide.get(1).content()).isEqualTo("A loop repeats.\n\nLoops save typing.");
    }

    @Test
    void aSolutionHeadingInsideAnExerciseLeavesOutItsSectionUpToTheNextHeadingOfItsLevel() {
        String page = """
                <main><h1>Part 2</h1>
                  <h2>Exercise 2.1: a server</h2><p>Write a server.</p>
                  <h3>Model solution</h3><p>const server = http.createServer()</p><h4>Notes</h4><p>It listens.</p>
                  <h3>Solution of the warm-up</h3><p>Is a statement's part.</p>
                  <h2>Exercise 2.2: a client</h2><p>Write a client.</p>
                  <h3>Answers</h3><p>fetch(url)</p>
                  <h2>Solutions</h2><h3>Exercise 2.1</h3><p>server.listen(3000)</p></main>""";
        assertThat(extract(page, OPEN)).extracting(Section::title).contains("Model solution", "Notes", "Answers",
                "Solutions");

        List<Section> guide = extract(page, GUIDE);
        assertThat(guide).extracting(Section::title).as("a solutions section right after an exercise is its solution")
                .containsExactly("Part 2", "Exercise 2.1: a server", "Solution of the warm-up", "Exercise 2.2: a client");
        assertThat(guide).extracting(Section::content).containsExactly("", "Write a server.", "Is a statement's part.",
                "Write a client.");
        assertThat(guide.get(2).parent()).isEqualTo(1);

        String notAfterAnExercise = "<main><h1>Cloud</h1><h2>Intro</h2><p>Hosting.</p><h2>Solutions</h2><p>Our offer.</p></main>";
        assertThat(extract(notAfterAnExercise, GUIDE)).extracting(Section::title).contains("Solutions");
    }

    @Test
    void aDetailsThatIsNoSolutionStaysOneWhoseSummarySaysAnswerDoesNot() {
        String page = """
                <main><h1>Pipes</h1><h2>Exercise 1: count lines</h2><p>Count the lines of every file.</p>
                  <details><summary>Hint</summary><p>wc has an option for lines.</p></details>
                  <details><summary>More about pipes</summary><p>A pipe connects two commands.</p></details>
                  <details><summary>Show the answer</summary><p>wc -l *.pdb</p></details>
                  <p>Then sort them.</p></main>""";
        assertThat(extract(page, GUIDE).get(1).content()).isEqualTo("Count the lines of every file.\n\n"
                + "Hint\n\nwc has an option for lines.\n\nMore about pipes\n\nA pipe connects two commands.\n\n"
                + "Then sort them.");
        assertThat(extract(page, OPEN).get(1).content()).contains("wc -l *.pdb");
    }

    @Test
    void aSummaryOrHeadingSaysSolutionWhateverItsMarkupInside() {
        String page = """
                <main><h1>Pipes</h1><h2>Exercise 2: sort</h2><p>Sort the lengths.</p>
                  <details><summary><strong>Solution</strong></summary><p>sort -n lengths.txt</p></details>
                  <h3><span>Answer 2.1</span><a class=headerlink href=#a>¶</a></h3><p>sort -rn lengths.txt</p></main>""";
        assertThat(extract(page, GUIDE)).extracting(Section::content).containsExactly("", "Sort the lengths.");
        assertThat(extract(page, OPEN).get(1).content()).contains("sort -n lengths.txt");
    }

    @Test
    void aSolutionInABoxThatSaysExerciseIsLeftOutOneOutsideAnyExerciseStays() {
        String page = """
                <main><h1>Setup</h1><h2>Open a shell</h2><p>Open a terminal.</p>
                  <details class="solution"><summary>Show me the solution</summary><p>On Windows, use Git Bash.</p></details>
                  <div class="exercise">Open a shell and print its name.
                    <div class="solution">echo $SHELL</div> What did it say?</div></main>""";
        String text = extract(page, GUIDE).get(1).content();
        assertThat(text).contains("On Windows, use Git Bash.", "Open a shell and print its name.", "What did it say?")
                .doesNotContain("echo $SHELL");
        assertThat(text).as("the text around a solution does not run together")
                .contains("Open a shell and print its name.\n\nWhat did it say?");
    }

    @Test
    void aCoursesOwnSelectorReplacesTheDefault() {
        ExerciseMarking own = OPEN.leavingOut(".model-answer");
        String page = """
                <main><h1>Lab</h1><div class="challenge"><h2>Sockets</h2><p>Open a socket.</p>
                  <div class="model-answer">socket(AF_INET)</div><details class="solution">bind()</details></div></main>""";
        assertThat(extract(page, own).get(1).content()).doesNotContain("socket(AF_INET)").contains("bind()");
        assertThat(own.solutionSelector()).isEqualTo(".model-answer");
        assertThat(OPEN.leavingOut(" ").solutionSelector()).isEqualTo(ExerciseMarking.DEFAULT_SOLUTIONS);
        assertThatThrownBy(() -> OPEN.leavingOut("details:has(")).hasMessageStartingWith("is not a valid CSS selector");
    }

    private static List<Section> extract(String body, ExerciseMarking marking) {
        return SectionExtractor.extract(page(body), PAGE, null, marking);
    }

    private static List<String> chunkTexts(String body, ExerciseMarking marking) {
        return TestPages.chunks(ExtractionSettings.defaults().withExercises(marking), body).stream()
                .map(CourseChunk::content).toList();
    }
}
