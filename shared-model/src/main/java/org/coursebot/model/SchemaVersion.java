package org.coursebot.model;

/**
 * The schema version both services expect. Every migration ends by writing its version into the comment
 * of {@code course_chunk} (before schema 4, {@code course_content}), which any role can read from the catalog, so even the read-only chat role
 * can check it without a grant on Flyway's history table.
 */
public final class SchemaVersion {

    public static final int CURRENT = 10;

    /**
     * Returns the comment, e.g. {@code coursebot-schema:4}, or null when neither table exists. From schema 4 on, the
     * comment is on {@code course_chunk} ({@code course_content} became a view that each space activation redefines);
     * before, on {@code course_content}.
     */
    public static final String QUERY = "SELECT coalesce(obj_description(to_regclass('course_chunk'), 'pg_class'),"
            + " obj_description(to_regclass('course_content'), 'pg_class')) AS version";

    private static final String PREFIX = "coursebot-schema:";

    private SchemaVersion() {
    }

    /** The version a table comment names, or -1 when it names none. */
    public static int parse(String comment) {
        if (comment == null || !comment.startsWith(PREFIX)) {
            return -1;
        }
        try {
            return Integer.parseInt(comment.substring(PREFIX.length()).trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
