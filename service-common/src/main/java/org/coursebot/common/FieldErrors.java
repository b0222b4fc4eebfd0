package org.coursebot.common;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What is wrong with one request, field by field: each check names its field, and {@link #throwIfAny()} fails the
 * request as one {@code 400 invalid-request} problem whose {@code fields} maps every bad field to its message.
 * Plain checks rather than Bean Validation: Hibernate Validator loads ~700 classes, about 6 MB of chat-service's
 * 128 MB budget, for a handful of range checks.
 */
public final class FieldErrors {

    private final Map<String, String> fields = new TreeMap<>();

    /** Records {@code message} for {@code field} unless {@code valid}; the first message per field wins. */
    public FieldErrors require(boolean valid, String field, String message) {
        if (!valid) {
            fields.putIfAbsent(field, message);
        }
        return this;
    }

    /** A query parameter as an int within [min, max]; absent means {@code fallback}; records an error otherwise. */
    public int intParam(String value, int fallback, int min, int max, String field) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        String message = "must be between " + min + " and " + max;
        try {
            int parsed = Integer.parseInt(value.strip());
            require(parsed >= min && parsed <= max, field, message);
            return parsed;
        } catch (NumberFormatException e) {
            require(false, field, message);
            return fallback;
        }
    }

    /** A query parameter as a number within [0, 1]; absent means null; records an error otherwise. */
    public Double fractionParam(String value, String field) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            double parsed = Double.parseDouble(value.strip());
            require(fraction(parsed), field, "must be between 0 and 1");
            return parsed;
        } catch (NumberFormatException e) {
            require(false, field, "must be between 0 and 1");
            return null;
        }
    }

    /** True for a number within [0, 1] (false for NaN). */
    public static boolean fraction(double value) {
        return value >= 0 && value <= 1;
    }

    /** Throws the problem naming every recorded field, if any. */
    public void throwIfAny() {
        if (fields.isEmpty()) {
            return;
        }
        String detail = fields.entrySet().stream().map(f -> f.getKey() + ": " + f.getValue())
                .collect(Collectors.joining("; "));
        throw new ProblemException(Problem.of("invalid-request", "Invalid request", 400, detail, Map.of("fields", fields)));
    }
}
