package org.coursebot.system;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * Answer quality of a running chat-service on a question set: hit@1, hit@5 and MRR at page and section level,
 * citation validity (cited fragments that resolve in the live page), and "not covered" accuracy.
 * Used by the system test (with floors) and by deploy/local/eval.sh (as a program).
 */
final class QualityEvaluation {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int K = 5;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, Document> pages = new HashMap<>();
    private final String chatUrl;

    QualityEvaluation(String chatUrl) {
        this.chatUrl = chatUrl;
    }

    /** One line of questions.jsonl; {@code expectedPage} is the page's path under the course root. */
    record Question(String question, String expectedPage, String expectedSection, boolean answerable) {
    }

    record Report(int answerable, int unanswerable, double pageHit1, double pageHit5, double pageMrr,
                  double sectionHit1, double sectionHit5, double sectionMrr, int citedUrls, double citationValidity,
                  double notCoveredAccuracy, List<String> misses) {

        String format() {
            return String.format(Locale.ROOT, """
                    questions: %d answerable, %d not answerable by the course
                                   hit@1   hit@5   MRR
                    page level     %.3f   %.3f   %.3f
                    section level  %.3f   %.3f   %.3f
                    citation validity: %.1f%% of %d cited urls resolve in the live page
                    not-covered accuracy: %.1f%% (covered == answerable)
                    """, answerable, unanswerable, pageHit1, pageHit5, pageMrr, sectionHit1, sectionHit5, sectionMrr,
                    citationValidity * 100, citedUrls, notCoveredAccuracy * 100);
        }
    }

    static List<Question> load(Path jsonl) throws IOException {
        List<Question> questions = new ArrayList<>();
        for (String line : Files.readAllLines(jsonl)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode q = JSON.readTree(line);
            questions.add(new Question(q.get("question").asText(), text(q, "expectedPage"), text(q, "expectedSection"),
                    q.path("answerable").asBoolean(true)));
        }
        return questions;
    }

    Report evaluate(List<Question> questions, String courseBase) throws IOException, InterruptedException {
        double p1 = 0, p5 = 0, pm = 0, s1 = 0, s5 = 0, sm = 0, agree = 0;
        int answerable = 0;
        Set<String> cited = new LinkedHashSet<>();
        List<String> misses = new ArrayList<>();
        for (Question q : questions) {
            JsonNode chat = post("/api/chat", Map.of("question", q.question()));
            chat.get("citations").forEach(c -> cited.add(c.get("url").asText()));
            if (chat.get("covered").asBoolean() == q.answerable()) {
                agree++;
            }
            if (!q.answerable()) {
                continue;
            }
            answerable++;
            JsonNode hits = get("/api/search?k=" + K + "&threshold=0&q=" + java.net.URLEncoder.encode(q.question(), StandardCharsets.UTF_8)).get("hits");
            int pageRank = 0;
            int sectionRank = 0;
            for (int i = 0; i < hits.size(); i++) {
                JsonNode hit = hits.get(i);
                cited.add(hit.get("url").asText());
                boolean samePage = pagePath(hit.get("url").asText(), courseBase).equals(normalise(q.expectedPage()));
                if (samePage && pageRank == 0) {
                    pageRank = i + 1;
                }
                if (samePage && sectionRank == 0 && q.expectedSection() != null
                        && hit.get("title").asText().trim().equalsIgnoreCase(q.expectedSection().trim())) {
                    sectionRank = i + 1;
                }
            }
            p1 += pageRank == 1 ? 1 : 0;
            p5 += pageRank > 0 ? 1 : 0;
            pm += pageRank > 0 ? 1.0 / pageRank : 0;
            s1 += sectionRank == 1 ? 1 : 0;
            s5 += sectionRank > 0 ? 1 : 0;
            sm += sectionRank > 0 ? 1.0 / sectionRank : 0;
            if (pageRank == 0) {
                misses.add(q.question() + " (expected " + q.expectedPage() + ")");
            }
        }
        int valid = 0;
        for (String url : cited) {
            valid += resolves(url) ? 1 : 0;
        }
        int n = Math.max(1, answerable);
        return new Report(answerable, questions.size() - answerable, p1 / n, p5 / n, pm / n, s1 / n, s5 / n, sm / n,
                cited.size(), cited.isEmpty() ? 1 : (double) valid / cited.size(), agree / Math.max(1, questions.size()),
                misses);
    }

    /** True when the url has no fragment, or the fragment names the first element with that id, or an a[name]. */
    boolean resolves(String url) throws IOException, InterruptedException {
        int hash = url.indexOf('#');
        if (hash < 0) {
            return true;
        }
        String page = url.substring(0, hash);
        String fragment = URLDecoder.decode(url.substring(hash + 1), StandardCharsets.UTF_8);
        Document doc = pages.get(page);
        if (doc == null) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(page)).build(), HttpResponse.BodyHandlers.ofString());
            doc = Jsoup.parse(r.statusCode() == 200 ? r.body() : "", page);
            pages.put(page, doc);
        }
        Element byId = doc.getElementById(fragment);
        return byId != null || !doc.select("a[name]").stream().filter(a -> a.attr("name").equals(fragment)).toList().isEmpty();
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(chatUrl + path)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + path + " -> " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    private JsonNode post(String path, Object body) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(chatUrl + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("POST " + path + " -> " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    static String pagePath(String url, String courseBase) {
        String page = url.contains("#") ? url.substring(0, url.indexOf('#')) : url;
        return normalise(page.startsWith(courseBase) ? page.substring(courseBase.length()) : URI.create(page).getPath());
    }

    /** "/part1/a/index.html", "part1/a" and "/part1/a/" are one page. */
    static String normalise(String path) {
        if (path == null) {
            return "";
        }
        String p = path.replaceFirst("index\\.html$", "").replaceAll("^/+", "");
        return p.isEmpty() || p.endsWith("/") || p.endsWith(".html") ? p : p + "/";
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** {@code deploy/local/eval.sh}: QualityEvaluation <chat-url> <questions.jsonl> [course-base-url]. */
    public static void main(String[] args) throws Exception {
        String chat = args[0];
        String base = args.length > 2 ? args[2] : chat + "/course/";
        Report report = new QualityEvaluation(chat).evaluate(load(Path.of(args[1])), base);
        System.out.print(report.format());
        report.misses().forEach(m -> System.out.println("  page not in top " + K + ": " + m));
    }
}
