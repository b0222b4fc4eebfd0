package org.coursebot.chat;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

import org.coursebot.chat.search.ChatDatabaseUrlConfigSource;
import org.coursebot.model.DatabaseUrl;

/** Checks the database URL before Quarkus starts, so a malformed one is a one-line message, not a stack trace. */
@QuarkusMain
public class ChatMain {

    public static void main(String... args) {
        for (String variable : ChatDatabaseUrlConfigSource.VARIABLES) {
            String url = System.getenv(variable);
            if (url != null && !url.isBlank()) {
                try {
                    DatabaseUrl.parse(variable, url);
                } catch (IllegalArgumentException e) {
                    System.err.println("coursebot-chat: " + e.getMessage());
                    System.exit(2);
                }
                break;
            }
        }
        Quarkus.run(args);
    }
}
