package org.coursebot.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An auditor's check of the privacy promise (issue 27): distinctive personal data is planted in questions through
 * every way in (POST /api/chat as JSON and as SSE, /v1/chat/completions, the earlier turns of a conversation,
 * feedback comments, GET /api/search), then everything stored is searched for it: a full pg_dump of the database
 * (every table, every column, the schema too: nothing here lists what to look at, so a column added later is
 * covered), the whole output of both services and their metrics. No planted value may be found in any form it could be stored in
 * (as written, lower-cased, digits only).
 */
class PersonalDataAuditSystemTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What is planted, by kind: each value distinctive enough that a hit can only come from the planting. */
    private static final Map<String, String> PLANTED = new LinkedHashMap<>();

    static {
        PLANTED.put("e-mail", "auditor.quillfeather+7741@example-audit.org");
        PLANTED.put("phone (Finland)", "+358 40 774 1228");
        PLANTED.put("phone (US)", "+1 (415) 774-1229");
        PLANTED.put("phone (Germany)", "030 7741 2290");
        PLANTED.put("phone (France)", "06 77 41 22 91");
        PLANTED.put("phone (Sweden)", "070-774 12 92");
        PLANTED.put("IBAN", "DE44 5001 0517 5407 7413 31");
        PLANTED.put("IBAN (compact)", "FI2177415600000785");
        PLANTED.put("credit card", "4929 7741 2293 0001");
        PLANTED.put("API key", "sk-proj-Zq7741AuditKeyPlanted9xY2");
        PLANTED.put("street address", "Quillfeatherinkatu 41 B 7");
        PLANTED.put("street address (number first)", "7741 Quillfeather Avenue");
    }

    private static RunningSystem system;
    private static int answers;
    private static int feedback;

    @BeforeAll
    static void startIngestAndPlant() throws Exception {
        system = RunningSystem.start(Map.of());
        JsonNode run = system.ingest();
        assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("succeeded");
        List<String> sentences = List.of(
                "My e-mail is %s and my phone is %s.".formatted(PLANTED.get("e-mail"), PLANTED.get("phone (Finland)")),
                "Call me at %s or %s.".formatted(PLANTED.get("phone (US)"), PLANTED.get("phone (Germany)")),
                "My numbers: %s, %s.".formatted(PLANTED.get("phone (France)"), PLANTED.get("phone (Sweden)")),
                "Refund the fee to %s (or %s).".formatted(PLANTED.get("IBAN"), PLANTED.get("IBAN (compact)")),
                "I paid with card %s.".formatted(PLANTED.get("credit card")),
                "My API key is %s.".formatted(PLANTED.get("API key")),
                "I live at %s, 00100 Helsinki, earlier at %s.".formatted(PLANTED.get("street address"),
                        PLANTED.get("street address (number first)")));
        String question = "What does express.json() actually do?";
        for (String sentence : sentences) {
            String asked = question + " " + sentence;
            // JSON, with the personal data in an earlier turn too
            JsonNode answer = system.postJson(system.chatUrl() + "/api/chat", Map.of("question", asked,
                    "history", List.of(Map.of("role", "user", "content", sentence),
                            Map.of("role", "assistant", "content", "Noted: " + sentence))));
            answers++;
            sendFeedback(answer.get("answerId").asText(), "Not helpful. " + sentence);
            // A follow-up: the earlier question, personal data and all, is searched with it (QuestionInContext)
            JsonNode followUp = system.postJson(system.chatUrl() + "/api/chat", Map.of("question", "And why is that?",
                    "history", List.of(Map.of("role", "user", "content", asked))));
            assertThat(followUp.get("followUp").asBoolean()).as("searched with the earlier question").isTrue();
            answers++;
            // SSE
            HttpResponse<String> streamed = system.http.send(HttpRequest.newBuilder(
                            URI.create(system.chatUrl() + "/api/chat")).timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json").header("Accept", "text/event-stream")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("question", sentence
                            + " " + question)))).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(streamed.statusCode()).as(streamed.body()).isEqualTo(200);
            assertThat(streamed.body()).contains("event:");
            answers++;
            // OpenAI's Chat Completions, the personal data in the system message, an earlier turn and the question
            HttpResponse<String> completion = system.post(system.chatUrl() + "/v1/chat/completions", Map.of(
                    "model", "coursebot", "messages", List.of(
                            Map.of("role", "system", "content", "The student says: " + sentence),
                            Map.of("role", "user", "content", sentence),
                            Map.of("role", "assistant", "content", "Thanks."),
                            Map.of("role", "user", "content", asked))));
            assertThat(completion.statusCode()).as(completion.body()).isEqualTo(200);
            answers++;
            // Search (not logged as a question, but it goes through the same code)
            HttpResponse<String> search = system.http.send(HttpRequest.newBuilder(URI.create(system.chatUrl()
                    + "/api/search?q=" + java.net.URLEncoder.encode(asked, StandardCharsets.UTF_8))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(search.statusCode()).as(search.body()).isEqualTo(200);
        }
        awaitLogged();
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void noPlantedValueIsFoundInADumpOfTheDatabaseOrInEitherServicesOutput() throws Exception {
        String dump = pgDump();
        Map<String, String> places = new LinkedHashMap<>();
        places.put("pg_dump of the database (%d KB)".formatted(dump.length() / 1024), dump);
        for (String service : List.of("ingest-service", "chat-service")) {
            Path log = RunningSystem.logs().resolve(service + ".log");
            String output = Files.readString(log);
            places.put("%s output (%s, %d lines)".formatted(service, log.getFileName(), output.lines().count()), output);
        }
        for (String url : List.of(system.chatUrl(), system.ingestUrl())) {
            String metrics = system.http.send(HttpRequest.newBuilder(URI.create(url + "/q/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            places.put("metrics of %s (%d lines)".formatted(url, metrics.lines().count()), metrics);
        }
        List<String> hits = new ArrayList<>();
        System.out.printf("%-30s %-45s %s%n", "planted", "searched as", "hits");
        for (Map.Entry<String, String> planted : PLANTED.entrySet()) {
            for (String form : forms(planted.getValue())) {
                int found = 0;
                for (Map.Entry<String, String> place : places.entrySet()) {
                    int n = count(place.getValue().toLowerCase(Locale.ROOT), form.toLowerCase(Locale.ROOT));
                    if (n > 0) {
                        hits.add("%s (%s) found %d times in %s".formatted(planted.getKey(), form, n, place.getKey()));
                    }
                    found += n;
                }
                System.out.printf("%-30s %-45s %d%n", planted.getKey(), form, found);
            }
        }
        System.out.println("places searched: " + String.join("; ", places.keySet()));
        System.out.printf("%d answers and %d feedback comments carried the planted values%n", answers, feedback);
        assertThat(hits).as("planted personal data found").isEmpty();
        // The search was not blind: the questions are in the dump, scrubbed, and the answers in chat-service's output.
        assertThat(dump).contains("express.json", "[email]", "[phone]", "[iban]", "[secret]", "[address]");
        assertThat(places.values().stream().skip(2).findFirst().orElseThrow()).contains("chat: ");
    }

    /**
     * The forms a value could be stored in: as written; its digits alone (7 or more: a phone, card or account
     * number kept without its separators); its distinctive words (the e-mail's local part and domain, the street).
     */
    private static List<String> forms(String value) {
        List<String> forms = new ArrayList<>(List.of(value));
        String digits = value.replaceAll("\\D", "");
        if (digits.length() >= 7 && !digits.equals(value)) {
            forms.add(digits);
        }
        if (value.contains("@")) {
            forms.addAll(List.of(value.substring(0, value.indexOf('@')), value.substring(value.indexOf('@') + 1)));
        }
        if (value.contains("Quillfeather")) {
            forms.add("quillfeather");
        }
        if (value.startsWith("sk-")) {
            forms.add(value.substring("sk-proj-".length()));
        }
        return forms;
    }

    private static int count(String haystack, String needle) {
        int n = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    private static void sendFeedback(String answerId, String comment) throws Exception {
        HttpResponse<String> response = system.post(system.chatUrl() + "/api/feedback",
                Map.of("answerId", answerId, "helpful", false, "comment", comment));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        feedback++;
    }

    /** Every answer and every feedback written by the question log (it writes in batches, off the answer path). */
    private static void awaitLogged() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String expected = answers + " " + feedback;
        while (!expected.equals(system.database.queryString(
                "SELECT (SELECT count(*) FROM question_log) || ' ' || (SELECT count(*) FROM answer_feedback)"))) {
            assertThat(System.nanoTime()).as("%d answers and %d feedback logged within 30 s", answers, feedback)
                    .isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /** A full dump (schema and data, every table) of the system's database, as plain SQL. */
    private static String pgDump() throws IOException, InterruptedException {
        Path out = Files.createTempFile("audit-dump", ".sql");
        try {
            Process dump = new ProcessBuilder("pg_dump", "--no-owner", "--file", out.toString(),
                    "--dbname", system.database.url()).redirectErrorStream(true).start();
            String messages = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(dump.waitFor(2, TimeUnit.MINUTES)).as("pg_dump finished").isTrue();
            assertThat(dump.exitValue()).as("pg_dump: %s", messages).isZero();
            return Files.readString(out);
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
