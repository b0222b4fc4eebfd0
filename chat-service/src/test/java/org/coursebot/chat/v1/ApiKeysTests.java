package org.coursebot.chat.v1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class ApiKeysTests {

    private static ApiKeys keys(String... entries) {
        return new ApiKeys(config(Optional.of(List.of(entries))));
    }

    /** The configuration with these keys (ApiKeys reads nothing else). */
    private static ApiConfig config(Optional<List<String>> keys) {
        return new ApiConfig() {
            @Override
            public Optional<List<String>> keys() {
                return keys;
            }

            @Override
            public Rate rate() {
                throw new UnsupportedOperationException("not read by ApiKeys");
            }
        };
    }

    @Test
    void findsTheNameOfTheKeyABearerHeaderPresents() {
        ApiKeys keys = keys("webui:sk-one", "discord:sk-two");
        assertThat(keys.required()).isTrue();
        assertThat(keys.nameOf("Bearer sk-two")).contains("discord");
        assertThat(keys.nameOf("bearer  sk-one ")).contains("webui");
        assertThat(keys.nameOf("Bearer sk-three")).isEmpty();
        assertThat(keys.nameOf("sk-one")).as("not a bearer header").isEmpty();
        assertThat(keys.nameOf(null)).isEmpty();
        assertThat(keys.nameOf("Bearer ")).isEmpty();
    }

    @Test
    void aBareKeyIsNamedByItsDigestAndANamedKeyMayHoldColons() {
        ApiKeys keys = keys("sk-bare", "bot:sk:with:colons", "sk/abc:def");
        assertThat(keys.nameOf("Bearer sk-bare")).hasValueSatisfying(name -> assertThat(name).matches("key-[0-9a-f]{8}"));
        assertThat(keys.nameOf("Bearer sk:with:colons")).contains("bot");
        assertThat(keys.nameOf("Bearer sk/abc:def")).as("'sk/abc' is no name: a bare key").isPresent();
    }

    @Test
    void noKeysMeansOpen() {
        assertThat(new ApiKeys(config(Optional.empty())).required()).isFalse();
    }

    @Test
    void aMalformedListStopsStartUpWithoutNamingTheKey() {
        assertThatThrownBy(() -> keys("a:sk-1", "a:sk-2")).hasMessageContaining("the name a is used twice");
        assertThatThrownBy(() -> keys("a:sk-1", "b:sk-1")).hasMessageContaining("entry 2 repeats a key")
                .hasMessageNotContaining("sk-1");
        assertThatThrownBy(() -> keys("a:")).hasMessageContaining("entry 1 has no key");
    }
}
