package org.coursebot.ingest.crawl;

import java.io.ByteArrayOutputStream;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.codec.BodyCodec;
import io.vertx.ext.web.codec.spi.BodyStream;

/**
 * Reads a response body into bytes but fails as soon as it passes a size cap, so a huge (or endless, or
 * decompression-bomb) response costs at most the cap in memory; the failed stream makes the client reset it.
 */
final class CappedBodyCodec implements BodyCodec<byte[]> {

    private final long maxBytes;

    CappedBodyCodec(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    public void create(Handler<AsyncResult<BodyStream<byte[]>>> handler) {
        handler.handle(Future.succeededFuture(new Stream()));
    }

    /** The body passed the cap. */
    static final class TooLargeException extends RuntimeException {
        TooLargeException(long maxBytes) {
            super("too large: more than " + maxBytes + " bytes", null, false, false);
        }
    }

    private final class Stream implements BodyStream<byte[]> {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final Promise<byte[]> result = Promise.promise();

        @Override
        public Future<byte[]> result() {
            return result.future();
        }

        @Override
        public void handle(Throwable failure) {
            result.tryFail(failure);
        }

        @Override
        public Future<Void> write(Buffer data) {
            if (result.future().isComplete()) {
                return Future.failedFuture("body already complete");
            }
            if ((long) bytes.size() + data.length() > maxBytes) {
                TooLargeException tooLarge = new TooLargeException(maxBytes);
                result.tryFail(tooLarge);
                return Future.failedFuture(tooLarge);
            }
            bytes.writeBytes(data.getBytes());
            return Future.succeededFuture();
        }

        @Override
        public void write(Buffer data, Handler<AsyncResult<Void>> handler) {
            Future<Void> written = write(data);
            if (handler != null) {
                handler.handle(written);
            }
        }

        @Override
        public void end(Handler<AsyncResult<Void>> handler) {
            result.tryComplete(bytes.toByteArray());
            if (handler != null) {
                handler.handle(Future.succeededFuture());
            }
        }

        @Override
        public Stream exceptionHandler(Handler<Throwable> handler) {
            return this;
        }

        @Override
        public Stream setWriteQueueMaxSize(int maxSize) {
            return this;
        }

        @Override
        public boolean writeQueueFull() {
            return false;
        }

        @Override
        public Stream drainHandler(Handler<Void> handler) {
            return this;
        }
    }
}
