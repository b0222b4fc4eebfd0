package org.coursebot.chat.replica;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * The search database's replication in readiness: {@code standby} false on a primary; on a hot standby, how far
 * behind its primary it is. Up whatever the lag: a standby that lags still answers from the content it has, and
 * taking chat-service out of service would answer nothing at all. Down only when the state cannot be read (the
 * database is away, as the schema check then says too).
 */
@Readiness
@ApplicationScoped
public class ReplicationReadinessCheck implements AsyncHealthCheck {

    private final SearchDatabaseReplica replica;

    public ReplicationReadinessCheck(SearchDatabaseReplica replica) {
        this.replica = replica;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("replication");
        return replica.state().map(s -> details(response, s).up().build())
                .onFailure().recoverWithItem(e -> response.withData("error", String.valueOf(e.getMessage())).down()
                        .build());
    }

    private static HealthCheckResponseBuilder details(HealthCheckResponseBuilder response, ReplicaState s) {
        response.withData("standby", s.standby());
        if (!s.standby()) {
            return response;
        }
        response.withData("receivingWal", Boolean.TRUE.equals(s.receiving()))
                .withData("replayedAllReceived", s.replayedAllReceived())
                .withData("replayPaused", Boolean.TRUE.equals(s.replayPaused()))
                .withData("lag", s.lag());
        if (s.bytesToReplay() != null) {
            response.withData("bytesToReplay", s.bytesToReplay());
        }
        if (s.lastReplayedCommitAgeMillis() != null) {
            response.withData("lastReplayedCommitAgeMs", s.lastReplayedCommitAgeMillis());
        }
        return response;
    }
}
