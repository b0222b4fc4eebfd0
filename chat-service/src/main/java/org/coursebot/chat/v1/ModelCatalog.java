package org.coursebot.chat.v1;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.coursebot.chat.v1.ModelList.Model;
import org.coursebot.chat.search.CourseSources;

/**
 * The models /v1 offers: {@code coursebot} answers from every course of the deployment, {@code coursebot-<source>}
 * from one ({@link CourseSources}). A name is checked against the courses as last read, and once more after a fresh
 * read before it is refused, so a course ingested a moment ago is found.
 */
@ApplicationScoped
public class ModelCatalog {

    static final String ALL = "coursebot";
    static final String PREFIX = "coursebot-";

    private final CourseSources sources;
    /** OpenAI's "created" is when a model was made; these are made when the service starts. */
    private final long created = Instant.now().getEpochSecond();

    public ModelCatalog(CourseSources sources) {
        this.sources = sources;
    }

    /** Every model, the courses read now (as last read if the database cannot be reached). */
    Uni<List<Model>> list() {
        return sources.refresh().onFailure().recoverWithItem(e -> sources.known()).map(this::models);
    }

    /** The model of that name, or a 404 model_not_found. */
    Uni<Model> find(String id) {
        return source(id).map(ignored -> Model.of(id, created));
    }

    /** The course a model answers from: empty for every course; a 404 model_not_found for a name not listed. */
    Uni<Optional<String>> source(String model) {
        if (ALL.equals(model)) {
            return Uni.createFrom().item(Optional.empty());
        }
        if (model == null || !model.startsWith(PREFIX) || model.length() == PREFIX.length()) {
            return Uni.createFrom().failure(new OpenAiException(OpenAiError.modelNotFound(model)));
        }
        String source = model.substring(PREFIX.length());
        return sources.exists(source).map(found -> {
            if (!found) {
                throw new OpenAiException(OpenAiError.modelNotFound(model));
            }
            return Optional.of(source);
        });
    }

    private List<Model> models(Set<String> courses) {
        List<Model> models = new ArrayList<>();
        models.add(Model.of(ALL, created));
        courses.forEach(source -> models.add(Model.of(PREFIX + source, created)));
        return models;
    }
}
