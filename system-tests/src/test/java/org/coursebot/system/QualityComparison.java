package org.coursebot.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Every course side by side, under each setting compared: {@code deploy/local/eval.sh} without {@code --course}.
 * A course is a folder of deploy/ with a questions.jsonl; its pages are the folder itself, or its {@code site/} when
 * it is built by a script (deploy/shell-course, whose text is not in the repository: skipped with the reason when
 * not built). For each course the system is started and the course ingested once; a variant that sets only search
 * settings ({@code COURSEBOT_SEARCH_*}) restarts chat-service alone, any other one gets a system and an ingest of its
 * own. The report is one table per course (a row per variant, tuning and held-out apart) and, per variant, the
 * change of each course's held-out MRR against the first variant: a setting is kept only if no course's held-out
 * MRR drops by more than {@link #MRR_TOLERANCE} (issue 28: chosen on no course alone).
 */
final class QualityComparison {

    static final double MRR_TOLERANCE = 0.01;

    record Course(String name, Path pages, Path questions) {

        /** The course's multi-turn set (issue 29), beside its questions, if it has one. */
        Path conversations() {
            return questions.resolveSibling("conversations.jsonl");
        }
    }


    /** A named set of environment variables for both services; "baseline" is the defaults. */
    record Variant(String name, Map<String, String> env) {

        boolean searchOnly() {
            return env.keySet().stream().allMatch(k -> k.startsWith("COURSEBOT_SEARCH_"));
        }

        /** {@code NAME:VAR=VALUE,VAR=VALUE} (no variables: the defaults). */
        static Variant parse(String spec) {
            String[] nameAndEnv = spec.split(":", 2);
            Map<String, String> env = new LinkedHashMap<>();
            if (nameAndEnv.length > 1 && !nameAndEnv[1].isBlank()) {
                for (String setting : nameAndEnv[1].split(",")) {
                    String[] kv = setting.split("=", 2);
                    if (kv.length != 2) {
                        throw new IllegalArgumentException("a variant's setting is VAR=VALUE: " + setting);
                    }
                    env.put(kv[0].trim(), kv[1].trim());
                }
            }
            return new Variant(nameAndEnv[0], env);
        }
    }

    /**
     * The ablation (issue 28): each ranking and coverage signal switched off alone. Ranking is judged without the
     * threshold (QualityEvaluation), so the threshold and the full-text margin show in the refusals only.
     */
    static final List<String> ABLATION = List.of(
            "full-text-off:COURSEBOT_SEARCH_HYBRID=false",
            "full-text-margin-off:COURSEBOT_SEARCH_FULL_TEXT_MARGIN=0",
            "words-never-decide:COURSEBOT_SEARCH_COVERAGE_CONFIDENT_MARGIN=0",
            "missing-terms-off:COURSEBOT_SEARCH_COVERAGE_MISSING_MINIMUM=1000",
            "fewer-candidates:COURSEBOT_SEARCH_CANDIDATE_FACTOR=2",
            "rrf-k-20:COURSEBOT_SEARCH_RRF_K=20");

    /** The courses of deploy/ that have a question set, in name order; those not built are reported and left out. */
    static List<Course> courses(Path repo) throws IOException {
        List<Course> courses = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(repo.resolve("deploy"))) {
            for (Path dir : dirs.sorted().toList()) {
                Path questions = dir.resolve("questions.jsonl");
                if (!Files.exists(questions)) {
                    continue;
                }
                Path pages = Files.exists(dir.resolve("build.sh")) ? dir.resolve("site") : dir;
                if (!Files.exists(pages.resolve("index.html"))) {
                    System.out.println("skipping " + dir.getFileName() + ": not built (run " + repo.relativize(dir)
                            + "/build.sh; its README says what it needs)");
                    continue;
                }
                courses.add(new Course(dir.getFileName().toString(), pages, questions));
            }
        }
        return courses;
    }

    public static void main(String[] args) throws Exception {
        List<Variant> variants = new ArrayList<>(List.of(new Variant("baseline", Map.of())));
        Map<String, String> common = new LinkedHashMap<>();
        List<String> only = new ArrayList<>();
        Path details = Path.of("target/eval");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--ablate" -> ABLATION.forEach(v -> variants.add(Variant.parse(v)));
                case "--variant" -> variants.add(Variant.parse(args[++i]));
                case "--set" -> {
                    String[] kv = args[++i].split("=", 2);
                    common.put(kv[0], kv.length > 1 ? kv[1] : "");
                }
                case "--only" -> only.add(args[++i]);
                case "--details" -> details = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        List<Course> courses = courses(Repository.root()).stream()
                .filter(c -> only.isEmpty() || only.contains(c.name())).toList();
        Map<String, Map<String, QualityEvaluation.Report[]>> results = new LinkedHashMap<>();
        List<String> conversationRows = new ArrayList<>();
        for (Course course : courses) {
            Map<String, QualityEvaluation.Report[]> byVariant = new LinkedHashMap<>();
            List<QualityEvaluation.Question> questions = QualityEvaluation.load(course.questions());
            RunningSystem shared = null;
            try {
                for (Variant variant : variants) {
                    RunningSystem system;
                    Map<String, String> env = new LinkedHashMap<>(common);
                    if (variant.searchOnly() && shared != null) {
                        env.putAll(variant.env());
                        shared.restartChat(env);
                        system = shared;
                    } else {
                        env.putAll(variant.env());
                        system = RunningSystem.start(course.pages(), env);
                        JsonNode run = system.ingest();
                        System.out.printf("%s, %s: ingest %s %s%n", course.name(), variant.name(),
                                run.get("status").asText(), run.get("counts"));
                    }
                    try {
                        QualityEvaluation evaluation = new QualityEvaluation(system.chatUrl(), system.chatUrl() + "/course/");
                        List<QualityEvaluation.Outcome> outcomes = evaluation.ask(questions);
                        QualityEvaluation.writeDetails(outcomes, details.resolve(course.name() + "-" + variant.name() + ".jsonl"));
                        QualityEvaluation.Report[] reports = {
                                evaluation.report(outcomes, QualityEvaluation.part(QualityEvaluation.TUNING)),
                                evaluation.report(outcomes, QualityEvaluation.part(QualityEvaluation.HELD_OUT))};
                        byVariant.put(variant.name(), reports);
                        if (Files.exists(course.conversations())) {
                            var talked = evaluation.converse(QualityEvaluation.loadConversations(course.conversations()));
                            QualityEvaluation.writeConversationDetails(talked, details.resolve(course.name() + "-"
                                    + variant.name() + "-conversations.jsonl"));
                            StringBuilder line = new StringBuilder(String.format("| %s | %s |", course.name(), variant.name()));
                            for (String kind : QualityEvaluation.CONVERSATION_KINDS) {
                                for (String split : List.of(QualityEvaluation.TUNING, QualityEvaluation.HELD_OUT)) {
                                    line.append(' ').append(QualityEvaluation.rightOf(talked, kind, split)).append(" |");
                                }
                            }
                            conversationRows.add(line.toString());
                        }
                        List<String> changed = QualityEvaluation.personalDecisionsChanged(outcomes);
                        System.out.printf(Locale.ROOT, "%s, %s: held-out page hit@5 %.3f, MRR %.3f; %d questions with"
                                + " personal details decided otherwise than their plain question%n", course.name(),
                                variant.name(), reports[1].pageHit5(), reports[1].pageMrr(), changed.size());
                        changed.forEach(c -> System.out.println("  " + c));
                    } finally {
                        if (system != shared) {
                            if (shared == null && variant.env().isEmpty()) {
                                shared = system; // the baseline's system serves the search-only variants
                            } else {
                                system.close();
                            }
                        }
                    }
                }
            } finally {
                if (shared != null) {
                    shared.close();
                }
            }
            results.put(course.name(), byVariant);
        }
        System.out.print(format(results, variants));
        if (!conversationRows.isEmpty()) {
            System.out.println("""

                    conversations (conversations.jsonl): follow-ups answered citing their page, topic switches answered \
                    citing theirs, out-of-scope follow-ups refused; tuning | held-out
                    | course | variant | follow-ups | | topic switches | | out-of-scope follow-ups | |
                    |---|---|---|---|---|---|---|---|""");
            conversationRows.forEach(System.out::println);
        }
    }

    /** One table per course, then each variant's held-out MRR change per course and whether it may be kept. */
    static String format(Map<String, Map<String, QualityEvaluation.Report[]>> results, List<Variant> variants) {
        StringBuilder out = new StringBuilder();
        for (var course : results.entrySet()) {
            QualityEvaluation.Report[] any = course.getValue().values().iterator().next();
            out.append(String.format(Locale.ROOT, "%n%s (tuning: %d answerable, %d out of scope; held-out: %d, %d)%n",
                    course.getKey(), any[0].answerable(), any[0].outOfScope(), any[1].answerable(), any[1].outOfScope()));
            out.append("| variant | split | page hit@1 | page hit@5 | page MRR | section hit@1 | section hit@5 | section MRR"
                    + " | out of scope refused | answerable refused |\n|---|---|---|---|---|---|---|---|---|---|\n");
            for (var variant : course.getValue().entrySet()) {
                String[] splits = {"tuning", "held-out"};
                for (int i = 0; i < 2; i++) {
                    QualityEvaluation.Report r = variant.getValue()[i];
                    out.append(String.format(Locale.ROOT, "| %s | %s | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %d/%d | %d/%d |%n",
                            variant.getKey(), splits[i], r.pageHit1(), r.pageHit5(), r.pageMrr(), r.sectionHit1(),
                            r.sectionHit5(), r.sectionMrr(), r.outOfScopeRefused(), r.outOfScope(),
                            r.answerableRefused(), r.answerable()));
                }
            }
        }
        if (variants.size() > 1) {
            String first = variants.get(0).name();
            out.append(String.format("%nheld-out page MRR against %s, per course (kept only if none drops by more than %.2f)%n",
                    first, MRR_TOLERANCE));
            for (Variant v : variants.subList(1, variants.size())) {
                StringBuilder line = new StringBuilder("  " + v.name() + ":");
                boolean keep = true;
                for (var course : results.entrySet()) {
                    double delta = course.getValue().get(v.name())[1].pageMrr() - course.getValue().get(first)[1].pageMrr();
                    keep &= delta >= -MRR_TOLERANCE;
                    line.append(String.format(Locale.ROOT, " %s %+.3f", course.getKey(), delta));
                }
                out.append(line).append(keep ? "  -> no course loses" : "  -> a course loses").append('\n');
            }
        }
        return out.toString();
    }
}
