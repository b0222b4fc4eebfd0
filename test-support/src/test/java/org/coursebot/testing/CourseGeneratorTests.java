package org.coursebot.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IntSummaryStatistics;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.coursebot.testing.CourseGenerator.Course;
import org.coursebot.testing.CourseGenerator.MutationSummary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CourseGeneratorTests {

    private static final Pattern HREF = Pattern.compile("href=\"([^\"#?]+)[^\"]*\"");
    private static final Pattern PART_AND_MODULE = Pattern.compile("/part(?<part>\\d+)/(?<module>[a-z])/");
    private static final String BASE = "http://127.0.0.1:8123/";

    @TempDir
    Path temp;

    @Test
    void writesThreeHundredPagesOfFiveToFortyKilobytesOfTextQuickly() {
        long start = System.nanoTime();
        Course course = CourseGenerator.generate(temp, 300, 42, BASE);
        long millis = (System.nanoTime() - start) / 1_000_000;

        IntSummaryStatistics kilobytes = course.pages().stream().mapToInt(p -> visibleText(read(p)).length()).summaryStatistics();
        assertThat(course.pages()).hasSize(300).doesNotHaveDuplicates();
        assertThat(course.exercisePages()).hasSize(30);
        assertThat(kilobytes.getMin()).isGreaterThanOrEqualTo(5 * 1024);
        assertThat(kilobytes.getMax()).isLessThanOrEqualTo(40 * 1024);
        assertThat(kilobytes.getAverage()).isGreaterThanOrEqualTo(10 * 1024);
        assertThat(millis).as("generation time, ms").isLessThan(5_000);
        assertThat(course.pages()).allSatisfy(p -> assertThat(PART_AND_MODULE.matcher("/" + p).find()).isTrue());
        System.out.printf("300 pages in %d ms: %d exercise pages, visible text KB mean %.1f min %.1f max %.1f%n", millis,
                course.exercisePages().size(), kilobytes.getAverage() / 1024, kilobytes.getMin() / 1024.0,
                kilobytes.getMax() / 1024.0);
    }

    @Test
    void pagesHaveTheShapeOfRealCoursePages() {
        Course course = CourseGenerator.generate(temp, 60, 3, BASE);
        String html = read(course.lessonPages().get(7));

        assertThat(html).startsWith("<!DOCTYPE html>\n<html lang=\"en\">").contains("<meta charset=\"utf-8\">", "<title>",
                "<header", "<nav class=\"part-toc\"", "<main", "<aside", "<footer", "<h1>", "<h2", "<p>",
                "<pre><code class=\"language-");
        String all = String.join("\n", course.pages().stream().map(this::read).toList());
        assertThat(all).contains("<h3", "<h4", "<a id=\"", "<section id=\"", "<ul>", "<ol>", "<table>", "<thead>",
                "<tbody>", ".png\" alt=\"", "<code>", "href=\"/part", "href=\"../");
        Matcher codeBlock = Pattern.compile("(?s)<pre><code[^>]*>(.*?)</code></pre>").matcher(all);
        while (codeBlock.find()) {
            assertThat(codeBlock.group(1).strip().split("\n").length).isBetween(10, 40);
        }
    }

    @Test
    void exercisePagesAreLinkedFromExactlyOneLessonAndFromNoIndexOrSitemap() throws IOException {
        Course course = CourseGenerator.generate(temp, 300, 42, BASE);
        String sitemap = Files.readString(temp.resolve("sitemap.xml"));
        Set<String> indexLinks = links("index.html", Files.readString(temp.resolve("index.html")));
        Map<String, Set<String>> linkedFrom = new HashMap<>();
        for (String page : course.pages()) {
            links(page, read(page)).forEach(target -> linkedFrom.computeIfAbsent(target, t -> new HashSet<>()).add(page));
        }

        assertThat(course.exercisePages()).isNotEmpty().allSatisfy(exercise -> {
            assertThat(exercise).matches("part\\d+/[a-e]/exercises-\\d+\\.html");
            assertThat(sitemap).doesNotContain(exercise);
            assertThat(indexLinks).doesNotContain(exercise);
            assertThat(linkedFrom.get(exercise)).containsExactly(course.linkedFrom(exercise));
        });
        assertThat(course.lessonPages()).allSatisfy(lesson -> assertThat(sitemap).contains("<loc>" + BASE + lesson + "</loc>"));
        assertThat(reachableFromIndex()).containsAll(course.pages());
    }

    @Test
    void sameSeedWritesByteIdenticalSites() throws IOException {
        CourseGenerator.generate(temp.resolve("one"), 120, 9, BASE);
        CourseGenerator.generate(temp.resolve("two"), 120, 9, BASE);
        CourseGenerator.generate(temp.resolve("other"), 120, 10, BASE);

        assertThat(files(temp.resolve("one"))).isEqualTo(files(temp.resolve("two")));
        assertThat(files(temp.resolve("one"))).isNotEqualTo(files(temp.resolve("other")));
    }

    @Test
    void mutationRewritesTheNamedPagesAndLeavesEveryOtherPageByteIdentical() throws IOException {
        Course course = CourseGenerator.generate(temp, 300, 42, BASE);
        Map<String, String> before = files(temp);

        MutationSummary summary = course.mutate(new Random(7), 12, 3, 4);

        Map<String, String> after = files(temp);
        assertThat(summary.edited()).hasSize(12);
        assertThat(summary.deleted()).hasSizeGreaterThanOrEqualTo(3);
        assertThat(summary.added()).hasSize(4);
        assertThat(summary.edited()).allSatisfy(p -> assertThat(after.get(p)).isNotEqualTo(before.get(p)));
        assertThat(summary.deleted()).allSatisfy(p -> {
            assertThat(after).doesNotContainKey(p);
            assertThat(after.get("sitemap.xml")).doesNotContain(p);
            assertThat(after.keySet()).filteredOn(f -> f.endsWith(".html"))
                    .allSatisfy(f -> assertThat(links(f, after.get(f))).doesNotContain(p));
        });
        assertThat(summary.added()).allSatisfy(p -> {
            assertThat(before).doesNotContainKey(p);
            assertThat(after).containsKey(p);
            assertThat(after.get("sitemap.xml")).contains(p);
            assertThat(after.get("index.html")).contains("href=\"" + p + "\"");
        });
        assertThat(summary.relinked()).allSatisfy(p -> assertThat(after.get(p)).isNotEqualTo(before.get(p)));
        Set<String> untouched = new HashSet<>(course.pages());
        summary.changed().forEach(untouched::remove);
        assertThat(untouched).hasSizeGreaterThan(200)
                .allSatisfy(p -> assertThat(after.get(p)).as(p).isEqualTo(before.get(p)));
        assertThat(reachableFromIndex()).containsAll(course.pages());
    }

    @Test
    void roundsAppliedOneByOneEndWhereRoundsAppliedAtOnceEnd() throws IOException {
        Path stepwise = temp.resolve("stepwise");
        Path direct = temp.resolve("direct");
        CourseGenerator.generate(stepwise, 150, 5, BASE);
        CourseGenerator.generate(direct, 150, 5, BASE);

        MutationSummary first = CourseGenerator.mutateToRound(stepwise, 150, 5, BASE, 77, 1, 6, 2, 2);
        MutationSummary second = CourseGenerator.mutateToRound(stepwise, 150, 5, BASE, 77, 2, 6, 2, 2);
        CourseGenerator.mutateToRound(direct, 150, 5, BASE, 77, 2, 6, 2, 2);

        assertThat(files(stepwise)).isEqualTo(files(direct));
        assertThat(first.edited()).hasSize(6);
        assertThat(second.edited()).hasSize(6).isNotEqualTo(first.edited());
    }

    @Test
    void serverSendsAnEtagAndAnswers304ToIfNoneMatch() throws Exception {
        Course course = CourseGenerator.generate(temp, 30, 1, BASE);
        String page = course.lessonPages().get(3);
        try (CourseSiteServer site = CourseSiteServer.start(temp)) {
            HttpResponse<String> first = get(site.baseUrl() + page, Map.of());
            String etag = first.headers().firstValue("ETag").orElseThrow();
            HttpResponse<String> again = get(site.baseUrl() + page, Map.of("If-None-Match", etag));
            HttpResponse<String> index = get(site.baseUrl(), Map.of());

            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(first.body()).isEqualTo(read(page));
            assertThat(first.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
            assertThat(first.headers().firstValue("Last-Modified")).isPresent();
            assertThat(etag).matches("\"[0-9a-f]{32}\"");
            assertThat(again.statusCode()).isEqualTo(304);
            assertThat(again.body()).isEmpty();
            assertThat(index.statusCode()).isEqualTo(200);
            assertThat(index.body()).contains(page);
            assertThat(site.requests()).isEqualTo(3);
            assertThat(site.notModified()).isEqualTo(1);
            assertThat(site.requested(page)).isEqualTo(2);
            assertThat(site.requested("/" + page)).isEqualTo(2);

            Files.writeString(temp.resolve(page), read(page).replace("<h1>", "<h1>Changed "));
            assertThat(get(site.baseUrl() + page, Map.of("If-None-Match", etag)).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void serverAnswers404ToMissingPagesAndToPathsEscapingTheRoot() throws Exception {
        Path site = temp.resolve("site");
        CourseGenerator.generate(site, 20, 1, BASE);
        Files.writeString(temp.resolve("secret.txt"), "outside the site");
        try (CourseSiteServer server = CourseSiteServer.start(site)) {
            assertThat(get(server.baseUrl() + "part9/z/missing.html", Map.of()).statusCode()).isEqualTo(404);
            assertThat(get(server.baseUrl() + "robots.txt", Map.of()).statusCode()).isEqualTo(404);
            assertThat(get(server.baseUrl() + "../etc/passwd", Map.of()).statusCode()).isEqualTo(404);
            assertThat(get(server.baseUrl() + "../secret.txt", Map.of()).statusCode()).isEqualTo(404);
            assertThat(get(server.baseUrl() + "%2e%2e/secret.txt", Map.of()).statusCode()).isEqualTo(404);
            assertThat(get(server.baseUrl() + "part1", Map.of()).statusCode()).isEqualTo(404);
            HttpResponse<String> sitemap = get(server.baseUrl() + "sitemap.xml", Map.of());
            assertThat(sitemap.statusCode()).isEqualTo(200);
            assertThat(sitemap.headers().firstValue("Content-Type")).hasValue("application/xml");
        }
    }

    @Test
    void serverDelaysResponsesByAtLeastTheMinimumLatencyAndFailsOnRequest() throws Exception {
        CourseGenerator.generate(temp, 20, 1, BASE);
        try (CourseSiteServer site = CourseSiteServer.start(temp)) {
            site.latency(Duration.ofMillis(250), Duration.ofMillis(300), 1);
            long start = System.nanoTime();
            assertThat(get(site.baseUrl(), Map.of()).statusCode()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(250));

            site.latency(Duration.ZERO, Duration.ZERO, 1).failNext(2, 503);
            assertThat(get(site.baseUrl(), Map.of()).statusCode()).isEqualTo(503);
            assertThat(get(site.baseUrl() + "sitemap.xml", Map.of()).statusCode()).isEqualTo(200);
            assertThat(get(site.baseUrl(), Map.of()).statusCode()).isEqualTo(503);
            assertThat(get(site.baseUrl(), Map.of()).statusCode()).isEqualTo(200);
        }
    }

    /** Every page a crawler reaches from the home page by following links, as paths relative to the root. */
    private Set<String> reachableFromIndex() throws IOException {
        Set<String> seen = new HashSet<>(Set.of("index.html"));
        Deque<String> queue = new ArrayDeque<>(seen);
        while (!queue.isEmpty()) {
            String page = queue.poll();
            Path file = temp.resolve(page);
            if (!Files.isRegularFile(file)) {
                continue;
            }
            for (String target : links(page, Files.readString(file))) {
                if (target.endsWith(".html") && seen.add(target)) {
                    queue.add(target);
                }
            }
        }
        return seen;
    }

    /** The site-relative paths a page links to (fragments and queries dropped; mailto and the like skipped). */
    private static Set<String> links(String page, String html) {
        Set<String> links = new HashSet<>();
        URI base = URI.create("http://site/" + page);
        Matcher href = HREF.matcher(html);
        while (href.find()) {
            URI target = base.resolve(href.group(1));
            if ("site".equals(target.getHost())) {
                links.add(target.getPath().substring(1));
            }
        }
        return links;
    }

    /** Text a reader sees: tags dropped, whitespace collapsed (jsoup is not on this module's classpath). */
    private static String visibleText(String html) {
        return html.replaceAll("(?s)<[^>]*>", " ").replaceAll("\\s+", " ").strip();
    }

    private String read(String page) {
        try {
            return Files.readString(temp.resolve(page));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> files(Path root) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path file : paths.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(file).toString().replace('\\', '/'), Files.readString(file, StandardCharsets.UTF_8));
            }
        }
        return files;
    }

    private static HttpResponse<String> get(String url, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        headers.forEach(request::header);
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
