package org.coursebot.embedding;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import org.coursebot.model.EmbeddingSpace;
import org.coursebot.model.StoredSpace;

/** The provider and embedding space a configuration selects; both services resolve it the same way. */
public record ProviderSelection(EmbeddingProvider provider, EmbeddingSpace space, boolean explicitDimensions) {

    public static final String DEFAULT_OPENAI_MODEL = EmbeddingSpace.OPENAI_3_SMALL.model();

    private static final Map<String, Integer> KNOWN_DIMENSIONS = Map.of(
            "text-embedding-3-small", 1536,
            "text-embedding-3-large", 3072,
            "text-embedding-ada-002", 1536,
            EmbeddingSpace.LOCAL_MINILM.model(), EmbeddingSpace.LOCAL_MINILM.dimension());

    public static ProviderSelection of(EmbeddingConfig config) {
        return resolve(config.provider(), config.model(), config.dimensions(),
                config.apiKey().filter(k -> !k.isBlank()).isPresent());
    }

    /**
     * @param provider auto, openai or local
     * @param hasApiKey whether an API key is configured (auto picks openai then)
     */
    public static ProviderSelection resolve(String provider, Optional<String> model, OptionalInt dimensions,
            boolean hasApiKey) {
        EmbeddingProvider selected = switch (provider.trim().toLowerCase(Locale.ROOT)) {
            case "auto" -> hasApiKey ? EmbeddingProvider.OPENAI : EmbeddingProvider.LOCAL;
            case "openai" -> EmbeddingProvider.OPENAI;
            case "local" -> EmbeddingProvider.LOCAL;
            default -> throw new IllegalArgumentException(
                    "coursebot.embedding.provider must be auto, openai or local, got '" + provider + "'");
        };
        if (selected == EmbeddingProvider.LOCAL) {
            return local(model, dimensions);
        }
        String name = model.filter(m -> !m.isBlank()).orElse(DEFAULT_OPENAI_MODEL);
        if (name.equals(EmbeddingSpace.LOCAL_MINILM.model())) {
            throw new IllegalArgumentException(name + " is the local model: set coursebot.embedding.provider=local");
        }
        Integer known = KNOWN_DIMENSIONS.get(name);
        if (dimensions.isEmpty() && known == null) {
            throw new IllegalArgumentException("unknown embedding model '" + name
                    + "': set coursebot.embedding.dimensions to its vector dimension");
        }
        int dimension = dimensions.orElse(known);
        boolean explicit = dimensions.isPresent() && (known == null || dimension != known);
        return new ProviderSelection(EmbeddingProvider.OPENAI, new EmbeddingSpace(name, dimension), explicit);
    }

    private static ProviderSelection local(Optional<String> model, OptionalInt dimensions) {
        EmbeddingSpace space = EmbeddingSpace.LOCAL_MINILM;
        if (model.filter(m -> !m.isBlank() && !m.equals(space.model())).isPresent()) {
            throw new IllegalArgumentException("the local provider only runs " + space.model()
                    + ", not '" + model.get() + "'");
        }
        if (dimensions.isPresent() && dimensions.getAsInt() != space.dimension()) {
            throw new IllegalArgumentException(space.model() + " has " + space.dimension() + " dimensions, not "
                    + dimensions.getAsInt());
        }
        return new ProviderSelection(EmbeddingProvider.LOCAL, space, false);
    }

    /**
     * The selection that embeds into a stored space (its provider, model and dimension), or a failure naming what
     * this process lacks to do so: an OpenAI API key, or a local model it runs.
     */
    public static ProviderSelection forSpace(StoredSpace stored, EmbeddingConfig config) {
        cannotEmbed(stored, config.apiKey().filter(k -> !k.isBlank()).isPresent()).ifPresent(reason -> {
            throw new IllegalArgumentException(reason);
        });
        EmbeddingSpace space = stored.space();
        if (stored.provider().equals("local")) {
            return new ProviderSelection(EmbeddingProvider.LOCAL, space, false);
        }
        Integer known = KNOWN_DIMENSIONS.get(space.model());
        return new ProviderSelection(EmbeddingProvider.OPENAI, space, known == null || known != space.dimension());
    }

    /** Why a process with (or without) an API key cannot embed into this space; empty when it can. */
    public static Optional<String> cannotEmbed(StoredSpace stored, boolean hasApiKey) {
        return switch (stored.provider()) {
            case "local" -> stored.space().equals(EmbeddingSpace.LOCAL_MINILM) ? Optional.empty()
                    : Optional.of("the local provider only runs " + EmbeddingSpace.LOCAL_MINILM + ", not "
                            + stored.space());
            case "openai" -> hasApiKey ? Optional.empty()
                    : Optional.of("no OpenAI API key is configured (OPENAI_API_KEY) to embed with " + stored.space());
            default -> Optional.of("unknown embedding provider '" + stored.provider() + "'");
        };
    }

    /**
     * The provider, model and dimension an operator names for a new space, checked and completed as the
     * configuration would be (a known model's dimension by default).
     */
    public static ProviderSelection named(String provider, String model, OptionalInt dimensions) {
        return resolve(provider, Optional.ofNullable(model), dimensions, true);
    }

    /** Whether requests should send {@code dimensions} (only to shorten a text-embedding-3 model's vectors). */
    public boolean sendDimensions() {
        return explicitDimensions && space.model().startsWith("text-embedding-3");
    }
}
