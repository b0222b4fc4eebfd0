package org.coursebot.ingest.crawl;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Decides whether a response is HTML: by Content-Type when it is specific, else by the first bytes. */
final class HtmlSniffer {

    private static final String[] HTML_STARTS = {"<!doctype html", "<html", "<head", "<body", "<title", "<meta",
        "<h1", "<p>", "<div", "<!--"};

    private HtmlSniffer() {
    }

    /** False only when the Content-Type names something that is certainly not HTML. */
    static boolean mayBeHtml(String contentType) {
        String type = mediaType(contentType);
        return type.isEmpty() || type.equals("text/html") || type.equals("application/xhtml+xml")
                || type.equals("text/plain") || type.equals("application/octet-stream")
                || type.equals("application/x-unknown") || type.equals("unknown/unknown");
    }

    /** True when the type says HTML, or says nothing useful and the body starts like HTML. */
    static boolean isHtml(String contentType, byte[] body) {
        if (isPdfType(contentType)) {
            return false;
        }
        String type = mediaType(contentType);
        if (type.equals("text/html") || type.equals("application/xhtml+xml")) {
            return true;
        }
        return mayBeHtml(contentType) && startsLikeHtml(body);
    }

    /** True when the Content-Type says PDF. */
    static boolean isPdfType(String contentType) {
        String type = mediaType(contentType);
        return type.equals("application/pdf") || type.equals("application/x-pdf");
    }

    /** The charset parameter of a Content-Type when the JVM supports it, else null (jsoup then reads the meta). */
    static String charset(String contentType) {
        if (contentType == null) {
            return null;
        }
        for (String param : contentType.split(";")) {
            String p = param.strip();
            if (p.toLowerCase(Locale.ROOT).startsWith("charset=")) {
                String name = p.substring(8).replace("\"", "").replace("'", "").strip();
                try {
                    return Charset.isSupported(name) ? name : null;
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
        }
        return null;
    }

    static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    }

    private static boolean startsLikeHtml(byte[] body) {
        if (body == null) {
            return false;
        }
        String head = new String(body, 0, Math.min(body.length, 1024), StandardCharsets.ISO_8859_1)
                .replace("\u00EF\u00BB\u00BF", "").stripLeading().toLowerCase(Locale.ROOT);
        for (String start : HTML_STARTS) {
            if (head.startsWith(start)) {
                return true;
            }
        }
        return false;
    }
}
