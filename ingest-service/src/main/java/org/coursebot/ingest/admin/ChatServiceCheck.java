package org.coursebot.ingest.admin;

import java.util.Map;
import java.util.Optional;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.coursebot.common.Problem;
import org.coursebot.common.ProblemException;
import org.coursebot.common.admin.AdminConfig;
import org.coursebot.model.StoredSpace;

/**
 * Asks chat-service whether it can embed questions into a space ({@code GET /admin/spaces/{id}/embeddable}: it embeds
 * a probe text with the space's model) before the space is activated: activating a space chat-service cannot embed
 * with would leave every question searched by full text alone. Its own process decides, with its own key and models.
 */
@ApplicationScoped
public class ChatServiceCheck {

    private final SpacesConfig config;
    private final Optional<String> token;
    private final WebClient client;

    public ChatServiceCheck(SpacesConfig config, AdminConfig admin, Vertx vertx) {
        this.config = config;
        this.token = config.chatToken().or(admin::token).filter(t -> !t.isBlank());
        this.client = WebClient.create(vertx);
    }

    /** Completes when chat-service says it can; else fails with a 409 problem saying what chat-service lacks. */
    public Uni<JsonObject> confirm(StoredSpace space) {
        if (config.chatUrl().filter(u -> !u.isBlank()).isEmpty()) {
            return Uni.createFrom().failure(refused(space, "coursebot.spaces.chat-url (CHAT_SERVICE_URL) is not set, so"
                    + " ingest-service cannot ask chat-service whether it can embed questions with " + space.space()));
        }
        String base = config.chatUrl().get().strip().replaceAll("/+$", "");
        // Render's fromService property hostport is host:port on the private network, without a scheme.
        String url = (base.contains("://") ? base : "http://" + base) + "/admin/spaces/" + space.id() + "/embeddable";
        var request = client.getAbs(url).timeout(config.chatTimeout().toMillis());
        token.ifPresent(t -> request.bearerTokenAuthentication(t));
        return request.send()
                .onFailure().transform(e -> refused(space, "chat-service at " + config.chatUrl().get()
                        + " did not answer (" + e.getMessage() + ")"))
                .map(response -> {
                    if (response.statusCode() == 200) {
                        return response.bodyAsJsonObject();
                    }
                    String detail;
                    try {
                        detail = response.bodyAsJsonObject().getString("detail", response.bodyAsString());
                    } catch (RuntimeException e) {
                        detail = response.bodyAsString();
                    }
                    throw refused(space, "chat-service answered " + response.statusCode() + ": " + detail);
                });
    }

    private static ProblemException refused(StoredSpace space, String detail) {
        return new ProblemException(Problem.of("space-not-embeddable", "chat-service cannot search this space", 409,
                detail, Map.of("spaceId", space.id(), "model", space.space().toString())));
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
