package org.coursebot.embedding;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.coursebot.model.EmbeddingSpace;

/**
 * Compares the configured embedding space with what the database holds: the models recorded in
 * {@code course_content.embedding_model} and the dimension of the {@code embedding} column. Vectors of
 * two spaces never compare, so a mismatch must stop the service from searching or writing.
 */
public final class EmbeddingSpaceCheck {

    /** One round trip: up to two distinct recorded spaces, and the vector column's declared type. */
    public static final String QUERY = """
            SELECT (SELECT string_agg(m, ',') FROM (SELECT DISTINCT embedding_model AS m
                                                     FROM course_content LIMIT 2) AS d) AS models,
                   (SELECT format_type(a.atttypid, a.atttypmod)
                      FROM pg_attribute a
                     WHERE a.attrelid = 'course_content'::regclass AND a.attname = 'embedding') AS column_type
            """;

    private static final Pattern VECTOR_TYPE = Pattern.compile("vector\\((\\d+)\\)");

    private EmbeddingSpaceCheck() {
    }

    /** Empty when the database fits the configured space, else a message naming both. */
    public static Optional<String> mismatch(EmbeddingSpace configured, String storedModels, String columnType) {
        Matcher m = columnType == null ? null : VECTOR_TYPE.matcher(columnType);
        if (m == null || !m.matches()) {
            return Optional.of("course_content.embedding has type " + columnType + ", expected vector("
                    + configured.dimension() + ") for " + configured);
        }
        int columnDimension = Integer.parseInt(m.group(1));
        List<String> stored = storedModels == null || storedModels.isBlank() ? List.of()
                : List.of(storedModels.split(","));
        boolean sameModel = stored.isEmpty() || stored.equals(List.of(configured.toString()));
        if (columnDimension == configured.dimension() && sameModel) {
            return Optional.empty();
        }
        String holds = stored.isEmpty() ? "an empty table with vector(" + columnDimension + ")"
                : String.join(" and ", stored) + " in vector(" + columnDimension + ")";
        return Optional.of("this service embeds with " + configured + " but the database holds " + holds
                + ": re-ingest with the configured model (and matching EMBEDDING_DIMENSION) or configure "
                + (stored.isEmpty() ? "a model of that dimension" : stored.get(0)));
    }
}
