package org.coursebot.system;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import org.coursebot.model.DatabaseUrl;
import org.coursebot.model.SearchHit;

/**
 * Asks every question of a set through a running system's {@code GET /api/search} (the one-statement search) and
 * through {@link ThreeQuerySearch} (the search before issue 16) over the same database, and lists where they differ:
 * hit ids and their order, content and similarity; the coverage signals, {@code covered} and {@code reason}. The
 * terms' chunk counts are not compared (the old path capped them at 50; only zero or not matters to the decision),
 * only which terms and names are missing.
 */
final class SearchPathComparison {

    private static final int K = 5;
    private static final double TOLERANCE = 1e-6;

    private SearchPathComparison() {
    }

    /**
     * How many questions were compared, with how many hits and covered decisions between them (by the new path), and
     * one readable entry per question whose answers differ.
     */
    record Outcome(int compared, int hits, int covered, List<String> mismatches) {

        String summary() {
            return String.format(Locale.ROOT, "search paths compared on %d questions (%d hits, %d covered): %d differ",
                    compared, hits, covered, mismatches.size());
        }
    }

    /** What a search returned, from either path. */
    private record Found(List<SearchHit> hits, ThreeQueryCoverage.Signals signals, boolean covered, String reason,
                         boolean degraded) {
    }

    /** Compares every question of the set and fails with the list of those whose results differ. */
    static void assertSameResults(RunningSystem system, Path questionsJsonl) throws Exception {
        Outcome outcome = compare(system, questionsJsonl);
        System.out.println(outcome.summary());
        org.assertj.core.api.Assertions.assertThat(outcome.compared()).as("questions compared").isGreaterThanOrEqualTo(100);
        org.assertj.core.api.Assertions.assertThat(outcome.mismatches()).withFailMessage("%s:%n%s", outcome.summary(),
                String.join(System.lineSeparator(), outcome.mismatches())).isEmpty();
    }

    static Outcome compare(RunningSystem system, Path questionsJsonl) throws Exception {
        List<QualityEvaluation.Question> questions = QualityEvaluation.load(questionsJsonl);
        List<String> mismatches = new ArrayList<>();
        int hits = 0;
        int covered = 0;
        try (ThreeQuerySearch old = new ThreeQuerySearch(chatRoleConnection(system))) {
            for (QualityEvaluation.Question q : questions) {
                JsonNode response = system.getJson(system.chatUrl() + "/api/search?k=" + K + "&q="
                        + URLEncoder.encode(q.question(), StandardCharsets.UTF_8), Map.of());
                JsonNode searched = response.get("searched");
                ThreeQuerySearch.Result r = old.search(searched.get("text").asText(), searched.get("asked").asText(),
                        strings(searched.get("names")), K);
                Found before = new Found(r.hits(), r.signals(), r.covered(), r.reason(), false);
                Found now = fromApi(response);
                hits += now.hits().size();
                covered += now.covered() ? 1 : 0;
                List<String> differences = differences(before, now);
                if (!differences.isEmpty()) {
                    mismatches.add(describe(q.question(), differences, before, now));
                }
            }
        }
        return new Outcome(questions.size(), hits, covered, mismatches);
    }

    /** As chat-service connects (its read-only role), though the role changes nothing the searches read. */
    private static Connection chatRoleConnection(RunningSystem system) throws Exception {
        DatabaseUrl url = DatabaseUrl.parse("chat", system.database.chatUrl());
        Properties credentials = new Properties();
        credentials.setProperty("user", url.user());
        credentials.setProperty("password", url.password());
        return new org.postgresql.Driver().connect(url.jdbcUrl(), credentials);
    }

    private static Found fromApi(JsonNode response) {
        List<SearchHit> hits = new ArrayList<>();
        for (JsonNode h : response.get("hits")) {
            hits.add(new SearchHit(UUID.fromString(h.get("id").asText()), text(h, "title"), text(h, "url"),
                    text(h, "content"), text(h, "contentType"), text(h, "partId"), text(h, "moduleId"),
                    number(h, "similarity")));
        }
        JsonNode coverage = response.get("coverage");
        JsonNode s = coverage.get("signals");
        ThreeQueryCoverage.Signals signals = new ThreeQueryCoverage.Signals(number(s, "topSimilarity"),
                number(s, "margin"), strings(s.get("terms")), strings(s.get("missingTerms")),
                strings(s.get("missingNames")), s.get("textAgrees").asBoolean());
        return new Found(hits, signals, coverage.get("covered").asBoolean(), coverage.get("reason").asText(),
                response.get("degraded").asBoolean());
    }

    private static List<String> differences(Found old, Found now) {
        List<String> d = new ArrayList<>();
        if (now.degraded()) {
            d.add("the new path answered degraded (full text only)");
        }
        if (!ids(old.hits()).equals(ids(now.hits()))) {
            d.add("hit ids or their order");
        } else {
            for (int i = 0; i < old.hits().size(); i++) {
                SearchHit a = old.hits().get(i);
                SearchHit b = now.hits().get(i);
                if (!a.content().equals(b.content())) {
                    d.add("hit " + (i + 1) + " content: " + contentDifference(a.content(), b.content()));
                }
                if (!close(a.similarity(), b.similarity())) {
                    d.add("hit " + (i + 1) + " similarity: old " + a.similarity() + ", new " + b.similarity());
                }
                if (!Arrays.asList(a.title(), a.url(), a.contentType(), a.partId(), a.moduleId())
                        .equals(Arrays.asList(b.title(), b.url(), b.contentType(), b.partId(), b.moduleId()))) {
                    d.add("hit " + (i + 1) + " title, url, content type, part or module");
                }
            }
        }
        ThreeQueryCoverage.Signals a = old.signals();
        ThreeQueryCoverage.Signals b = now.signals();
        if (!close(a.topSimilarity(), b.topSimilarity())) {
            d.add("signals.topSimilarity");
        }
        if (!close(a.margin(), b.margin())) {
            d.add("signals.margin");
        }
        if (!a.terms().equals(b.terms())) {
            d.add("signals.terms");
        }
        if (!a.missingTerms().equals(b.missingTerms())) {
            d.add("signals.missingTerms");
        }
        if (!a.missingNames().equals(b.missingNames())) {
            d.add("signals.missingNames");
        }
        if (a.textAgrees() != b.textAgrees()) {
            d.add("signals.textAgrees");
        }
        if (old.covered() != now.covered()) {
            d.add("covered");
        }
        if (!old.reason().equals(now.reason())) {
            d.add("reason");
        }
        return d;
    }

    private static String describe(String question, List<String> differences, Found old, Found now) {
        return String.format(Locale.ROOT, """
                "%s"
                  differs: %s
                  old hits:  %s
                  new hits:  %s
                  old signals: %s
                  new signals: %s
                  old: %s (%s)
                  new: %s (%s)""", question, String.join("; ", differences), hits(old.hits()), hits(now.hits()),
                signals(old.signals()), signals(now.signals()), old.covered() ? "covered" : "not covered",
                old.reason(), now.covered() ? "covered" : "not covered", now.reason());
    }

    private static String hits(List<SearchHit> hits) {
        if (hits.isEmpty()) {
            return "none";
        }
        return hits.stream().map(h -> String.format(Locale.ROOT, "%s %s \"%s\"", h.id(), similarity(h.similarity()),
                h.title())).collect(Collectors.joining(" | "));
    }

    private static String signals(ThreeQueryCoverage.Signals s) {
        return String.format(Locale.ROOT, "top %s, margin %s, terms %s, missing terms %s, missing names %s, text agrees %s",
                similarity(s.topSimilarity()), similarity(s.margin()), s.terms(), s.missingTerms(), s.missingNames(),
                s.textAgrees());
    }

    private static String contentDifference(String a, String b) {
        int i = 0;
        while (i < a.length() && i < b.length() && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        return String.format(Locale.ROOT, "old %d chars, new %d, first difference at %d: old \"%s\", new \"%s\"",
                a.length(), b.length(), i, excerpt(a, i), excerpt(b, i));
    }

    private static String excerpt(String s, int at) {
        return s.substring(Math.max(0, at - 20), Math.min(s.length(), at + 40)).replace("\n", "\\n");
    }

    private static List<UUID> ids(List<SearchHit> hits) {
        return hits.stream().map(SearchHit::id).toList();
    }

    private static boolean close(Double a, Double b) {
        return a == null || b == null ? a == b : Math.abs(a - b) <= TOLERANCE;
    }

    private static String similarity(Double d) {
        return d == null ? "null" : String.format(Locale.ROOT, "%.6f", d);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Double number(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asDouble();
    }

    private static List<String> strings(JsonNode array) {
        List<String> list = new ArrayList<>();
        array.forEach(v -> list.add(v.asText()));
        return list;
    }
}
