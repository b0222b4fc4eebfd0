package org.coursebot.ingest.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.coursebot.ingest.extract.TestPages.PAGE;
import static org.coursebot.ingest.extract.TestPages.page;
import static org.coursebot.ingest.extract.TestPages.sections;

import java.util.List;

import org.coursebot.model.ContentType;
import org.junit.jupiter.api.Test;

/** Headings into a tree of sections: titles, text, parents, types, importance, main content. */
class SectionExtractorTests {

    private static final String COURSE = """
            <nav><a href=/>Home</a><a href=/en/part1>Part 1</a></nav>
            <main>
              <h1 id=top>Node.js and Express</h1>
              <p>In this part our focus shifts towards the backend.</p>
              <h2 id=express>Express</h2>
              <p>Express is a library.</p>
              <h3 id=receiving-data>Receiving data</h3>
              <p>Adding a note happens by POST.</p>
              <h4>Details</h4>
              <p>Body parsing.</p>
              <h2 id=rest>REST</h2>
              <p>Representational state transfer.</p>
              <div class=tasks>
                <h3 id=exercises>Exercises 3.1.-3.6.</h3>
                <p>Submit through GitHub.</p>
                <h4>3.1 Phonebook backend step 1</h4>
                <p>Implement a Node application.</p>
              </div>
            </main>
            <footer>Copyright University</footer>
            """;

    @Test
    void buildsTheHeadingTreeWithParentsAndPaths() {
        List<Section> s = sections(COURSE);
        assertThat(s).extracting(Section::title).containsExactly("Node.js and Express", "Express", "Receiving data",
                "Details", "REST", "Exercises 3.1.-3.6.", "3.1 Phonebook backend step 1");
        assertThat(s).extracting(Section::parent).containsExactly(-1, 0, 1, 2, 0, 4, 5);
        assertThat(s).extracting(Section::level).containsExactly(0, 2, 3, 4, 2, 3, 4);
        assertThat(s.get(2).headingPath()).isEqualTo("Node.js and Express › Express › Receiving data");
        assertThat(s.get(0).headingPath()).isEqualTo("Node.js and Express");
    }

    @Test
    void aHeadingThatOpensABoxEndsWithTheBox() {
        // A Carpentries lesson: a callout inside a section, then more of the section; a heading wrapped in a div of
        // its own (no text after it in the div) and a wrapper holding two h2s do not bound their sections.
        List<Section> s = sections("""
                <main><h1>Creating files</h1>
                  <h2 id=removing>Removing files</h2>
                  <p>rm deletes a file.</p>
                  <div class="callout" id=deleting-is-forever><div class=icon></div>
                    <div class=inner><h3>Deleting Is Forever</h3><p>There is no trash bin.</p></div></div>
                  <p>rm -r removes a directory and its contents.</p>
                  <div class=heading-wrapper><h2 id=copying>Copying</h2><a href=#copying></a></div>
                  <p>cp copies.</p>
                  <div class=wrapper><h2>Moving</h2><p>mv moves.</p><h2>Renaming</h2><p>mv renames.</p></div>
                  <p>Renaming is moving.</p>
                </main>""");
        assertThat(s).extracting(Section::title).containsExactly("Creating files", "Removing files",
                "Deleting Is Forever", "Copying", "Moving", "Renaming");
        assertThat(s.get(1).content()).isEqualTo("rm deletes a file.\n\nrm -r removes a directory and its contents.");
        assertThat(s.get(2).content()).isEqualTo("There is no trash bin.");
        assertThat(s.get(2).url()).endsWith("#deleting-is-forever");
        assertThat(s.get(3).content()).isEqualTo("cp copies.");
        assertThat(s.get(5).content()).isEqualTo("mv renames.\n\nRenaming is moving.");
        assertThat(s.get(3).parent()).as("a section after a box hangs where it did before").isEqualTo(0);
    }

    @Test
    void typesAndImportanceFollowTheLevelAndExerciseMarkup() {
        List<Section> s = sections(COURSE);
        assertThat(s).extracting(Section::contentType).containsExactly(ContentType.PAGE, ContentType.SECTION,
                ContentType.SUBSECTION, ContentType.SUBSECTION, ContentType.SECTION, ContentType.EXERCISE,
                ContentType.EXERCISE);
        assertThat(s).extracting(Section::importance).containsExactly(1.0, 0.9, 0.8, 0.8, 0.9, 0.6, 0.6);
    }

    @Test
    void citesEachSectionWhereItsIdLandsAndThePageOtherwise() {
        List<Section> s = sections(COURSE);
        assertThat(s).extracting(Section::url).containsExactly(PAGE + "#top", PAGE + "#express",
                PAGE + "#receiving-data", PAGE, PAGE + "#rest", PAGE + "#exercises", PAGE);
    }

    @Test
    void sectionTextRunsUntilTheNextHeadingAndLeavesOutBoilerplate() {
        List<Section> s = sections(COURSE);
        assertThat(s.get(0).content()).isEqualTo("In this part our focus shifts towards the backend.");
        assertThat(s.get(1).content()).isEqualTo("Express is a library.");
        assertThat(String.join(" ", s.stream().map(Section::content).toList()))
                .doesNotContain("Home", "Copyright", "Part 1");
    }

    @Test
    void recognisesExercisesByTitleWithoutMarkup() {
        List<Section> s = sections("<h1>T</h1><h2>Exercises</h2><p>Do this.</p><h2>Harjoitukset 1.1</h2><p>Tee.</p>");
        assertThat(s).extracting(Section::contentType)
                .containsExactly(ContentType.PAGE, ContentType.EXERCISE, ContentType.EXERCISE);
    }

    @Test
    void marksASectionOfOnlyCodeAsCode() {
        List<Section> s = sections("<h1>T</h1><h2>Example</h2><pre>const a = 1;</pre><h3>Prose</h3><p>Words.</p>"
                + "<pre>x</pre>");
        assertThat(s.get(1).contentType()).isEqualTo(ContentType.CODE);
        assertThat(s.get(1).importance()).isEqualTo(0.9);
        assertThat(s.get(2).contentType()).isEqualTo(ContentType.SUBSECTION);
    }

    @Test
    void keepsParagraphsListsTablesAndCodeReadable() {
        String body = """
                <h1>Title</h1>
                <p>First   paragraph
                   spans lines.</p>
                <p>Second <b>bold</b> <a href=#>link</a>.</p>
                <ul><li>one</li><li><p>two</p><ul><li>two a</li></ul></li></ul>
                <ol><li>first</li><li>second</li></ol>
                <table><tr><th>Method</th><th>Path</th></tr><tr><td>GET</td><td>/api/notes</td></tr></table>
                <pre><code>app.get('/', (req, res) =&gt; {
                  res.send('&lt;h1&gt;Hello&lt;/h1&gt;')
                })</code></pre>
                <p>Line<br>break</p>
                """;
        assertThat(sections(body).get(0).content()).isEqualTo("""
                First paragraph spans lines.

                Second bold link.

                - one
                - two
                  - two a

                1. first
                2. second

                Method | Path
                GET | /api/notes

                app.get('/', (req, res) => {
                  res.send('<h1>Hello</h1>')
                })

                Line
                break""");
    }

    @Test
    void decodesEntities() {
        assertThat(sections("<h1>Caf&eacute; &amp; Co</h1><p>&lt;tag&gt; &copy; &#8364;&nbsp;5</p>").get(0))
                .extracting(Section::title, Section::content)
                .containsExactly("Café & Co", "<tag> © € 5");
    }

    @Test
    void makesOnePageSectionWhenThereAreNoHeadings() {
        List<Section> s = sections("<p>Just text.</p><div>More text.</div>");
        assertThat(s).hasSize(1);
        assertThat(s.get(0)).extracting(Section::title, Section::content, Section::contentType, Section::url)
                .containsExactly("Course page", "Just text.\n\nMore text.", ContentType.PAGE, PAGE);
    }

    @Test
    void titlesAnImageOnlyHeadingFromItsAltText() {
        List<Section> s = sections("<h1>T</h1><h2><img src=logo.png alt='Express logo'></h2><p>Text.</p>");
        assertThat(s.get(1).title()).isEqualTo("Express logo");
    }

    @Test
    void skipsHeadingsWithOnlyWhitespaceOrUnlabelledImages() {
        List<Section> s = sections("<h1>T</h1><p>a</p><h2> &nbsp; </h2><p>b</p><h2><img src=x.png></h2><p>c</p>");
        assertThat(s).hasSize(1);
        assertThat(s.get(0).content()).isEqualTo("a\n\nb\n\nc");
    }

    @Test
    void leavesPermalinkGlyphsOutOfTitlesButKeepsAHashThatIsPartOfTheName() {
        List<Section> s = sections("<h1>T</h1><h2 id=x>Install <a class=headerlink href='#x'>¶</a></h2><p>a</p>"
                + "<h2>Learn C#</h2><p>b</p>");
        assertThat(s).extracting(Section::title).containsExactly("T", "Install", "Learn C#");
    }

    @Test
    void usesTheDocumentTitleWhenThereIsNoH1() {
        List<Section> s = sections("<p>Lead.</p><h2>First</h2><p>x</p>");
        assertThat(s).extracting(Section::title).containsExactly("Course page", "First");
        assertThat(s.get(1).headingPath()).isEqualTo("Course page › First");
    }

    @Test
    void aSecondH1IsASectionUnderThePage() {
        List<Section> s = sections("<h1>One</h1><p>a</p><h1>Two</h1><p>b</p><h2>Two a</h2><p>c</p>");
        assertThat(s).extracting(Section::parent).containsExactly(-1, 0, 1);
        assertThat(s.get(2).headingPath()).isEqualTo("One › Two › Two a");
    }

    @Test
    void prefersMainThenArticleOverTheBody() {
        String filler = "<p>" + "Words of the article. ".repeat(20) + "</p>";
        List<Section> s = sections("<div><h2>Sidebar promo</h2><p>Buy</p></div><article><h1>Story</h1>" + filler
                + "</article>");
        assertThat(s).extracting(Section::title).containsExactly("Story");
        List<Section> m = sections("<div class=ad>Ad text</div><div role=main><h1>Main</h1>" + filler + "</div>");
        assertThat(m.get(0).title()).isEqualTo("Main");
        assertThat(m.get(0).content()).doesNotContain("Ad text");
    }

    @Test
    void usesTheConfiguredSelectorFirst() {
        String filler = "<p>" + "Words of the article. ".repeat(20) + "</p>";
        List<Section> s = SectionExtractor.extract(page("<main><h1>Wrapper</h1>" + filler
                + "<div class=content><h2>Real</h2><p>Real text.</p></div></main>"), PAGE, "div.content");
        assertThat(s).extracting(Section::title).containsExactly("Course page", "Real");
    }

    @Test
    void leavesOutPageChromeAndHiddenElementsFromTheBody() {
        List<Section> s = sections("""
                <header><h1>Site name</h1></header>
                <div role=navigation>Menu</div>
                <h1>Article</h1><p>Visible.</p>
                <p hidden>Hidden attr.</p><p aria-hidden=true>Aria hidden.</p>
                <p style="display: none">Styled hidden.</p>
                <aside>Related</aside><script>var x = 'script text';</script><style>p{}</style>
                <form><input value=search><button>Go</button></form>
                <footer>Footer</footer>
                """);
        assertThat(s).hasSize(1);
        assertThat(s.get(0).title()).isEqualTo("Article");
        assertThat(s.get(0).content()).isEqualTo("Visible.");
    }

    @Test
    void keepsAFormThatWrapsTheWholePage() {
        List<Section> s = sections("<form id=aspnetForm><h1>Article</h1><p>Inside a form.</p></form>");
        assertThat(s.get(0).content()).isEqualTo("Inside a form.");
    }

    @Test
    void keepsTheHeaderInsideAnArticle() {
        String filler = "<p>" + "Words of the article. ".repeat(20) + "</p>";
        List<Section> s = sections("<article><header><h1>Story title</h1></header>" + filler + "</article>");
        assertThat(s.get(0).title()).isEqualTo("Story title");
    }

    @Test
    void giveAHeadingThatSwallowedTheRestOfThePageItsLeadingText() {
        List<Section> s = sections("<h1>T</h1><h2>Unclosed <p>Paragraph inside.</p><p>Another.</p>");
        assertThat(s.get(1).title()).isEqualTo("Unclosed");
        assertThat(s.get(1).content()).contains("Paragraph inside.", "Another.");
    }

    @Test
    void leavesOutSharingBarsCommentsAndRelatedLinksNamedByClassOrId() {
        List<Section> s = sections("""
                <h1>Article</h1><p>Body text.</p>
                <div class="share-buttons">Share on X</div>
                <section id=comments><h3>3 comments</h3><p>First!</p></section>
                <ul class="related_links"><li>Other story</li></ul>
                <div id=toc><h2>Contents</h2><ul><li>1 Sharing</li></ul></div>
                <div class="has-sidebar"><p>Layout wrapper text.</p></div>
                <section id=sharing-with-a-single-developer><h2>Sharing with a single developer</h2><p>Push.</p></section>
                """);
        assertThat(s).extracting(Section::title).containsExactly("Article", "Sharing with a single developer");
        assertThat(s.get(0).content()).isEqualTo("Body text.\n\nLayout wrapper text.");
        assertThat(s.get(1).url()).isEqualTo(PAGE + "#sharing-with-a-single-developer");
    }

    @Test
    void keepsAnElementNamedLikeChromeWhenItHoldsMostOfTheText() {
        String filler = "<p>" + "Words of the article. ".repeat(20) + "</p>";
        List<Section> s = sections("<div class=menu-layout><h2>Inside</h2>" + filler + "</div>");
        assertThat(s).extracting(Section::title).containsExactly("Course page", "Inside");
    }

    @Test
    void passesOverAMainElementWithAlmostNoText() {
        List<Section> s = sections("<main><a href=#c>Skip to content</a></main><div id=c><h1>Real title</h1>"
                + "<p>Real text.</p></div>");
        assertThat(s.get(0).title()).isEqualTo("Real title");
        assertThat(s.get(0).content()).endsWith("Real text.");
    }
}
