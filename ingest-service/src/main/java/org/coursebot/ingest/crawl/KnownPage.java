package org.coursebot.ingest.crawl;

import java.util.List;

/**
 * What the last crawl stored of a page: its validators, for a conditional GET, and its outgoing links. A page
 * that answers 304 is not parsed, so its stored links are what the crawl follows: without them, a page linked
 * only from it would never be found again while it stays unchanged (e.g. after a run that was killed before it
 * reached that page).
 */
public record KnownPage(PageValidators validators, List<String> links) {

    public KnownPage {
        validators = validators == null ? PageValidators.NONE : validators;
        links = links == null ? List.of() : List.copyOf(links);
    }

    /** A page known by its validators only (a directory source has no links to keep). */
    public static KnownPage of(PageValidators validators) {
        return new KnownPage(validators, List.of());
    }
}
