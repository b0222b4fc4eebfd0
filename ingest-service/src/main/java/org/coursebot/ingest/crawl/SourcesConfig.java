package org.coursebot.ingest.crawl;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;

/**
 * The course sites to ingest: {@code coursebot.sources."<name>".*}; none configured is valid (an empty system).
 * The mapping's prefix is {@code coursebot.sources}, not {@code coursebot}: a root claims every key under its
 * prefix and rejects unknown ones, which would reject other features' {@code coursebot.*} keys.
 */
@ConfigMapping(prefix = "coursebot.sources")
public interface SourcesConfig {

    /** The configured sources by name; empty when none is configured. */
    @WithParentName
    Map<String, Source> sources();

    /** One course site, crawled over HTTP or read from a local folder published at {@link #baseUrl()}. */
    interface Source {

        /** Where the site is published (http or https); only URLs under it are crawled or cited. */
        String baseUrl();

        /** A local folder of HTML (a static-site build) published at base-url; when set, nothing is fetched. */
        Optional<String> directory();

        /** URL path regexes a page must match (any one) to be crawled; empty means all. */
        Optional<List<String>> include();

        /** URL path regexes that exclude a page from the crawl. */
        Optional<List<String>> exclude();

        /** The most pages one crawl fetches; a crawl that hits it is incomplete. */
        @WithDefault("2000")
        int maxPages();

        /** The most link hops from base-url (sitemap entries are one hop); a crawl that hits it is incomplete. */
        @WithDefault("10")
        int maxDepth();

        /** The least time between two requests to one host; robots.txt Crawl-delay raises it. */
        @WithDefault("250ms")
        Duration delay();

        /** The User-Agent header; its first word is also the robots.txt agent name. */
        @WithDefault("CoursebotCrawler/1.0 (+https://github.com/coursebot)")
        String userAgent();

        /** The longest one request may take, connection to last byte. */
        @WithDefault("10s")
        Duration timeout();

        /** The largest page body read, in bytes (decompressed); bigger pages fail as too large. */
        @WithDefault("5242880")
        long maxPageBytes();

        /** A regex with named groups {@code part} and {@code module} applied to a page's URL path. */
        Optional<String> partPattern();

        /** Allow hosts that resolve to loopback, private or link-local addresses (local demos and tests). */
        @WithDefault("false")
        boolean allowPrivateNetwork();

        /** A Quartz cron expression for scheduled ingests (used by the pipeline). */
        Optional<String> schedule();

        /** A CSS selector for the main content, tried after main/article/[role=main]. */
        Optional<String> mainSelector();

        /** What chat-service does with a request for an exercise's solution: guide (a tutor's answer) or open. */
        @WithDefault("guide")
        ExercisePolicy exercises();

        /**
         * A regex on heading text (case-insensitive, Unicode) that marks a section as an exercise; without it,
         * {@code ExerciseMarking.DEFAULT_HEADINGS} ("Exercise(s) …", "Assignment(s) …" and other languages' words).
         */
        Optional<String> exerciseHeadings();

        /** A jsoup CSS selector of boxes holding an exercise (e.g. {@code .challenge}); a heading inside one is one. */
        Optional<String> exerciseSelector();

        /**
         * With policy guide, a jsoup CSS selector of what in an exercise is its solution, left out of what is stored;
         * without it, {@code ExerciseMarking.DEFAULT_SOLUTIONS}. With policy open, solutions are stored.
         */
        Optional<String> exerciseSolutions();

        /** PDFs linked from the site's pages (slides, handouts): {@code coursebot.sources."<name>".pdf.*}. */
        Pdf pdf();
    }

    /** How a source's PDFs are read; scope, robots.txt, politeness and conditional GET are the pages'. */
    interface Pdf {

        /** Ingest PDFs; off, they are skipped like any other file that is not HTML. */
        @WithDefault("true")
        boolean enabled();

        /** The largest PDF fetched, in bytes; it is streamed to a temporary file, never held in memory. */
        @WithDefault("26214400")
        long maxBytes();

        /** A PDF with more pages is refused whole, with the reason in the run's page errors. */
        @WithDefault("300")
        int maxPages();
    }
}
