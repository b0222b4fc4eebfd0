package org.coursebot.ingest.extract;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

/** The citation rule, one id placement at a time: a fragment only when it lands on the heading. */
class CitationResolverTests {

    private static final String PAGE = "https://course.example.org/en/part3/a/";

    private static String citation(String body) {
        Document page = Jsoup.parse("<html><body>" + body + "</body></html>", PAGE);
        Element heading = page.selectFirst("h2.target");
        assertThat(heading).as("test page needs an h2.target").isNotNull();
        return new CitationResolver(page, PAGE).urlFor(heading);
    }

    @Test
    void citesTheHeadingsOwnId() {
        assertThat(citation("<h2 class=target id=receiving-data>Receiving data</h2>"))
                .isEqualTo(PAGE + "#receiving-data");
    }

    @Test
    void citesAnElementWithAnIdInsideTheHeading() {
        assertThat(citation("<h2 class=target><span id=s1>Receiving</span> data</h2>")).isEqualTo(PAGE + "#s1");
    }

    @Test
    void citesAnAnchorNameInsideTheHeading() {
        assertThat(citation("<h2 class=target><a name=recv></a>Receiving data</h2>")).isEqualTo(PAGE + "#recv");
    }

    @Test
    void citesAnEmptyAnchorWithIdImmediatelyBeforeTheHeading() {
        assertThat(citation("<p>intro</p><a id=before></a>\n <!-- x --> <h2 class=target>Receiving data</h2>"))
                .isEqualTo(PAGE + "#before");
    }

    @Test
    void citesAnEmptyAnchorWithNameImmediatelyBeforeTheHeading() {
        assertThat(citation("<a name=before></a><h2 class=target>Receiving data</h2>")).isEqualTo(PAGE + "#before");
    }

    @Test
    void ignoresAnAnchorBeforeTheHeadingThatHasText() {
        assertThat(citation("<a id=link href=/x>Back to top</a><h2 class=target>Receiving data</h2>")).isEqualTo(PAGE);
    }

    @Test
    void ignoresAnEmptyAnchorSeparatedFromTheHeadingByText() {
        assertThat(citation("<a id=far></a>Some words<h2 class=target>Receiving data</h2>")).isEqualTo(PAGE);
    }

    @Test
    void citesTheEnclosingSectionWhoseFirstHeadingItIs() {
        assertThat(citation("<section id=recv><div><h2 class=target>Receiving data</h2><p>text</p></div></section>"))
                .isEqualTo(PAGE + "#recv");
    }

    @Test
    void citesTheNearestEnclosingDivWithAnId() {
        assertThat(citation("<div id=outer><div id=inner><h2 class=target>Receiving data</h2></div></div>"))
                .isEqualTo(PAGE + "#inner");
    }

    @Test
    void doesNotCiteAnEnclosingSectionWhoseFirstHeadingIsAnother() {
        assertThat(citation("<section id=express><h2>Express</h2><p>x</p><h2 class=target>Receiving data</h2></section>"))
                .isEqualTo(PAGE);
    }

    @Test
    void anH5BeforeTheHeadingAlsoCountsAsTheSectionsFirstHeading() {
        assertThat(citation("<section id=s><h5>Note</h5><h2 class=target>Receiving data</h2></section>"))
                .isEqualTo(PAGE);
    }

    @Test
    void doesNotCiteAnArticleOrOtherEnclosingElement() {
        assertThat(citation("<article id=a><h2 class=target>Receiving data</h2></article>")).isEqualTo(PAGE);
    }

    @Test
    void citesBarePageUrlWhenHeadingHasNoId() {
        assertThat(citation("<h2 class=target>Receiving data</h2><p>text</p>")).isEqualTo(PAGE);
    }

    @Test
    void citesBarePageUrlWhenTheIdIsOnALaterParagraph() {
        assertThat(citation("<h2 class=target>Receiving data</h2><p id=receiving-data>text</p>")).isEqualTo(PAGE);
    }

    @Test
    void citesBarePageUrlWhenTheIdIsOnTheParagraphBefore() {
        assertThat(citation("<p id=receiving-data>text</p><h2 class=target>Receiving data</h2>")).isEqualTo(PAGE);
    }

    @Test
    void skipsADuplicateIdThatAnEarlierElementOwns() {
        assertThat(citation("<p id=dup>first</p><h2 class=target id=dup>Receiving data</h2>")).isEqualTo(PAGE);
    }

    @Test
    void fallsThroughADuplicateHeadingIdToTheNextPlacement() {
        assertThat(citation("<p id=dup>first</p><section id=recv><h2 class=target id=dup>Receiving data</h2></section>"))
                .isEqualTo(PAGE + "#recv");
    }

    @Test
    void citesTheFirstOfTwoElementsSharingAnId() {
        assertThat(citation("<h2 class=target id=dup>Receiving data</h2><h2 id=dup>Other</h2>"))
                .isEqualTo(PAGE + "#dup");
    }

    @Test
    void doesNotCiteAnAnchorNameThatAnElementIdShadows() {
        // Browsers look for an element with that id first; the <a name> is only the fallback.
        assertThat(citation("<div id=recv>menu</div><h2 class=target><a name=recv></a>Receiving data</h2>"))
                .isEqualTo(PAGE);
    }

    @Test
    void doesNotCiteTheSecondAnchorWithAName() {
        assertThat(citation("<a name=recv></a><p>x</p><h2 class=target><a name=recv></a>Receiving data</h2>"))
                .isEqualTo(PAGE);
    }

    @Test
    void percentEncodesNonAsciiIdsAsUtf8() {
        String url = citation("<h2 class=target id=\"tietojen-vastaanotto-ä\">Tietojen vastaanotto ä</h2>");
        assertThat(url).isEqualTo(PAGE + "#tietojen-vastaanotto-%C3%A4");
        assertThat(URI.create(url).getFragment()).isEqualTo("tietojen-vastaanotto-ä");
    }

    @Test
    void percentEncodesSpacesPercentSignsHashesAndQuotes() {
        String id = "a b%20c#d\"e<f>`g";
        String url = citation("<h2 class=target id='" + id + "'>Odd</h2>");
        assertThat(url).isEqualTo(PAGE + "#a%20b%2520c%23d%22e%3Cf%3E%60g");
        assertThat(URI.create(url).getFragment()).isEqualTo(id);
    }

    @Test
    void keepsCharactersAllowedInAFragment() {
        assertThat(CitationResolver.encodeFragment("a-b_c.d~e:f/g?h(1)")).isEqualTo("a-b_c.d~e:f/g?h(1)");
    }

    @Test
    void dropsTheFragmentThePageUrlCameWith() {
        Document page = Jsoup.parse("<h2 id=x>X</h2>");
        CitationResolver resolver = new CitationResolver(page, PAGE + "#old");
        assertThat(resolver.urlFor(page.selectFirst("h2"))).isEqualTo(PAGE + "#x");
        assertThat(resolver.pageUrl()).isEqualTo(PAGE);
    }

    @Test
    void ignoresAnEmptyIdAttribute() {
        assertThat(citation("<h2 class=target id=''>Receiving data</h2>")).isEqualTo(PAGE);
    }
}
