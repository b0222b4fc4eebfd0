package org.coursebot.chat.space;

import java.util.Optional;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.coursebot.model.StoredSpace;

/**
 * Whether questions can be searched in a space of this database other than the active one, without trying: it is
 * known, not retired, has vectors, and chat-service can embed into it. For a feature that searches a space by its id
 * (the comparison of two spaces).
 */
@ApplicationScoped
public class SearchableSpaces {

    /** The space (null when unknown) and, when it cannot be searched, why. */
    public record Searchable(StoredSpace space, Optional<String> problem) {
    }

    private final SpaceRepository spaces;
    private final SpaceEmbedders embedders;

    public SearchableSpaces(SpaceRepository spaces, SpaceEmbedders embedders) {
        this.spaces = spaces;
        this.embedders = embedders;
    }

    public Uni<Searchable> check(int id) {
        return spaces.byId(id).chain(found -> {
            if (found.isEmpty()) {
                return Uni.createFrom().item(new Searchable(null, Optional.of("no embedding space " + id)));
            }
            StoredSpace space = found.get();
            if (StoredSpace.RETIRED.equals(space.status())) {
                return Uni.createFrom().item(new Searchable(space, Optional.of("embedding space " + id + " is retired")));
            }
            Optional<String> cannot = embedders.cannotEmbed(space)
                    .map(reason -> "chat-service cannot embed with " + space.space() + ": " + reason);
            return spaces.hasVectors(space).map(filled -> new Searchable(space, filled ? cannot
                    : Optional.of("embedding space " + id + " has no vectors yet: build it first")));
        });
    }
}
