package org.coursebot.chat.insights;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.mutiny.sqlclient.Tuple;
import org.coursebot.chat.privacy.ClientKeys;
import org.coursebot.chat.insights.LogEntry.Asked;
import org.coursebot.chat.insights.LogEntry.Feedback;
import org.coursebot.chat.privacy.QuestionScrubber;

/**
 * A batch of the queue as the parameters of {@link QuestionLogRepository}'s two statements, one array per column
 * (null: the batch has none of that kind). This is where the text is scrubbed and the client hashed, on a worker
 * thread, off the answer's path.
 */
record LogBatch(Tuple questions, int questionCount, Tuple feedback, int feedbackCount) {

    static LogBatch of(List<LogEntry> batch, ClientKeys clientKeys, ObjectMapper json) {
        List<Asked> questions = new ArrayList<>();
        List<Feedback> feedback = new ArrayList<>();
        for (LogEntry entry : batch) {
            if (entry instanceof Asked q) {
                questions.add(q);
            } else if (entry instanceof Feedback f) {
                feedback.add(f);
            }
        }
        return new LogBatch(questions.isEmpty() ? null : questionColumns(questions, clientKeys, json), questions.size(),
                feedback.isEmpty() ? null : feedbackColumns(feedback), feedback.size());
    }

    private static Tuple questionColumns(List<Asked> rows, ClientKeys clientKeys, ObjectMapper json) {
        int n = rows.size();
        UUID[] ids = new UUID[n];
        OffsetDateTime[] asked = new OffsetDateTime[n];
        String[] questions = new String[n];
        Boolean[] covered = new Boolean[n];
        String[] modes = new String[n];
        Boolean[] degraded = new Boolean[n];
        String[] coverage = new String[n];
        Double[] top = new Double[n];
        String[] cited = new String[n];
        Integer[] latency = new Integer[n];
        String[] clients = new String[n];
        String[] channels = new String[n];
        String[] sources = new String[n];
        Integer[] spaces = new Integer[n];
        String[] vectors = new String[n];
        String[] searchedFor = new String[n];
        Boolean[] followUps = new Boolean[n];
        Boolean[] exerciseRequests = new Boolean[n];
        String[] exercises = new String[n];
        for (int i = 0; i < n; i++) {
            Asked q = rows.get(i);
            ids[i] = q.answerId();
            asked[i] = utc(q.askedAt());
            questions[i] = QuestionScrubber.scrub(q.question());
            covered[i] = q.covered();
            modes[i] = q.mode().wire();
            degraded[i] = q.degraded();
            coverage[i] = text(json, q.coverage());
            top[i] = q.coverage().signals() == null ? null : q.coverage().signals().topSimilarity();
            cited[i] = text(json, q.cited());
            latency[i] = q.latencyMillis();
            clients[i] = clientKeys.of(q.asker().client(), q.askedAt());
            channels[i] = q.asker().channel();
            sources[i] = q.source();
            spaces[i] = q.spaceId();
            vectors[i] = q.vector() == null ? null : QuantizedVector.text(q.vector());
            searchedFor[i] = q.searchedFor() == null ? null : QuestionScrubber.scrub(q.searchedFor());
            followUps[i] = q.searchedFor() != null;
            exerciseRequests[i] = q.exerciseRequest();
            exercises[i] = q.exercise();
        }
        return Tuple.tuple(Arrays.asList(ids, asked, questions, covered, modes, degraded, coverage, top, cited, latency,
                clients, channels, sources, spaces, vectors, searchedFor, followUps, exerciseRequests, exercises));
    }

    private static Tuple feedbackColumns(List<Feedback> rows) {
        int n = rows.size();
        UUID[] ids = new UUID[n];
        UUID[] answers = new UUID[n];
        OffsetDateTime[] given = new OffsetDateTime[n];
        Boolean[] helpful = new Boolean[n];
        String[] comments = new String[n];
        for (int i = 0; i < n; i++) {
            Feedback f = rows.get(i);
            ids[i] = f.id();
            answers[i] = f.answerId();
            given[i] = utc(f.givenAt());
            helpful[i] = f.helpful();
            comments[i] = f.comment() == null ? null : QuestionScrubber.scrub(f.comment());
        }
        return Tuple.of(ids, answers, given, helpful, comments);
    }

    private static String text(ObjectMapper json, Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}
