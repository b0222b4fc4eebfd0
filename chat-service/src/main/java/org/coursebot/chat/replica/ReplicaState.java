package org.coursebot.chat.replica;

import java.util.Locale;

/**
 * What the search database says of its replication, read through chat-service's read-only role. On a primary only
 * {@code standby} is false; the rest is null.
 *
 * @param standby             the database is a hot standby, in recovery ({@code pg_is_in_recovery()})
 * @param receiving           a WAL receiver runs: the standby is connected to its primary. The read-only role sees that
 *                            row of {@code pg_stat_wal_receiver}, not its details
 * @param bytesToReplay       WAL received but not replayed yet: changes that are on this machine and not yet visible
 * @param replayPaused        replay was paused ({@code pg_wal_replay_pause()}): nothing new becomes visible
 * @param lastReplayedCommitAgeMillis how long ago the primary committed the newest transaction replayed here; null
 *                            before the first replay since the standby started. It is the lag while the primary writes,
 *                            and it grows on an idle primary although nothing is missing
 */
public record ReplicaState(boolean standby, Boolean receiving, Long bytesToReplay, Boolean replayPaused,
                           Long lastReplayedCommitAgeMillis) {

    static ReplicaState primary() {
        return new ReplicaState(false, null, null, null, null);
    }

    /** Everything received is replayed (as far as the standby knows: what the primary has not sent yet, it cannot). */
    public boolean replayedAllReceived() {
        return bytesToReplay != null && bytesToReplay == 0;
    }

    /** The lag in one sentence, saying what is known and what is not; null on a primary. */
    public String lag() {
        if (!standby) {
            return null;
        }
        String last = lastReplayedCommitAgeMillis == null ? "no transaction has been replayed since the standby started"
                : "the newest change visible here was committed " + seconds(lastReplayedCommitAgeMillis)
                        + " ago on the primary";
        if (Boolean.TRUE.equals(replayPaused)) {
            return "replay is paused: nothing new becomes visible until it resumes; " + last;
        }
        if (!Boolean.TRUE.equals(receiving)) {
            return "not connected to the primary: what it committed since is not here; " + last;
        }
        if (!replayedAllReceived()) {
            return "behind: " + bytesToReplay + " bytes received wait to be replayed; " + last;
        }
        return "caught up with what it received; " + last
                + " (on an idle primary this grows although nothing is missing)";
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
