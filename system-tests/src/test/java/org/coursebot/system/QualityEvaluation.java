package org.coursebot.system;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
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
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * Answer quality of a running chat-service on a question set: hit@1, hit@5 and MRR at page and section level,
 * citation validity (cited fragments that resolve in the live page), and the coverage decision (out-of-scope
 * questions refused, answerable ones refused). Each question is asked once; the report is computed per part of
 * the set (tuning, held-out) so that what is fitted on one part is judged on the other.
 * Used by the system tests (with floors on the held-out part) and by deploy/local/eval.sh (as a program).
 */
final class QualityEvaluation {

    static final String TUNING = "tuning";
    static final String HELD_OUT = "held-out";
    static final String PERSONAL = "personal";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int K = 5;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, Document> pages = new HashMap<>();
    /** Every search hit that cites a PDF page, checked for its text on that page (issue 33). */
    final PdfCitations pdfCitations = new PdfCitations(http);
    private final String chatUrl;
    private final String courseBase;

    QualityEvaluation(String chatUrl, String courseBase) {
        this.chatUrl = chatUrl;
        this.courseBase = courseBase;
    }

    /**
     * One line of questions.jsonl; {@code expectedPage} is the page's path under the course root. {@code kind}
     * "personal": a question of the set with details about the student added (an e-mail address, a phone number, a
     * bank account, a name, a path...), which must change neither its ranking much nor whether it is answered; they
     * are reported apart ({@link #personal}), so the figures of the plain questions keep their meaning. {@code plain}:
     * the question of the set it was made from.
     */
    record Question(String question, String expectedPage, String expectedSection, boolean answerable, String split,
                    String kind, String plain) {

        boolean personal() {
            return PERSONAL.equals(kind);
        }
    }

    /**
     * What the service did with one question: whether /api/chat said it is covered, the rank (1-based, 0 = not in
     * the top K) of the expected page and section in /api/search, the urls it cited and the coverage it reported.
     */
    record Outcome(Question question, boolean covered, int pageRank, int sectionRank, List<String> citedUrls,
                   boolean citationsResolve, JsonNode coverage, List<String> ranked) {
    }

    record Report(int answerable, int outOfScope, double pageHit1, double pageHit5, double pageMrr,
                  double sectionHit1, double sectionHit5, double sectionMrr, int citedUrls, double citationValidity,
                  int outOfScopeRefused, int answerableRefused, List<String> misses) {

        /** Share of questions whose {@code covered} is right: out-of-scope refused, answerable answered. */
        double notCoveredAccuracy() {
            int total = answerable + outOfScope;
            return total == 0 ? 1 : (double) (outOfScopeRefused + answerable - answerableRefused) / total;
        }

        String format(String name) {
            return String.format(Locale.ROOT, """
                    %s: %d answerable, %d out of scope
                                   hit@1   hit@5   MRR
                    page level     %.3f   %.3f   %.3f
                    section level  %.3f   %.3f   %.3f
                    coverage: %d of %d out-of-scope refused, %d of %d answerable refused (accuracy %.1f%%)
                    citation validity: %.1f%% of %d cited urls resolve in the live page
                    """, name, answerable, outOfScope, pageHit1, pageHit5, pageMrr, sectionHit1, sectionHit5,
                    sectionMrr, outOfScopeRefused, outOfScope, answerableRefused, answerable,
                    notCoveredAccuracy() * 100, citationValidity * 100, citedUrls);
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
                    q.path("answerable").asBoolean(true), q.path("split").asText(TUNING),
                    text(q, "kind"), text(q, "plain")));
        }
        return questions;
    }

    /** Asks every question: /api/chat for the coverage decision, /api/search for ranking and its signals. */
    List<Outcome> ask(List<Question> questions) throws IOException, InterruptedException {
        List<Outcome> outcomes = new ArrayList<>();
        for (Question q : questions) {
            JsonNode chat = post("/api/chat", Map.of("question", q.question()));
            List<String> cited = new ArrayList<>();
            chat.get("citations").forEach(c -> cited.add(c.get("url").asText()));
            String encoded = URLEncoder.encode(q.question(), StandardCharsets.UTF_8);
            // Ranking is judged without the threshold, so that it measures order and not the coverage decision.
            JsonNode ranked = get("/api/search?k=" + K + "&threshold=0&q=" + encoded);
            JsonNode decided = get("/api/search?k=" + K + "&q=" + encoded);
            int pageRank = 0;
            int sectionRank = 0;
            JsonNode hits = ranked.get("hits");
            List<String> rankedSections = new ArrayList<>();
            for (int i = 0; i < hits.size(); i++) {
                JsonNode hit = hits.get(i);
                rankedSections.add(pagePath(hit.get("url").asText(), courseBase) + " | " + hit.get("title").asText());
                cited.add(hit.get("url").asText());
                if (PdfCitations.citesPdfPage(hit.get("url").asText())) {
                    pdfCitations.onItsPage(hit.get("url").asText(), hit.get("content").asText());
                }
                boolean samePage = pagePath(hit.get("url").asText(), courseBase).equals(normalise(q.expectedPage()));
                if (samePage && pageRank == 0) {
                    pageRank = i + 1;
                }
                if (samePage && sectionRank == 0 && q.expectedSection() != null
                        && hit.get("title").asText().trim().equalsIgnoreCase(q.expectedSection().trim())) {
                    sectionRank = i + 1;
                }
            }
            boolean resolve = true;
            for (String url : cited) {
                resolve &= resolves(url);
            }
            outcomes.add(new Outcome(q, chat.get("covered").asBoolean(), pageRank, sectionRank, cited, resolve,
                    decided.get("coverage"), rankedSections));
        }
        return outcomes;
    }

    /**
     * One line of conversations.jsonl (issue 29): a question asked after {@code history} (user and assistant turns, as
     * the chat page sends them). {@code kind}: "follow-up" (makes sense only with the history), "topic-switch" (a new
     * question that stands alone), "out-of-scope-follow-up" (leans on the history, asks what the course does not say).
     */
    record Conversation(List<Map<String, String>> history, String question, String kind, String expectedPage,
                        String expectedSection, boolean answerable, String split) {
    }

    static final List<String> CONVERSATION_KINDS = List.of("follow-up", "topic-switch", "out-of-scope-follow-up");

    /** Whether the answer said it is covered, and whether one of its citations is on the expected page. */
    record ConversationOutcome(Conversation conversation, boolean covered, boolean citesPage, List<String> cited) {

        /** Right: an answerable question answered citing its page; an out-of-scope one refused. */
        boolean right() {
            return conversation.answerable() ? covered && citesPage : !covered;
        }
    }

    static List<Conversation> loadConversations(Path jsonl) throws IOException {
        List<Conversation> conversations = new ArrayList<>();
        for (String line : Files.readAllLines(jsonl)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode c = JSON.readTree(line);
            List<Map<String, String>> history = new ArrayList<>();
            c.get("history").forEach(t -> history.add(Map.of("role", t.get("role").asText(), "content",
                    t.get("content").asText())));
            conversations.add(new Conversation(history, c.get("question").asText(), c.get("kind").asText(),
                    text(c, "expectedPage"), text(c, "expectedSection"), c.path("answerable").asBoolean(true),
                    c.path("split").asText(TUNING)));
        }
        return conversations;
    }

    /** Asks each conversation's last question with its history through /api/chat, as the chat page does. */
    List<ConversationOutcome> converse(List<Conversation> conversations) throws IOException, InterruptedException {
        List<ConversationOutcome> outcomes = new ArrayList<>();
        for (Conversation c : conversations) {
            JsonNode chat = post("/api/chat", Map.of("question", c.question(), "history", c.history()));
            boolean citesPage = false;
            List<String> cited = new ArrayList<>();
            for (JsonNode citation : chat.get("citations")) {
                cited.add(pagePath(citation.get("url").asText(), courseBase) + " | " + citation.path("title").asText());
                citesPage |= c.expectedPage() != null
                        && pagePath(citation.get("url").asText(), courseBase).equals(normalise(c.expectedPage()));
            }
            outcomes.add(new ConversationOutcome(c, chat.get("covered").asBoolean(), citesPage, cited));
        }
        return outcomes;
    }

    /** One line per conversation, for analysis: its last question, kind, part, outcome and citations. */
    static void writeConversationDetails(List<ConversationOutcome> outcomes, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        StringBuilder lines = new StringBuilder();
        for (ConversationOutcome o : outcomes) {
            ObjectNode line = JSON.createObjectNode();
            line.put("question", o.conversation().question());
            line.put("kind", o.conversation().kind());
            line.put("split", o.conversation().split());
            line.put("right", o.right());
            line.put("covered", o.covered());
            line.put("expected", o.conversation().expectedPage() + " | " + o.conversation().expectedSection());
            line.set("cited", JSON.valueToTree(o.cited()));
            lines.append(JSON.writeValueAsString(line)).append('\n');
        }
        Files.writeString(file, lines);
    }

    /** How many conversations of each kind of the set's held-out part are right ({@link ConversationOutcome#right}). */
    Map<String, Long> rightHeldOut(Path conversations) throws IOException, InterruptedException {
        List<ConversationOutcome> outcomes = converse(loadConversations(conversations));
        Map<String, Long> right = new HashMap<>();
        for (String kind : CONVERSATION_KINDS) {
            right.put(kind, right(outcomes, kind, HELD_OUT));
        }
        System.out.println("held-out conversations right: " + right);
        return right;
    }

    /** "right/all" of the outcomes of one kind in one part of the set. */
    static String rightOf(List<ConversationOutcome> outcomes, String kind, String split) {
        return right(outcomes, kind, split) + "/" + ofKind(outcomes, kind, split).size();
    }

    /** How many outcomes of one kind in one part of the set are right ({@link ConversationOutcome#right}). */
    static long right(List<ConversationOutcome> outcomes, String kind, String split) {
        return ofKind(outcomes, kind, split).stream().filter(ConversationOutcome::right).count();
    }

    static List<ConversationOutcome> ofKind(List<ConversationOutcome> outcomes, String kind, String split) {
        return outcomes.stream()
                .filter(o -> o.conversation().kind().equals(kind) && o.conversation().split().equals(split)).toList();
    }

    /** The report over the outcomes whose question passes {@code part}. */
    Report report(List<Outcome> outcomes, Predicate<Question> part) throws IOException, InterruptedException {
        double p1 = 0, p5 = 0, pm = 0, s1 = 0, s5 = 0, sm = 0;
        int answerable = 0, outOfScope = 0, outOfScopeRefused = 0, answerableRefused = 0;
        Set<String> cited = new LinkedHashSet<>();
        List<String> misses = new ArrayList<>();
        for (Outcome o : outcomes) {
            Question q = o.question();
            if (!part.test(q)) {
                continue;
            }
            cited.addAll(o.citedUrls());
            if (!q.answerable()) {
                outOfScope++;
                outOfScopeRefused += o.covered() ? 0 : 1;
                continue;
            }
            answerable++;
            answerableRefused += o.covered() ? 0 : 1;
            int page = o.pageRank();
            int section = o.sectionRank();
            p1 += page == 1 ? 1 : 0;
            p5 += page > 0 ? 1 : 0;
            pm += page > 0 ? 1.0 / page : 0;
            s1 += section == 1 ? 1 : 0;
            s5 += section > 0 ? 1 : 0;
            sm += section > 0 ? 1.0 / section : 0;
            if (page == 0) {
                misses.add(q.question() + " (expected " + q.expectedPage() + ")");
            }
        }
        int valid = 0;
        for (String url : cited) {
            valid += resolves(url) ? 1 : 0;
        }
        int n = Math.max(1, answerable);
        return new Report(answerable, outOfScope, p1 / n, p5 / n, pm / n, s1 / n, s5 / n, sm / n, cited.size(),
                cited.isEmpty() ? 1 : (double) valid / cited.size(), outOfScopeRefused, answerableRefused, misses);
    }

    /** Whether a question is answered by a PDF (its expected page is one). */
    static boolean slides(Question q) {
        return q.expectedPage() != null && q.expectedPage().toLowerCase(Locale.ROOT).endsWith(".pdf");
    }

    /** The plain questions of one part of the set (tuning or held-out). */
    static Predicate<Question> part(String split) {
        return q -> q.split().equals(split) && !q.personal();
    }

    /**
     * The questions with personal details whose coverage decision is not that of the plain question they were made
     * from (issue 27: what a student says about themselves must not change whether the course answers), one line each.
     */
    static List<String> personalDecisionsChanged(List<Outcome> outcomes) {
        Map<String, Boolean> plain = new HashMap<>();
        outcomes.stream().filter(o -> !o.question().personal()).forEach(o -> plain.put(o.question().question(), o.covered()));
        List<String> changed = new ArrayList<>();
        for (Outcome o : outcomes) {
            if (o.question().personal()) {
                Boolean before = plain.get(o.question().plain());
                if (before == null) {
                    throw new IllegalArgumentException("no plain question " + o.question().plain() + " in the set");
                }
                if (before != o.covered()) {
                    changed.add("covered " + before + " -> " + o.covered() + " (" + o.coverage().path("reason").asText()
                            + "): " + o.question().question());
                }
            }
        }
        return changed;
    }

    /** The questions of one part of the set with personal details added. */
    static Predicate<Question> personal(String split) {
        return q -> q.split().equals(split) && q.personal();
    }

    /**
     * True when the url has no fragment, or the fragment names the first element with that id, or an a[name]; for a
     * PDF's {@code #page=N}, when the PDF has page N.
     */
    boolean resolves(String url) throws IOException, InterruptedException {
        int hash = url.indexOf('#');
        if (hash < 0) {
            return true;
        }
        if (PdfCitations.citesPdfPage(url)) {
            return pdfCitations.pageExists(url);
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

    /**
     * p50/p99 of {@code GET /api/search?k=5} over every question, {@code rounds} times, one request at a time
     * (a warm-up round first): what one student waits for search, coverage decision included.
     */
    String searchLatency(List<Question> questions, int rounds) throws IOException, InterruptedException {
        List<Long> micros = new ArrayList<>();
        for (int round = -1; round < rounds; round++) {
            for (Question q : questions) {
                long start = System.nanoTime();
                get("/api/search?k=" + K + "&q=" + URLEncoder.encode(q.question(), StandardCharsets.UTF_8));
                if (round >= 0) {
                    micros.add((System.nanoTime() - start) / 1000);
                }
            }
        }
        micros.sort(null);
        return String.format(Locale.ROOT, "GET /api/search latency over %d requests: p50 %.1f ms, p99 %.1f ms",
                micros.size(), micros.get(micros.size() / 2) / 1000.0, micros.get((int) (micros.size() * 0.99)) / 1000.0);
    }

    /**
     * p50/p99 of {@code POST /api/chat} over every conversation's last question, {@code rounds} times, one request at a
     * time (a warm-up round first), with its history or without: what a follow-up costs (issue 29).
     */
    String chatLatency(List<Conversation> conversations, int rounds, boolean withHistory)
            throws IOException, InterruptedException {
        List<Long> micros = new ArrayList<>();
        for (int round = -1; round < rounds; round++) {
            for (Conversation c : conversations) {
                long start = System.nanoTime();
                post("/api/chat", withHistory ? Map.of("question", c.question(), "history", c.history())
                        : Map.of("question", c.question()));
                if (round >= 0) {
                    micros.add((System.nanoTime() - start) / 1000);
                }
            }
        }
        micros.sort(null);
        return String.format(Locale.ROOT, "POST /api/chat latency %s history over %d requests: p50 %.1f ms, p99 %.1f ms",
                withHistory ? "with" : "without", micros.size(), micros.get(micros.size() / 2) / 1000.0,
                micros.get((int) (micros.size() * 0.99)) / 1000.0);
    }

    /** One line per question, for analysis: the question, its part, the outcome and the coverage signals. */
    static void writeDetails(List<Outcome> outcomes, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        StringBuilder lines = new StringBuilder();
        for (Outcome o : outcomes) {
            ObjectNode line = JSON.createObjectNode();
            line.put("question", o.question().question());
            line.put("split", o.question().split());
            line.put("answerable", o.question().answerable());
            line.put("covered", o.covered());
            line.put("pageRank", o.pageRank());
            line.put("sectionRank", o.sectionRank());
            line.put("citationsResolve", o.citationsResolve());
            line.put("expected", o.question().expectedPage() + " | " + o.question().expectedSection());
            line.set("ranked", JSON.valueToTree(o.ranked()));
            line.set("coverage", o.coverage());
            lines.append(JSON.writeValueAsString(line)).append('\n');
        }
        Files.writeString(file, lines);
    }

    /**
     * {@code deploy/local/eval.sh}: {@code QualityEvaluation [--course DIR] [--questions FILE] [--chat URL]
     * [--details FILE] [--set NAME=VALUE]...}. Without {@code --chat} it starts the whole system over the course on a
     * database of its own (with the {@code --set} environment variables, to compare settings), ingests it, asks,
     * and stops it.
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (args[i].equals("--set")) {
                String[] setting = args[i + 1].split("=", 2);
                env.put(setting[0], setting.length > 1 ? setting[1] : "");
            } else {
                options.put(args[i], args[i + 1]);
            }
        }
        Path course = Path.of(options.getOrDefault("--course", Repository.root().resolve("deploy/demo-course").toString()))
                .toAbsolutePath();
        Path questions = Path.of(options.getOrDefault("--questions", course.resolve("questions.jsonl").toString()));
        String name = course.getFileName().toString();
        if (Files.exists(course.resolve("build.sh"))) { // a course built from text kept outside (deploy/shell-course)
            course = course.resolve("site");
            if (!Files.exists(course.resolve("index.html"))) {
                throw new IllegalStateException(course.getParent() + " is not built: run its build.sh first");
            }
        }
        RunningSystem system = null;
        String chat = options.get("--chat");
        try {
            if (chat == null) {
                System.out.println("starting the system over " + course + " on a database of its own");
                system = RunningSystem.start(course, env);
                JsonNode run = system.ingest();
                System.out.println("ingest: " + run.get("status").asText() + ", " + run.get("counts"));
                chat = system.chatUrl();
            }
            String base = options.getOrDefault("--course-base", chat + "/course/");
            QualityEvaluation evaluation = new QualityEvaluation(chat, base);
            List<Outcome> outcomes = evaluation.ask(load(questions));
            for (String split : List.of(TUNING, HELD_OUT)) {
                Report report = evaluation.report(outcomes, part(split));
                System.out.print(report.format(split));
                report.misses().forEach(m -> System.out.println("  page not in top " + K + ": " + m));
            }
            for (String split : List.of(TUNING, HELD_OUT)) {
                System.out.print(evaluation.report(outcomes, personal(split)).format(split + ", personal details"));
            }
            List<String> changed = personalDecisionsChanged(outcomes);
            System.out.println(changed.size() + " questions with personal details decided otherwise than their plain"
                    + " question" + (changed.isEmpty() ? "" : ":"));
            changed.forEach(c -> System.out.println("  " + c));
            System.out.print(evaluation.report(outcomes, q -> !q.personal()).format("all plain"));
            if (outcomes.stream().anyMatch(o -> slides(o.question()))) {
                // a slide question's expected section names its page ("…, p. 4"): section hit@1 is page and PDF page right
                System.out.print(evaluation.report(outcomes, q -> !q.personal() && slides(q))
                        .format("answered only by PDFs (both parts)"));
            }
            System.out.println(evaluation.pdfCitations.summary());
            int rounds = Integer.parseInt(options.getOrDefault("--latency-rounds", "0"));
            if (rounds > 0) {
                System.out.println(evaluation.searchLatency(load(questions), rounds));
                Path conversations = questions.resolveSibling("conversations.jsonl");
                if (Files.exists(conversations)) {
                    List<Conversation> talks = loadConversations(conversations);
                    for (int i = 0; i < 2; i++) { // alternated twice, so neither side gets only the warmer process
                        System.out.println(evaluation.chatLatency(talks, rounds, false));
                        System.out.println(evaluation.chatLatency(talks, rounds, true));
                    }
                }
            }
            Path details = Path.of(options.getOrDefault("--details", "target/eval/" + name + ".jsonl"));
            writeDetails(outcomes, details);
            System.out.println("per-question details: " + details.toAbsolutePath());
        } finally {
            if (system != null) {
                system.close();
            }
        }
    }
}
