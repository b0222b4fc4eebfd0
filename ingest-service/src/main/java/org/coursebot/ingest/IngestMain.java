package org.coursebot.ingest;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

import org.coursebot.model.DatabaseUrl;

/** Checks DATABASE_URL before Quarkus starts, so a malformed one is a one-line message, not a stack trace. */
@QuarkusMain
public class IngestMain {

    public static void main(String... args) {
        String url = System.getenv("DATABASE_URL");
        if (url != null && !url.isBlank()) {
            try {
                DatabaseUrl.parse("DATABASE_URL", url);
            } catch (IllegalArgumentException e) {
                System.err.println("coursebot-ingest: " + e.getMessage());
                System.exit(2);
            }
        }
        Quarkus.run(args);
    }
}
