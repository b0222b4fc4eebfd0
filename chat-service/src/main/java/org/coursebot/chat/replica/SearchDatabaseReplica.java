package org.coursebot.chat.replica;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Whether chat-service searches a hot standby (CHAT_DATABASE_URL at a read replica), and how far behind its primary
 * it is. On a standby new content, an activated embedding space and the question log's rows (written to the primary
 * through INSIGHTS_DATABASE_URL) are seen here only once replayed: readiness says how far behind it is, and never
 * fails for it (docs/deploy.md, "A read replica for chat-service").
 */
@ApplicationScoped
public class SearchDatabaseReplica {

    private final ReplicaRepository repository;

    public SearchDatabaseReplica(ReplicaRepository repository) {
        this.repository = repository;
    }

    /** The search database's replication state, now; fails as the query does. */
    public Uni<ReplicaState> state() {
        return repository.state();
    }

    /** Says at start-up that the search database is a standby, once: an operator reads the lag from then on. */
    void announce(@Observes StartupEvent event) {
        state().subscribe().with(s -> {
            if (s.standby()) {
                Log.infof("the search database is a hot standby: content and embedding-space activations arrive with"
                        + " its replication lag (/q/health/ready, check 'replication'); now %s", s.lag());
            }
        }, e -> Log.debugf("replication state not read at start-up: %s", e.getMessage()));
    }
}
