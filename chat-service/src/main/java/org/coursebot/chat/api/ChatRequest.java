package org.coursebot.chat.api;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** {@code POST /api/chat}: only {@code question} is required. */
public record ChatRequest(
        @NotBlank(message = "must not be empty") @Size(max = 2000, message = "must be at most 2000 characters") String question,
        @Size(max = 20, message = "must have at most 20 turns") List<@Valid @NotNull Turn> history,
        @Min(value = 1, message = "must be between 1 and 20") @Max(value = 20, message = "must be between 1 and 20") Integer k,
        @DecimalMin(value = "0", message = "must be between 0 and 1") @DecimalMax(value = "1", message = "must be between 0 and 1") Double threshold) {

    /** One earlier turn. */
    public record Turn(
            @NotNull @Pattern(regexp = "user|assistant", message = "must be user or assistant") String role,
            @NotNull @Size(max = 4000, message = "must be at most 4000 characters") String content) {
    }
}
