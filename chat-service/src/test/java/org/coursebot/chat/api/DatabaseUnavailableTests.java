package org.coursebot.chat.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;

import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import org.coursebot.common.ProblemMappers;
import org.junit.jupiter.api.Test;

/** Which failures are the database being away for a while (503 with Retry-After), and which are faults (500). */
class DatabaseUnavailableTests {

    @Test
    void aConnectionClosedRefusedOrResetIsTheDatabaseAway() {
        assertThat(ProblemMappers.meansDatabaseUnavailable(new ConnectException("Connection refused"))).isTrue();
        assertThat(ProblemMappers.meansDatabaseUnavailable(ClosedConnectionException.INSTANCE)).isTrue();
        // What PostgreSQL restarting under load gave a query being written (JDK 17 NIO), once a 500 (issue 27's CI)
        assertThat(ProblemMappers.meansDatabaseUnavailable(new IOException("Connection reset by peer"))).isTrue();
        assertThat(ProblemMappers.meansDatabaseUnavailable(new IOException("Broken pipe"))).isTrue();
        assertThat(ProblemMappers.meansDatabaseUnavailable(new PgException("the database system is starting up", "FATAL",
                "57P03", null))).isTrue();
    }

    @Test
    void aHotStandbyCancellingAStatementForItsReplayIsTheDatabaseAwayForAMoment() {
        assertThat(ProblemMappers.meansDatabaseUnavailable(new PgException(
                "canceling statement due to conflict with recovery", "ERROR", "40001", null))).isTrue();
    }

    @Test
    void otherFailuresAreFaults() {
        assertThat(ProblemMappers.meansDatabaseUnavailable(new IOException("No space left on device"))).isFalse();
        assertThat(ProblemMappers.meansDatabaseUnavailable(new PgException("syntax error", "ERROR", "42601", null))).isFalse();
        assertThat(ProblemMappers.meansDatabaseUnavailable(new IllegalStateException("Connection reset by peer"))).isFalse();
    }
}
