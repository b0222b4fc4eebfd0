package org.coursebot.ingest.crawl;

/** HTTP cache validators of a page, sent back as If-None-Match / If-Modified-Since; either may be null. */
public record PageValidators(String etag, String lastModified) {

    /** No validators: the next request is unconditional. */
    public static final PageValidators NONE = new PageValidators(null, null);

    /** True when at least one validator can make a request conditional. */
    public boolean present() {
        return etag != null || lastModified != null;
    }
}
