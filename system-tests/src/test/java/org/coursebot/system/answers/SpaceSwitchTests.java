package org.coursebot.system.answers;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.coursebot.system.Repository;
import org.junit.jupiter.api.Test;

/**
 * An embedding model changed under load (issue 18): 8 students (4 searching, 4 asking) without pause while space 2
 * is built, compared, activated and rolled back. No request fails, every answer searched one space (the one it
 * reports, its hits that space's cosines for the question embedded with that space's model), chat-service follows
 * each activation within its poll interval, and the p99 while switching stays bounded. The figures of a longer run:
 * deploy/bench/space-switch.sh.
 */
class SpaceSwitchTests {

    @Test
    void aModelChangeAndItsRollbackUnderLoadFailNothingAndNeverMixSpaces() throws Exception {
        try (SpaceSwitch system = SpaceSwitch.start(Repository.root(), "space-switch")) {
            SpaceSwitch.Outcome o = system.run(4, 4, Duration.ofMillis(10), Duration.ofSeconds(3), Duration.ofSeconds(6));
            List<AnswerLoad.Sample> all = o.samples();
            System.out.println(SpaceSwitchBenchmark.table(o));

            assertThat(o.build().get("status").asText()).isEqualTo("succeeded");
            assertThat(o.build().at("/counts/chunksEmbedded").asInt()).isPositive();
            assertThat(o.spaces().findValuesAsText("status")).containsExactly("active", "ready");
            assertThat(o.comparison().at("/totals/questions").asInt()).isEqualTo(SampleCourse.QUESTIONS.size());
            assertThat(o.comparison().at("/totals/baseline/space/id").asInt()).isEqualTo(1);
            assertThat(o.comparison().at("/totals/candidate/space/dimension").asInt()).isEqualTo(512);

            assertThat(all).as("requests").hasSizeGreaterThan(200);
            assertThat(all.stream().filter(s -> s.reply().status() != 200 || !s.reply().complete())
                    .map(s -> s.kind() + " " + s.reply().describe()).limit(5).toList()).as("failed requests").isEmpty();
            assertThat(system.searchesNotFromTheirSpace(o)).as("answers whose hits are not from the space they report")
                    .isEmpty();

            long settle = SpaceSwitch.POLL.plusSeconds(1).toNanos();
            assertThat(spaces(o.sent(0, o.activated()))).as("before the switch").containsExactly(1);
            assertThat(spaces(o.sent(o.activated() + settle, o.rolledBack()))).as("after the switch").containsExactly(2);
            assertThat(spaces(o.sent(o.rolledBack() + settle, o.ended()))).as("after the rollback").containsExactly(1);
            assertThat(spaces(o.sent(o.activated(), o.ended()))).as("both switches seen").containsExactlyInAnyOrder(1, 2);

            long before = SpaceSwitch.p99(o.sent(o.measured(), o.buildStarted()));
            long switching = SpaceSwitch.p99(o.sent(o.activated(), o.ended()));
            assertThat(switching).as("p99 while switching (before: %d ms)", before).isLessThan(Math.max(2_000, 3 * before));
        }
    }

    private static Set<Integer> spaces(List<AnswerLoad.Sample> samples) {
        return samples.stream().map(SpaceSwitch::space).collect(Collectors.toSet());
    }
}
