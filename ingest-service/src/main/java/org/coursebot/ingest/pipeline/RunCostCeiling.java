package org.coursebot.ingest.pipeline;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;
import java.util.Optional;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.coursebot.ingest.embed.EmbeddingService;

/**
 * {@code coursebot.ingest.max-run-cost}: the most a run may spend on embeddings. A run it guards first runs as a dry
 * run (the same stages, the same {@link EmbeddingService#plan} per group: the estimate an operator's dry run reports),
 * and is refused, before its first embeddings request and with nothing written, when that estimate is above it.
 */
@ApplicationScoped
public class RunCostCeiling {

    static final String KEY = "coursebot.ingest.max-run-cost";

    private final Optional<BigDecimal> ceiling;

    public RunCostCeiling(IngestConfig config) {
        this.ceiling = config.maxRunCost();
    }

    /** A negative ceiling would refuse even a run that costs nothing: the start fails instead, naming the key. */
    void onStart(@Observes StartupEvent event) {
        ceiling.filter(usd -> usd.signum() < 0).ifPresent(usd -> {
            throw new ConfigurationException(KEY + " must be 0 or more (USD), not " + usd.toPlainString());
        });
    }

    /**
     * Whether a run embedding with these embedders needs its dry run first: with a ceiling, when one of them charges
     * (an estimate of $0 is never above it, so a run on the local model alone is not crawled twice).
     */
    boolean guards(List<EmbeddingService> embedders) {
        return ceiling.isPresent() && embedders.stream().anyMatch(EmbeddingService::charges);
    }

    /** The ceiling, for the log; only called when {@link #guards} said yes. */
    String describe() {
        BigDecimal max = ceiling.orElseThrow();
        return KEY + " " + usd(max, max);
    }

    /** Why a run whose dry run counted {@code estimate} is refused, or empty when it may go on. */
    Optional<String> refusal(RunProgress estimate) {
        BigDecimal cost = estimate.cost();
        return ceiling.filter(max -> cost.compareTo(max) > 0).map(max -> "this run would cost about " + usd(cost, max)
                + " in embeddings (" + estimate.chunksEmbedded.get() + " chunks, " + estimate.tokens.get()
                + " tokens), above " + KEY + " " + usd(max, cost) + "; raise it or ingest fewer pages");
    }

    /**
     * Dollars and cents, or two significant digits below a cent (a small course costs fractions of one); more when
     * {@code other} would otherwise read the same, so a refusal never says "$5.00, above $5.00".
     */
    static String usd(BigDecimal value, BigDecimal other) {
        BigDecimal shown = rounded(value);
        if (shown.compareTo(rounded(other)) == 0 && value.compareTo(other) != 0) {
            int digits = Math.max(2, Math.max(value.stripTrailingZeros().scale(), other.stripTrailingZeros().scale()));
            return "$" + value.setScale(digits, RoundingMode.HALF_UP).toPlainString();
        }
        return "$" + shown.toPlainString();
    }

    private static BigDecimal rounded(BigDecimal value) {
        BigDecimal cents = value.setScale(2, RoundingMode.HALF_UP);
        return cents.signum() != 0 || value.signum() == 0 ? cents : value.round(new MathContext(2, RoundingMode.HALF_UP));
    }
}
