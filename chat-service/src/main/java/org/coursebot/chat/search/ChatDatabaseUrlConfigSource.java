package org.coursebot.chat.search;

import java.util.List;

import org.coursebot.model.DatabaseUrlConfigSource;

/** The read-only role's URL (CHAT_DATABASE_URL), else DATABASE_URL, onto the reactive pool. */
public class ChatDatabaseUrlConfigSource extends DatabaseUrlConfigSource {

    public static final List<String> VARIABLES = List.of("CHAT_DATABASE_URL", "DATABASE_URL");

    public ChatDatabaseUrlConfigSource() {
        super(VARIABLES, false);
    }
}
