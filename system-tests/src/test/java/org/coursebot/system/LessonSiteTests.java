package org.coursebot.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The third evaluation course's builder on a lesson of our own in The Carpentries Workbench's Markdown (the real
 * lesson is not in the repository): what a learner's page shows and where each id lands.
 */
class LessonSiteTests {

    @Test
    void buildsEpisodesAsTheWorkbenchPublishesThem(@TempDir Path lesson, @TempDir Path site) throws Exception {
        Files.writeString(lesson.resolve("config.yaml"), """
                title: 'Tiny Shell'
                source: 'https://example.org/tiny-shell'
                episodes:
                - 01-files.md

                learners:
                """);
        Files.writeString(lesson.resolve("index.md"), "---\nsite: sandpaper::sandpaper_site\n---\n\nA tiny lesson.\n");
        Files.createDirectories(lesson.resolve("episodes"));
        Files.writeString(lesson.resolve("episodes/01-files.md"), """
                ---
                title: Working With Files
                ---

                ::::::::::::::::: objectives

                - Delete files.

                :::::::::::::::::

                ## Removing files

                `rm` deletes a file. See [the index](index.md).

                :::::::::::::::: callout

                ## Deleting Is Forever

                There is no trash bin.

                ::::::::::::::::

                `rm -r` removes a directory.

                ![](fig/tree.svg){alt='A directory tree'}

                :::::::::::: challenge

                ## Removing Safely

                How do you make `rm` ask first?

                ::::::: solution

                ## Solution

                `rm -i` asks.

                ```bash
                ## not a heading
                :::::
                ```

                :::::::

                ::::::::::::

                ::::: instructor

                Learners often forget -r.

                :::::
                """);
        LessonSite.main(new String[] {lesson.toString(), site.toString()});

        Document page = Jsoup.parse(site.resolve("01-files.html").toFile());
        assertThat(page.title()).isEqualTo("Tiny Shell: Working With Files");
        assertThat(page.select("main h1").text()).isEqualTo("Working With Files");
        assertThat(page.getElementById("removing-files").normalName()).isEqualTo("h2");
        assertThat(page.getElementById("deleting-is-forever").classNames()).containsExactly("callout");
        assertThat(page.select("#deleting-is-forever > h3").text()).isEqualTo("Deleting Is Forever");
        assertThat(page.getElementById("removing-safely").classNames()).contains("callout", "challenge");
        assertThat(page.select("#removing-safely details.solution").text())
                .as("the solution folded into its challenge, without its own heading; a code block kept whole")
                .startsWith("Show me the solution rm -i asks.").contains("## not a heading", ":::::");
        assertThat(page.select("main h2, main h3").eachText()).doesNotContain("Solution");
        assertThat(page.text()).doesNotContain("Learners often forget").doesNotContain("{alt=");
        assertThat(page.select("img[alt=A directory tree]")).hasSize(1);
        assertThat(page.select("#objectives h3").text()).isEqualTo("Objectives");
        assertThat(page.select("main a[href=index.html]")).as("links to .md pages point at their .html").hasSize(1);
        assertThat(page.select("footer").text()).contains("CC BY 4.0", "https://example.org/tiny-shell");
        assertThat(Files.exists(site.resolve("index.html"))).isTrue();
    }
}
