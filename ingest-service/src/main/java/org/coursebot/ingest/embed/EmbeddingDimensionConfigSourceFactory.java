package org.coursebot.ingest.embed;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import org.coursebot.embedding.ProviderSelection;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Derives {@code coursebot-resolved-embedding-dimension}, {@code -model} and {@code -provider} from the embedding
 * configuration, so that Flyway's {@code embedding_dimension}, {@code embedding_model} and {@code embedding_provider}
 * placeholders (the space a database without chunks starts with) follow it (application.properties:
 * {@code ${EMBEDDING_DIMENSION:${coursebot-resolved-embedding-dimension:384}}}); an explicit EMBEDDING_DIMENSION still
 * wins. A configuration error is left for EmbeddingService to report.
 */
public class EmbeddingDimensionConfigSourceFactory implements ConfigSourceFactory {

    /** Outside the coursebot.embedding prefix, which EmbeddingConfig validates strictly. */
    static final String KEY = "coursebot-resolved-embedding-dimension";
    static final String MODEL_KEY = "coursebot-resolved-embedding-model";
    static final String PROVIDER_KEY = "coursebot-resolved-embedding-provider";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        try {
            ProviderSelection selection = ProviderSelection.resolve(
                    value(context, "coursebot.embedding.provider").orElse("auto"),
                    value(context, "coursebot.embedding.model"),
                    value(context, "coursebot.embedding.dimensions").map(d -> OptionalInt.of(Integer.parseInt(d)))
                            .orElse(OptionalInt.empty()),
                    value(context, "coursebot.embedding.api-key").or(() -> value(context, "OPENAI_API_KEY")).isPresent());
            return List.of(new PropertiesConfigSource(Map.of(KEY, String.valueOf(selection.space().dimension()),
                    MODEL_KEY, selection.space().model(),
                    PROVIDER_KEY, selection.provider().name().toLowerCase(java.util.Locale.ROOT)),
                    "coursebot-embedding-space", 100));
        } catch (IllegalArgumentException e) {
            return List.of();
        }
    }

    private static Optional<String> value(ConfigSourceContext context, String name) {
        ConfigValue value = context.getValue(name);
        return Optional.ofNullable(value == null ? null : value.getValue())
                .filter(v -> !v.isBlank() && !v.startsWith("${"));
    }
}
