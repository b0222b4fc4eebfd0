package org.coursebot.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InputTextTests {

    @Test
    void removesNulAndControlCharactersButKeepsTabsAndNewlines() {
        assertThat(InputText.clean("a\u0000b\u0007c\td\ne\u0085f\u007f")).isEqualTo("abc\td\nef");
    }

    @Test
    void carriageReturnsBecomeNewlines() {
        assertThat(InputText.clean("one\r\ntwo\rthree")).isEqualTo("one\ntwo\nthree");
    }

    @Test
    void removesLoneSurrogatesAndKeepsPairs() {
        assertThat(InputText.clean("x\ud800y\udc00z")).isEqualTo("xyz");
        assertThat(InputText.clean("emoji \ud83d\ude00 ok")).isEqualTo("emoji \ud83d\ude00 ok");
        assertThat(InputText.clean("ends high\ud83d")).isEqualTo("ends high");
    }

    @Test
    void removesBidirectionalOverridesAndIsolates() {
        assertThat(InputText.clean("abc\u202edcba\u202c \u2066x\u2069")).isEqualTo("abcdcba x");
    }

    @Test
    void leavesOrdinaryTextOfEveryScriptAlone() {
        String text = "Grüße, 你好, مرحبا, Здравствуйте — résumé ½ ✓";
        assertThat(InputText.clean(text)).isSameAs(text);
        assertThat(InputText.clean(null)).isNull();
    }
}
