package org.coursebot.common;

import java.util.Map;

/** Thrown where a request cannot be served; {@link ProblemMappers} turns it into its problem detail. */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;

    public ProblemException(Problem problem) {
        super(problem.title() + ": " + problem.detail(), null, false, false);
        this.problem = problem;
    }

    public ProblemException(String slug, String title, int status, String detail) {
        this(Problem.of(slug, title, status, detail, Map.of()));
    }

    public Problem problem() {
        return problem;
    }
}
