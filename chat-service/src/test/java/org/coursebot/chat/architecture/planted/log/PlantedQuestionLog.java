package org.coursebot.chat.architecture.planted.log;

import io.vertx.mutiny.sqlclient.Pool;
import org.coursebot.chat.architecture.planted.answer.PlantedChatService;

/** Planted (PlantedViolationsTests): imports the answer feature back, and sends SQL without being a repository. */
public class PlantedQuestionLog {

    private Pool pool;

    public void record(PlantedChatService answered) {
        pool.preparedQuery("INSERT INTO question_log DEFAULT VALUES");
    }
}
