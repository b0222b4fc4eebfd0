package org.coursebot.ingest.extract;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;

/** Parses fetched bytes into a jsoup document, honouring the charset the server named when Java knows it. */
public final class HtmlPages {

    private HtmlPages() {
    }

    /**
     * @param charsetHint the {@code charset} of the Content-Type header, or null; when null or unknown, jsoup reads
     *                    a byte-order mark or {@code <meta charset>} and falls back to UTF-8
     * @param baseUri     the page's URL, against which relative links resolve
     */
    public static Document parse(byte[] body, String charsetHint, String baseUri) {
        try {
            return Jsoup.parse(new ByteArrayInputStream(body), knownCharset(charsetHint), baseUri);
        } catch (IOException e) {
            throw new UncheckedIOException("reading from memory cannot fail", e);
        }
    }

    private static String knownCharset(String hint) {
        if (hint == null || hint.isBlank()) {
            return null;
        }
        String name = hint.strip().replace("\"", "");
        try {
            return Charset.isSupported(name) ? name : null;
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            return null;
        }
    }
}
