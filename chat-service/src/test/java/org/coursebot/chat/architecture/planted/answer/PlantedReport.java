package org.coursebot.chat.architecture.planted.answer;

import org.coursebot.chat.architecture.planted.log.PlantedLogRepository;

/** Planted (PlantedViolationsTests): the answer feature reaches into the log feature's repository. */
public class PlantedReport {

    private PlantedLogRepository logRows;
}
