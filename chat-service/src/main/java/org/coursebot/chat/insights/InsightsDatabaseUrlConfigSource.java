package org.coursebot.chat.insights;

import java.util.List;

import org.coursebot.model.DatabaseUrlConfigSource;

/** The question log's role (INSIGHTS_DATABASE_URL) onto the {@code insights} datasource, as CHAT_DATABASE_URL is. */
public class InsightsDatabaseUrlConfigSource extends DatabaseUrlConfigSource {

    /** The question log's datasource. */
    public static final String DATASOURCE = "insights";

    public InsightsDatabaseUrlConfigSource() {
        super(List.of("INSIGHTS_DATABASE_URL"), DATASOURCE, false);
    }
}
