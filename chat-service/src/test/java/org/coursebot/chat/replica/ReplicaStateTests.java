package org.coursebot.chat.replica;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The lag as readiness says it: what is known, and what the age of the last replayed commit does not tell. */
class ReplicaStateTests {

    @Test
    void aPrimaryHasNoLag() {
        assertThat(ReplicaState.primary().lag()).isNull();
        assertThat(ReplicaState.primary().replayedAllReceived()).isFalse();
    }

    @Test
    void aStandbyThatReplayedAllItReceivedSaysAnIdlePrimaryMakesTheAgeGrow() {
        ReplicaState s = new ReplicaState(true, true, 0L, false, 12_345L);
        assertThat(s.replayedAllReceived()).isTrue();
        assertThat(s.lag()).isEqualTo("caught up with what it received; the newest change visible here was committed"
                + " 12.3 s ago on the primary (on an idle primary this grows although nothing is missing)");
    }

    @Test
    void aStandbyBehindSaysHowManyBytesWait() {
        assertThat(new ReplicaState(true, true, 4096L, false, 2_000L).lag())
                .startsWith("behind: 4096 bytes received wait to be replayed; ").endsWith("committed 2.0 s ago on the primary");
    }

    @Test
    void aPausedReplayOrALostPrimaryComesFirst() {
        assertThat(new ReplicaState(true, true, 4096L, true, 2_000L).lag()).startsWith("replay is paused: ");
        assertThat(new ReplicaState(true, false, 0L, false, 2_000L).lag()).startsWith("not connected to the primary: ");
        assertThat(new ReplicaState(true, true, 0L, false, null).lag())
                .contains("no transaction has been replayed since the standby started");
    }
}
