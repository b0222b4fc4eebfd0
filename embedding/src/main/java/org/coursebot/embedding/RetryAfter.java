package org.coursebot.embedding;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Reads {@code retry-after-ms} (OpenAI's, milliseconds) or {@code Retry-After} (seconds or an HTTP date). */
final class RetryAfter {

    private RetryAfter() {
    }

    /** Null when neither header is usable. */
    static Duration parse(String retryAfterMs, String retryAfter) {
        try {
            if (retryAfterMs != null && !retryAfterMs.isBlank()) {
                return Duration.ofMillis((long) Math.ceil(Double.parseDouble(retryAfterMs.trim())));
            }
            if (retryAfter != null && !retryAfter.isBlank()) {
                String value = retryAfter.trim();
                if (Character.isDigit(value.charAt(0))) {
                    return Duration.ofMillis((long) Math.ceil(Double.parseDouble(value) * 1000));
                }
                Duration until = Duration.between(ZonedDateTime.now(),
                        ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME));
                return until.isNegative() ? Duration.ZERO : until;
            }
        } catch (NumberFormatException | DateTimeParseException e) {
            return null;
        }
        return null;
    }
}
