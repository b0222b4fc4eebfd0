package org.coursebot.common;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What is wrong with one request, field by field: each check names its field, and {@link #throwIfAny()} fails the
 * request as one {@code 400 invalid-request} problem whose {@code fields} maps every bad field to its message.
 * Plain checks rather than Bean Validation, whose classes chat-service's memory cannot spare for a handful of range
 * checks (docs/design.md, "Constraints measured, and what they forced").
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

    /** Records an error unless {@code value} is absent or within [min, max]. */
    public FieldErrors within(Integer value, int min, int max, String field) {
        return require(value == null || (value >= min && value <= max), field, "must be between " + min + " and " + max);
    }

    /** Records an error unless {@code value} is absent or within [0, 1] (NaN is not). */
    public FieldErrors fraction(Double value, String field) {
        return require(value == null || (value >= 0 && value <= 1), field, "must be between 0 and 1");
    }

    /** A query parameter as an int within [min, max]; absent means {@code fallback}; records an error otherwise. */
    public int intParam(String value, int fallback, int min, int max, String field) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        Integer parsed;
        try {
            parsed = Integer.valueOf(value.strip());
        } catch (NumberFormatException e) {
            parsed = min - 1; // not a number: the same message as out of range
        }
        within(parsed, min, max, field);
        return parsed;
    }

    /** A query parameter as a number within [0, 1]; absent means null; records an error otherwise. */
    public Double fractionParam(String value, String field) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Double parsed;
        try {
            parsed = Double.valueOf(value.strip());
        } catch (NumberFormatException e) {
            parsed = Double.NaN; // not a number: the same message as out of range
        }
        fraction(parsed, field);
        return parsed;
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
