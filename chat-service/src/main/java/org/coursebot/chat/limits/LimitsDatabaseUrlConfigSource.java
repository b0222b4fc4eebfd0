package org.coursebot.chat.limits;

import java.util.List;

import org.coursebot.model.DatabaseUrlConfigSource;

/**
 * The role that may take from the shared buckets and budgets onto the {@code limits} datasource: LIMITS_DATABASE_URL,
 * else INSIGHTS_DATABASE_URL (the question log's role, which V9 grants the limits' functions to).
 */
public class LimitsDatabaseUrlConfigSource extends DatabaseUrlConfigSource {

    /** The limits' datasource. */
    public static final String DATASOURCE = "limits";

    public LimitsDatabaseUrlConfigSource() {
        super(List.of("LIMITS_DATABASE_URL", "INSIGHTS_DATABASE_URL"), DATASOURCE, false);
    }
}
