package org.coursebot.ingest.crawl;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.FileSystem;
import io.vertx.core.file.OpenOptions;
import io.vertx.ext.web.codec.BodyCodec;
import io.vertx.ext.web.codec.spi.BodyStream;

/**
 * Reads a response body under a size cap, failing as soon as it passes it, so a huge (or endless, or
 * decompression-bomb) response costs at most the cap; the failed stream makes the client reset it. The first
 * {@value #SNIFF_BYTES} bytes decide where the rest goes: a body that starts like a PDF ({@code %PDF-}, whatever the
 * Content-Type says) is streamed to a temporary file in {@code spoolDirectory} under {@code maxPdfBytes}, through
 * Vert.x's non-blocking file API and with its back-pressure, so a PDF never sits in the heap; anything else is
 * kept in memory under {@code maxBytes}. One codec serves one request; {@link #abandon()} deletes what it spooled
 * when nobody will read it (the request timed out).
 */
final class CappedBodyCodec implements BodyCodec<ResponseBody> {

    /** PDF readers accept the header anywhere in the first kilobyte. */
    static final int SNIFF_BYTES = 1024;
    private static final byte[] PDF_MAGIC = "%PDF-".getBytes(StandardCharsets.ISO_8859_1);

    private final long maxBytes;
    private final long maxPdfBytes;
    private final FileSystem files;
    private final Path spoolDirectory;
    private Stream stream;
    private boolean abandoned;

    /**
     * @param maxPdfBytes the cap of a PDF; 0 when PDFs are not read (then a PDF is just bytes under {@code maxBytes})
     */
    CappedBodyCodec(long maxBytes, long maxPdfBytes, FileSystem files, Path spoolDirectory) {
        this.maxBytes = maxBytes;
        this.maxPdfBytes = maxPdfBytes;
        this.files = files;
        this.spoolDirectory = spoolDirectory;
    }

    @Override
    public void create(Handler<AsyncResult<BodyStream<ResponseBody>>> handler) {
        stream = new Stream();
        if (abandoned) {
            stream.abandon();
        }
        handler.handle(Future.succeededFuture(stream));
    }

    /** Nobody will read this body: fail it, and delete what was spooled (now, or when the file opens). */
    void abandon() {
        abandoned = true;
        if (stream != null) {
            stream.abandon();
        }
    }

    /** The body passed its cap. */
    static final class TooLargeException extends RuntimeException {
        TooLargeException(long maxBytes, boolean pdf) {
            super((pdf ? "PDF too large: more than " : "too large: more than ") + maxBytes + " bytes", null, false, false);
        }
    }

    static boolean startsLikePdf(byte[] head, int length) {
        outer:
        for (int i = 0; i + PDF_MAGIC.length <= Math.min(length, SNIFF_BYTES); i++) {
            for (int k = 0; k < PDF_MAGIC.length; k++) {
                if (head[i + k] != PDF_MAGIC[k]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private enum Mode { SNIFFING, MEMORY, SPOOLING }

    private final class Stream implements BodyStream<ResponseBody> {
        private final Promise<ResponseBody> result = Promise.promise();
        private ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private Mode mode = Mode.SNIFFING;
        private long size;
        private final List<Buffer> waiting = new ArrayList<>();
        private Path path;
        private AsyncFile file;
        private boolean ended;
        private Handler<Void> drain;

        @Override
        public Future<ResponseBody> result() {
            return result.future();
        }

        @Override
        public void handle(Throwable failure) {
            fail(failure);
        }

        @Override
        public Future<Void> write(Buffer data) {
            if (result.future().isComplete()) {
                return Future.failedFuture("body already complete");
            }
            size += data.length();
            switch (mode) {
                case SNIFFING -> {
                    bytes.writeBytes(data.getBytes());
                    if (size >= SNIFF_BYTES) {
                        decide();
                    }
                }
                case MEMORY -> {
                    if (size > maxBytes) {
                        return tooLarge(maxBytes, false);
                    }
                    bytes.writeBytes(data.getBytes());
                }
                case SPOOLING -> {
                    if (size > maxPdfBytes) {
                        return tooLarge(maxPdfBytes, true);
                    }
                    if (file == null) {
                        waiting.add(data.copy());
                    } else {
                        file.write(data);
                    }
                }
            }
            if (mode == Mode.MEMORY && size > maxBytes) {
                return tooLarge(maxBytes, false);
            }
            return Future.succeededFuture();
        }

        private void decide() {
            byte[] head = bytes.toByteArray();
            if (maxPdfBytes > 0 && startsLikePdf(head, head.length)) {
                mode = Mode.SPOOLING;
                bytes = null;
                waiting.add(Buffer.buffer(head));
                if (size > maxPdfBytes) {
                    tooLarge(maxPdfBytes, true);
                    return;
                }
                open();
            } else {
                mode = Mode.MEMORY;
            }
        }

        private void open() {
            files.createTempFile(spoolDirectory.toString(), "body-", ".pdf", (String) null)
                    .compose(created -> {
                        path = Path.of(created);
                        return files.open(created, new OpenOptions().setWrite(true).setCreate(false));
                    })
                    .onComplete(opened -> {
                        if (opened.failed()) {
                            fail(opened.cause());
                            return;
                        }
                        file = opened.result();
                        if (result.future().isComplete()) { // failed or abandoned while the file opened
                            cleanUp();
                            return;
                        }
                        waiting.forEach(file::write);
                        waiting.clear();
                        if (drain != null) {
                            file.drainHandler(drain);
                            if (!file.writeQueueFull()) {
                                drain.handle(null);
                            }
                        }
                        if (ended) {
                            finishFile();
                        }
                    });
        }

        private Future<Void> tooLarge(long cap, boolean pdf) {
            TooLargeException tooLarge = new TooLargeException(cap, pdf);
            fail(tooLarge);
            return Future.failedFuture(tooLarge);
        }

        private void fail(Throwable failure) {
            result.tryFail(failure);
            cleanUp();
        }

        void abandon() {
            fail(new IllegalStateException("abandoned: nobody reads this body"));
        }

        private void cleanUp() {
            waiting.clear();
            bytes = null;
            if (file != null) {
                AsyncFile open = file;
                file = null;
                Path spooled = path;
                open.close().onComplete(closed -> files.delete(spooled.toString()));
            }
            // a file still opening is deleted once it opens (see open())
        }

        private void finishFile() {
            AsyncFile open = file;
            file = null;
            Path spooled = path;
            open.close().onComplete(closed -> {
                if (closed.failed() || !result.tryComplete(ResponseBody.spooled(spooled))) {
                    result.tryFail(closed.failed() ? closed.cause() : new IllegalStateException("body failed"));
                    files.delete(spooled.toString());
                }
            });
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
            ended = true;
            if (!result.future().isComplete()) {
                switch (mode) {
                    case SNIFFING -> {
                        // the whole body is under a kilobyte: a PDF this small stays in memory
                        byte[] all = bytes.toByteArray();
                        result.tryComplete(ResponseBody.inMemory(all, maxPdfBytes > 0 && startsLikePdf(all, all.length)));
                    }
                    case MEMORY -> result.tryComplete(ResponseBody.inMemory(bytes.toByteArray(), false));
                    case SPOOLING -> {
                        if (file != null) {
                            finishFile();
                        } // else the file is still opening: open() finishes it
                    }
                }
            }
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

        /** While a PDF's file opens, or its writes queue up, the response is paused. */
        @Override
        public boolean writeQueueFull() {
            return mode == Mode.SPOOLING && !result.future().isComplete() && (file == null || file.writeQueueFull());
        }

        @Override
        public Stream drainHandler(Handler<Void> handler) {
            drain = handler;
            if (file != null) {
                file.drainHandler(handler);
            }
            return this;
        }
    }
}
