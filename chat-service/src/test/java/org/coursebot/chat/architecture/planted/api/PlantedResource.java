package org.coursebot.chat.architecture.planted.api;

import org.coursebot.chat.architecture.planted.log.PlantedLogRepository;

/**
 * Planted (PlantedViolationsTests): a resource that reaches for a repository. Known as a resource by its name: a
 * JAX-RS annotation would make it an endpoint of every test application.
 */
public class PlantedResource {

    public PlantedLogRepository repository;
}
