package org.coursebot.chat.api;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.logging.Filter;
import java.util.logging.LogRecord;

import io.quarkus.logging.LoggingFilter;
import io.vertx.core.http.HttpClosedException;
import org.jboss.logging.Logger;

/**
 * Keeps out of the log, at DEBUG instead of ERROR, RESTEasy Reactive's "Exception in SSE server handling" when the
 * exception is only the client having gone: a student who closed the tab while the answer streamed.
 *
 * <p>Why a log filter: RESTEasy Reactive's SSE subscriber (PublisherResponseHandler.AbstractMultiSubscriber,
 * Quarkus 3.33) logs any failed write at ERROR once the head is written, and has no hook between the write and the
 * log line. A client that closes its socket is seen by the server either as a read of the close (RESTEasy then
 * cancels the stream quietly) or, when the next token's write comes first in the event loop's turn, as that write
 * failing (Broken pipe, Connection reset, a closed channel): a race no resource can win. The stream is counted as
 * abandoned either way ({@code coursebot.chat.stream.abandoned}, {@link ChatResource}); any other exception from
 * that handler is still an ERROR. /v1 writes its own events and cancels quietly (OpenAiRoutes).
 */
@LoggingFilter(name = "client-left-sse")
public final class ClientLeftSseLogFilter implements Filter {

    static final String CATEGORY = "org.jboss.resteasy.reactive.server.handlers.PublisherResponseHandler";
    static final String MESSAGE = "Exception in SSE server handling, impossible to send it to client";
    private static final Logger LOG = Logger.getLogger(ClientLeftSseLogFilter.class);

    @Override
    public boolean isLoggable(LogRecord record) {
        if (!CATEGORY.equals(record.getLoggerName()) || !MESSAGE.equals(record.getMessage())
                || !clientGone(record.getThrown())) {
            return true;
        }
        LOG.debugf("SSE client gone mid-answer: %s", record.getThrown());
        return false;
    }

    /** A write's failure that says the connection was closed or reset by the other end, nothing else. */
    static boolean clientGone(Throwable failure) {
        if (failure instanceof ClosedChannelException || failure instanceof HttpClosedException) {
            return true;
        }
        // The socket's own words, from NIO (IOException) and Netty's native transport (NativeIoException: "...
        // failed: Broken pipe"); an IOException of any other kind (a serializer's, say) is not the client leaving.
        String message = failure instanceof IOException ? failure.getMessage() : null;
        return message != null && (message.endsWith("Broken pipe") || message.endsWith("Connection reset by peer"));
    }
}
