package org.coursebot.ingest.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.util.Optional;

import io.quarkus.runtime.configuration.ConfigurationException;
import org.junit.jupiter.api.Test;

/** {@link RunCostCeiling} on its own: how a refusal writes its two figures, and which ceilings it accepts. */
class RunCostCeilingRulesTests {

    @Test
    void aNegativeCeilingFailsTheStartNamingTheKey() {
        assertThatThrownBy(() -> new RunCostCeiling(ceiling("-0.50")).onStart(null))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("coursebot.ingest.max-run-cost must be 0 or more (USD), not -0.50");
        assertThatCode(() -> new RunCostCeiling(ceiling("0")).onStart(null)).doesNotThrowAnyException();
    }

    @Test
    void dollarsAndCents() {
        assertThat(usd("1.844917", "1.00")).isEqualTo("$1.84");
        assertThat(usd("1.00", "1.844917")).isEqualTo("$1.00");
        assertThat(usd("12", "1.5")).isEqualTo("$12.00");
    }

    @Test
    void twoSignificantDigitsBelowACentWhereCentsWouldSayNothing() {
        assertThat(usd("0.000482", "0.0001")).isEqualTo("$0.00048");
        assertThat(usd("0", "0.0001")).isEqualTo("$0.00");
    }

    @Test
    void asManyDigitsAsTellTheFiguresApartWhenCentsWouldNot() {
        assertThat(usd("5.004", "5.00")).isEqualTo("$5.004");
        assertThat(usd("5.00", "5.004")).isEqualTo("$5.000");
    }

    /** The ingest configuration with this max-run-cost; its other keys are not read here. */
    private static IngestConfig ceiling(String usd) {
        return (IngestConfig) Proxy.newProxyInstance(IngestConfig.class.getClassLoader(), new Class<?>[] {IngestConfig.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("maxRunCost")) {
                        return Optional.of(new BigDecimal(usd));
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private static String usd(String value, String other) {
        return RunCostCeiling.usd(new BigDecimal(value), new BigDecimal(other));
    }
}
