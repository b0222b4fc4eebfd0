package org.coursebot.chat.v1;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code GET /v1/models}, as OpenAI lists models. */
public record ModelList(String object, List<Model> data) {

    static ModelList of(List<Model> models) {
        return new ModelList("list", models);
    }

    /** A model: {@code coursebot} (every course) or {@code coursebot-<source>} (one course). */
    public record Model(String id, String object, long created, @JsonProperty("owned_by") String ownedBy) {

        static Model of(String id, long created) {
            return new Model(id, "model", created, "coursebot");
        }
    }
}
