package org.coursebot.system.answers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.coursebot.system.Repository;
import org.coursebot.system.ResultTable;

/**
 * deploy/bench/space-switch.sh: {@link SpaceSwitch} with more students and longer phases; prints requests, failures,
 * p50/p99 and the spaces answers reported per phase, and the switch's own timings. Args: STUDENTS PHASE_SECONDS.
 */
public final class SpaceSwitchBenchmark {

    private SpaceSwitchBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int students = args.length > 0 ? Integer.parseInt(args[0]) : 16;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        if (students < 2 || seconds < 3) {
            throw new IllegalArgumentException("STUDENTS >= 2, PHASE_SECONDS >= 3");
        }
        try (SpaceSwitch system = SpaceSwitch.start(Repository.root(), "space-switch-bench")) {
            SpaceSwitch.Outcome o = system.run(students / 2, students - students / 2, Duration.ofMillis(10),
                    Duration.ofSeconds(Math.min(10, seconds)), Duration.ofSeconds(seconds));
            List<String> mixed = system.searchesNotFromTheirSpace(o);
            ResultTable.publish(Repository.root(), "Embedding space switch under load (" + students + " students, "
                    + seconds + " s phases)", "space-switch-table.md", List.of("phase", "requests", "failed",
                    "p50 ms", "p99 ms", "spaces answered"), rows(o));
            System.out.printf("build of space 2: %d chunks, %d requests, %.1f s; comparison: %s; searches not from their"
                    + " space: %d%n", o.build().at("/counts/chunksEmbedded").asInt(),
                    o.build().at("/counts/embeddingRequests").asInt(), (o.buildEnded() - o.buildStarted()) / 1e9,
                    o.comparison().get("totals"), mixed.size());
            System.out.printf("chat-service VmHWM %.0f MB%n", system.chat.peakRssMb());
        }
    }

    static String table(SpaceSwitch.Outcome o) {
        StringBuilder out = new StringBuilder("| phase | requests | failed | p50 ms | p99 ms | spaces answered |\n");
        rows(o).forEach(r -> out.append(r).append('\n'));
        return out.toString();
    }

    static List<String> rows(SpaceSwitch.Outcome o) {
        long settle = SpaceSwitch.POLL.plusSeconds(1).toNanos();
        List<String> rows = new ArrayList<>();
        rows.add(row("before (space 1)", o.sent(o.measured(), o.buildStarted())));
        rows.add(row("building space 2, comparing", o.sent(o.buildStarted(), o.activated())));
        rows.add(row("switch to space 2 (first " + (settle / 1_000_000_000) + " s)", o.sent(o.activated(), o.activated() + settle)));
        rows.add(row("on space 2", o.sent(o.activated() + settle, o.rolledBack())));
        rows.add(row("rollback to space 1 (first " + (settle / 1_000_000_000) + " s)", o.sent(o.rolledBack(), o.rolledBack() + settle)));
        rows.add(row("after the rollback", o.sent(o.rolledBack() + settle, o.ended())));
        rows.add(row("all (after the warm-up)", o.sent(o.measured(), o.ended())));
        return rows;
    }

    private static String row(String phase, List<AnswerLoad.Sample> samples) {
        long failed = samples.stream().filter(s -> s.reply().status() != 200 || !s.reply().complete()).count();
        String spaces = samples.stream().map(SpaceSwitch::space).collect(Collectors.toCollection(TreeSet::new)).toString();
        return "| " + phase + " | " + samples.size() + " | " + failed + " | " + SpaceSwitch.percentiles(samples) + " | "
                + spaces + " |";
    }
}
