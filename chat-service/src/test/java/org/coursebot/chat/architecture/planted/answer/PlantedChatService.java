package org.coursebot.chat.architecture.planted.answer;

import org.coursebot.chat.architecture.planted.log.PlantedQuestionLog;

/** A planted wrong arrow (PlantedViolationsTests): the answer feature calls the log, which calls back. */
public class PlantedChatService {

    public void answer(PlantedQuestionLog log) {
        log.record(this);
    }
}
