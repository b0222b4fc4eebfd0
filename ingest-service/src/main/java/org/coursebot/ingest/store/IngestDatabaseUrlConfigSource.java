package org.coursebot.ingest.store;

import java.util.List;

import org.coursebot.model.DatabaseUrlConfigSource;

/** DATABASE_URL onto the reactive pool and, for Flyway, JDBC. */
public class IngestDatabaseUrlConfigSource extends DatabaseUrlConfigSource {

    public IngestDatabaseUrlConfigSource() {
        super(List.of("DATABASE_URL"), true);
    }
}
