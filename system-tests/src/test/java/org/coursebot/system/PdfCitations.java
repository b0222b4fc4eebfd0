package org.coursebot.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;

/**
 * The citation rule for PDFs, checked from the outside: a cited {@code file.pdf#page=N} is fetched as a browser
 * would, opened with PDFBox's plain text stripper (not Coursebot's reader), and the cited text must be on page N.
 * Whitespace is left out of the comparison (line breaks and joins differ between readings, never the characters).
 */
final class PdfCitations {

    private static final Pattern PAGE = Pattern.compile("#page=(\\d+)$");

    private final HttpClient http;
    private final Map<String, String[]> pages = new HashMap<>();
    private int checked;
    private int onTheirPage;

    PdfCitations(HttpClient http) {
        this.http = http;
    }

    /** Whether the url cites a page of a PDF ({@code #page=N}). */
    static boolean citesPdfPage(String url) {
        return PAGE.matcher(url).find();
    }

    /** Whether page N exists in the PDF the url names. */
    boolean pageExists(String url) throws IOException, InterruptedException {
        Matcher m = PAGE.matcher(url);
        if (!m.find()) {
            return false;
        }
        int page = Integer.parseInt(m.group(1));
        String[] text = textByPage(url.substring(0, m.start()));
        return page >= 1 && page <= text.length;
    }

    /** Whether {@code content} is on the page the url cites; counted in {@link #summary()}. */
    boolean onItsPage(String url, String content) throws IOException, InterruptedException {
        Matcher m = PAGE.matcher(url);
        if (!m.find()) {
            return false;
        }
        int page = Integer.parseInt(m.group(1));
        String[] text = textByPage(url.substring(0, m.start()));
        boolean found = page >= 1 && page <= text.length && text[page - 1].contains(squeezed(content));
        checked++;
        onTheirPage += found ? 1 : 0;
        return found;
    }

    int checked() {
        return checked;
    }

    int onTheirPage() {
        return onTheirPage;
    }

    String summary() {
        return String.format(java.util.Locale.ROOT, "PDF citations: %d of %d cited #page=N texts found on page N (%.1f%%)",
                onTheirPage, checked, checked == 0 ? 100.0 : 100.0 * onTheirPage / checked);
    }

    private String[] textByPage(String pdfUrl) throws IOException, InterruptedException {
        String[] cached = pages.get(pdfUrl);
        if (cached != null) {
            return cached;
        }
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(pdfUrl)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        String[] text = new String[0];
        if (response.statusCode() == 200) {
            try (PDDocument document = Loader.loadPDF(response.body())) {
                text = new String[document.getNumberOfPages()];
                PDFTextStripper stripper = new PDFTextStripper();
                for (int i = 1; i <= text.length; i++) {
                    stripper.setStartPage(i);
                    stripper.setEndPage(i);
                    text[i - 1] = squeezed(stripper.getText(document));
                }
            }
        }
        pages.put(pdfUrl, text);
        return text;
    }

    static String squeezed(String text) {
        return text.replaceAll("[\\s\\u00a0]+", "");
    }
}
