package org.coursebot.chat.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.Test;

class ClientLeftSseLogFilterTests {

    private final ClientLeftSseLogFilter filter = new ClientLeftSseLogFilter();

    @Test
    void aBrokenPipeOnAnSseWriteIsKeptOutOfTheErrorLog() {
        assertThat(filter.isLoggable(sseFailure(new IOException("Broken pipe")))).isFalse();
    }

    @Test
    void aResetOrClosedConnectionIsTheClientLeavingToo() {
        assertThat(filter.isLoggable(sseFailure(new IOException("Connection reset by peer")))).isFalse();
        assertThat(filter.isLoggable(sseFailure(new IOException("writevAddresses(..) failed: Broken pipe")))).isFalse();
        assertThat(filter.isLoggable(sseFailure(new ClosedChannelException()))).isFalse();
    }

    @Test
    void aServerFailureInTheSameHandlerIsStillAnError() {
        assertThat(filter.isLoggable(sseFailure(new IllegalStateException("Broken pipe")))).isTrue();
        assertThat(filter.isLoggable(sseFailure(new IOException("No space left on device")))).isTrue();
    }

    @Test
    void aBrokenPipeLoggedByAnotherCategoryOrMessageIsStillLogged() {
        LogRecord elsewhere = sseFailure(new IOException("Broken pipe"));
        elsewhere.setLoggerName("org.coursebot.chat.answer.ChatService");
        assertThat(filter.isLoggable(elsewhere)).isTrue();
        LogRecord otherMessage = sseFailure(new IOException("Broken pipe"));
        otherMessage.setMessage("Request failed");
        assertThat(filter.isLoggable(otherMessage)).isTrue();
    }

    private static LogRecord sseFailure(Throwable thrown) {
        LogRecord record = new LogRecord(Level.SEVERE, ClientLeftSseLogFilter.MESSAGE);
        record.setLoggerName(ClientLeftSseLogFilter.CATEGORY);
        record.setThrown(thrown);
        return record;
    }
}
