package org.coursebot.ingest.crawl;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.WorkerExecutor;
import io.vertx.mutiny.core.net.SocketAddress;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import io.vertx.mutiny.ext.web.client.predicate.ResponsePredicateResult;
import io.vertx.mutiny.ext.web.codec.BodyCodec;

import org.coursebot.ingest.crawl.FetchException.Kind;

/**
 * One crawl's HTTP side: a single GET, no redirects followed, to the address the {@link NetworkGuard} approved
 * (the host is resolved once and the connection goes to exactly that address, so DNS cannot be re-pointed between
 * check and use), after the host's politeness slot, within the time and size limits.
 */
final class SiteClient {

    private static final String NOT_HTML = "not HTML: ";

    private final WebClient client;
    private final WorkerExecutor blocking;
    private final NetworkGuard guard;
    private final HostThrottle throttle;
    private final Duration timeout;
    private final long maxBytes;
    private final long maxPdfBytes;
    private final Vertx vertx;
    private final Path spoolDirectory;

    /**
     * @param maxPdfBytes the cap of a PDF, streamed to a file in {@code spoolDirectory}; 0 when PDFs are not read
     */
    SiteClient(Vertx vertx, WorkerExecutor blocking, NetworkGuard guard, HostThrottle throttle, String userAgent,
            Duration timeout, long maxBytes, long maxPdfBytes, Path spoolDirectory) {
        WebClientOptions options = new WebClientOptions().setUserAgent(userAgent).setFollowRedirects(false)
                .setDecompressionSupported(true).setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                .setMaxPoolSize(4).setKeepAlive(true);
        this.client = WebClient.create(vertx, options);
        this.blocking = blocking;
        this.guard = guard;
        this.throttle = throttle;
        this.timeout = timeout;
        this.maxBytes = maxBytes;
        this.maxPdfBytes = maxPdfBytes;
        this.vertx = vertx;
        this.spoolDirectory = spoolDirectory;
    }

    /**
     * A response's status, the headers the crawler needs and (for 2xx) the body: at most max-page-bytes in memory, or
     * a PDF of at most pdf.max-bytes in a temporary file the caller deletes.
     */
    record Reply(int status, String location, String contentType, PageValidators validators, ResponseBody body) {

        /** The body held in memory; null when there is none or it was spooled to a file. */
        byte[] bytes() {
            return body == null ? null : body.bytes();
        }
    }

    /**
     * GETs a normalised URL. With {@code htmlOnly}, a 2xx whose Content-Type is known and neither HTML nor (when PDFs
     * are read) a PDF fails as NOT_HTML from its headers alone, before the body is read.
     */
    Uni<Reply> get(String url, PageValidators conditional, boolean htmlOnly) {
        URI uri = URI.create(url);
        // the timeout covers the lookup and the exchange, not the politeness wait between them
        return withTimeout(resolve(uri.getHost()), "no DNS answer")
                .call(address -> throttle.acquire(uri.getHost()))
                .chain(address -> withTimeout(send(uri, address, conditional, htmlOnly), "no complete response"))
                .onFailure(e -> !(e instanceof FetchException)).transform(SiteClient::classify);
    }

    private <T> Uni<T> withTimeout(Uni<T> step, String what) {
        return step.ifNoItem().after(timeout).failWith(() -> new FetchException(Kind.TIMEOUT,
                "timeout: " + what + " within " + timeout.toMillis() + " ms"));
    }

    /** Fails with REFUSED when the URL's host resolves to an address the guard refuses; unknown hosts pass. */
    Uni<Void> checkHost(String url) {
        return resolve(URI.create(url).getHost()).replaceWithVoid()
                .onFailure(e -> e instanceof FetchException f && f.kind() != Kind.REFUSED).recoverWithNull();
    }

    void close() {
        client.close();
    }

    /** DNS is blocking: it runs on the crawler's bounded worker pool, never on the event loop. */
    private Uni<InetAddress> resolve(String host) {
        return blocking.executeBlocking(() -> {
            try {
                return guard.resolve(host);
            } catch (NetworkGuard.RefusedAddressException e) {
                throw new FetchException(Kind.REFUSED, "refused: " + e.getMessage());
            } catch (UnknownHostException e) {
                throw new FetchException(Kind.NETWORK, "unknown host: " + host);
            }
        }, false);
    }

    private Uni<Reply> send(URI uri, InetAddress address, PageValidators conditional, boolean htmlOnly) {
        boolean https = uri.getScheme().equals("https");
        int port = uri.getPort() != -1 ? uri.getPort() : https ? 443 : 80;
        String pathAndQuery = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        RequestOptions options = new RequestOptions().setHost(uri.getHost()).setPort(port).setSsl(https)
                .setURI(pathAndQuery).setFollowRedirects(false)
                .setServer(io.vertx.core.net.SocketAddress.inetSocketAddress(port, address.getHostAddress()));
        CappedBodyCodec codec = new CappedBodyCodec(maxBytes, htmlOnly ? maxPdfBytes : 0, vertx.getDelegate().fileSystem(),
                spoolDirectory);
        var request = client.request(HttpMethod.GET, options)
                .timeout(timeout.toMillis())
                .putHeader("Accept", !htmlOnly ? "*/*" : maxPdfBytes > 0
                        ? "text/html,application/xhtml+xml;q=0.9,application/pdf;q=0.8,*/*;q=0.1"
                        : "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1")
                .expect(response -> checkHeaders(response, htmlOnly))
                .as(BodyCodec.<ResponseBody>newInstance(codec));
        if (conditional != null && conditional.etag() != null) {
            request.putHeader("If-None-Match", conditional.etag());
        }
        if (conditional != null && conditional.lastModified() != null) {
            request.putHeader("If-Modified-Since", conditional.lastModified());
        }
        Log.debugf("GET %s via %s", uri, address.getHostAddress());
        // a request given up on (timeout) may still finish its body: the codec then deletes what it spooled
        return request.send().map(this::reply).onCancellation().invoke(codec::abandon);
    }

    private ResponsePredicateResult checkHeaders(HttpResponse<Void> response, boolean htmlOnly) {
        if (response.statusCode() < 200 || response.statusCode() > 299) {
            return ResponsePredicateResult.success();
        }
        String type = response.getHeader("Content-Type");
        boolean pdf = maxPdfBytes > 0 && HtmlSniffer.isPdfType(type);
        String length = response.getHeader("Content-Length");
        // a body of unknown type may be a PDF: it is held to the larger cap until its first bytes tell
        long cap = pdf ? maxPdfBytes : HtmlSniffer.mediaType(type).contains("html") ? maxBytes : Math.max(maxBytes, maxPdfBytes);
        if (length != null && length.chars().allMatch(Character::isDigit) && !length.isEmpty()
                && Long.parseLong(length) > cap) {
            return ResponsePredicateResult.failure(new CappedBodyCodec.TooLargeException(cap, pdf).getMessage());
        }
        if (htmlOnly && !HtmlSniffer.mayBeHtml(type) && !pdf) {
            return ResponsePredicateResult.failure(NOT_HTML + type);
        }
        return ResponsePredicateResult.success();
    }

    private Reply reply(HttpResponse<ResponseBody> response) {
        PageValidators validators = new PageValidators(response.getHeader("ETag"), response.getHeader("Last-Modified"));
        boolean success = response.statusCode() >= 200 && response.statusCode() <= 299;
        ResponseBody body = response.body();
        if (!success && body != null && body.file() != null) {
            vertx.getDelegate().fileSystem().delete(body.file().toString()); // an error page that looked like a PDF
        }
        return new Reply(response.statusCode(), response.getHeader("Location"), response.getHeader("Content-Type"),
                validators, success ? body : null);
    }

    private static Throwable classify(Throwable failure) {
        String message = String.valueOf(failure.getMessage());
        if (message.startsWith("PDF too large")) {
            return new FetchException(Kind.PDF_TOO_LARGE, message);
        }
        if (failure instanceof CappedBodyCodec.TooLargeException || message.startsWith("too large")) {
            return new FetchException(Kind.TOO_LARGE, message);
        }
        if (message.startsWith(NOT_HTML)) {
            return new FetchException(Kind.NOT_HTML, message);
        }
        if (failure instanceof TimeoutException || message.toLowerCase(Locale.ROOT).contains("timeout")
                || message.toLowerCase(Locale.ROOT).contains("timed out")) {
            return new FetchException(Kind.TIMEOUT, "timeout: " + message);
        }
        return new FetchException(Kind.NETWORK, "network error: " + failure.getClass().getSimpleName() + ": " + message);
    }
}
