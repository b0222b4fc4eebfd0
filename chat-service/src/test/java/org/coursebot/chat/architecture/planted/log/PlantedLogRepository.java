package org.coursebot.chat.architecture.planted.log;

/** Planted (PlantedViolationsTests): what a resource must not hold. */
public class PlantedLogRepository {
}
