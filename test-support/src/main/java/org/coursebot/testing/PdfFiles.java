package org.coursebot.testing;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.common.PDStream;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.pdfbox.pdmodel.interactive.documentnavigation.outline.PDDocumentOutline;
import org.apache.pdfbox.pdmodel.interactive.documentnavigation.outline.PDOutlineItem;

/**
 * PDFs written with PDFBox for tests and benchmarks, so none is ever downloaded: slide decks, handouts with
 * headings or bookmarks, and the hostile ones (encrypted, corrupt, truncated, a scan without text, a decompression
 * bomb, too many pages). Deterministic: the same arguments give the same bytes (no dates, a fixed document id).
 */
public final class PdfFiles {

    /** 16:9 at 10 inches wide, as presentation programs export slides. */
    public static final PDRectangle SLIDE = new PDRectangle(720, 405);
    private static final PDFont REGULAR = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
    private static final PDFont BOLD = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
    private static final long DOCUMENT_ID = 33L;

    private PdfFiles() {
    }

    /** A slide: its title and its lines (a line starting "- " is a bullet point). */
    public record Slide(String title, List<String> lines) {
    }

    /** A handout block: a heading of {@code level} 1 or 2 with its paragraphs, optionally bookmarked. */
    public record Block(String heading, int level, List<String> paragraphs) {
    }

    /**
     * A slide deck: landscape pages, each title in 26 pt bold at the top (the first slide's, a title slide, larger and
     * lower), bullet points in 16 pt, wrapped to the slide's width.
     */
    public static byte[] slides(String title, String subject, List<Slide> slides) {
        try (PDDocument doc = new PDDocument()) {
            for (int i = 0; i < slides.size(); i++) {
                Slide slide = slides.get(i);
                PDPage page = new PDPage(SLIDE);
                doc.addPage(page);
                try (PDPageContentStream out = new PDPageContentStream(doc, page)) {
                    boolean cover = i == 0;
                    float y = cover ? 250 : 345;
                    y = write(out, cover ? 34 : 26, BOLD, slide.title(), 50, y, 620, 0);
                    y -= cover ? 20 : 14;
                    for (String line : slide.lines()) {
                        boolean bullet = line.startsWith("- ");
                        String text = bullet ? "\u2022 " + line.substring(2) : line;
                        y = write(out, cover ? 18 : 16, REGULAR, text, bullet ? 60 : 50, y, bullet ? 600 : 620,
                                bullet ? 12 : 0);
                        y -= 8;
                    }
                }
            }
            return save(doc, title, subject);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A handout: A4 portrait pages, headings in 18 pt (level 1) and 14 pt (level 2) bold, body text in 10 pt, pages
     * breaking where the text runs out of room; with {@code bookmarks}, each heading is an outline entry.
     */
    public static byte[] handout(String title, List<Block> blocks, boolean bookmarks) {
        try (PDDocument doc = new PDDocument()) {
            PDDocumentOutline outline = new PDDocumentOutline();
            PDOutlineItem parent = null;
            Writer writer = new Writer(doc);
            for (Block block : blocks) {
                float size = block.level() == 1 ? 18 : 14;
                writer.room(size * 3);
                PDPage page = writer.page;
                writer.y = write(writer.out, size, BOLD, block.heading(), 60, writer.y, 475, 0) - 6;
                if (bookmarks) {
                    PDOutlineItem item = new PDOutlineItem();
                    item.setTitle(block.heading());
                    item.setDestination(page);
                    if (block.level() == 1 || parent == null) {
                        outline.addLast(item);
                        parent = item;
                    } else {
                        parent.addLast(item);
                    }
                }
                for (String paragraph : block.paragraphs()) {
                    for (String line : wrap(REGULAR, 10, paragraph, 475)) {
                        writer.room(14);
                        writer.y = write(writer.out, 10, REGULAR, line, 60, writer.y, 475, 0);
                    }
                    writer.y -= 8;
                }
            }
            writer.close();
            if (bookmarks) {
                doc.getDocumentCatalog().setDocumentOutline(outline);
            }
            return save(doc, title, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code pages} portrait pages, each with a heading and about {@code words} words of the generated courses' prose
     * (seeded by the page number): a long handout for throughput, or too many pages.
     */
    public static byte[] pages(int pages, int words) {
        List<Block> blocks = new ArrayList<>();
        for (int i = 1; i <= pages; i++) {
            Random random = new Random(i);
            CourseText.Part part = CourseText.PARTS.get(i % CourseText.PARTS.size());
            StringBuilder text = new StringBuilder();
            while (text.toString().split(" ").length < words) {
                text.append(text.length() == 0 ? "" : " ").append(CourseText.paragraph(random, part));
            }
            blocks.add(new Block("Topic " + i + ": " + plain(CourseText.heading(random, part)), 1,
                    List.of(plain(text.toString()))));
        }
        try (PDDocument doc = new PDDocument()) {
            for (Block block : blocks) {
                PDPage page = new PDPage(PDRectangle.A4);
                doc.addPage(page);
                try (PDPageContentStream out = new PDPageContentStream(doc, page)) {
                    float y = write(out, 18, BOLD, block.heading(), 60, 780, 475, 0) - 6;
                    for (String line : wrap(REGULAR, 10, block.paragraphs().get(0), 475)) {
                        y = write(out, 10, REGULAR, line, 60, y, 475, 0);
                    }
                }
            }
            return save(doc, pages + " pages", null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** HTML prose as plain text Helvetica can show (WinAnsi): tags and entities out, other characters '?'. */
    private static String plain(String html) {
        String text = html.replaceAll("<[^>]+>", "").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&#39;", "'").replace("&amp;", "&").replaceAll("\\s+", " ").strip();
        StringBuilder out = new StringBuilder(text.length());
        text.chars().forEach(c -> out.append(c >= 0x20 && c < 0x7f ? (char) c : '?'));
        return out.toString();
    }

    /** The PDF encrypted (AES-128) with a user password: it cannot be opened without it. */
    public static byte[] encrypted(byte[] pdf, String userPassword) {
        return protect(pdf, userPassword, new AccessPermission());
    }

    /** The PDF encrypted with an owner password only (it opens), its permissions forbidding text extraction. */
    public static byte[] extractionForbidden(byte[] pdf) {
        AccessPermission permissions = new AccessPermission();
        permissions.setCanExtractContent(false);
        permissions.setCanExtractForAccessibility(false);
        return protect(pdf, "", permissions);
    }

    private static byte[] protect(byte[] pdf, String userPassword, AccessPermission permissions) {
        try (PDDocument doc = org.apache.pdfbox.Loader.loadPDF(pdf)) {
            StandardProtectionPolicy policy = new StandardProtectionPolicy("owner-secret", userPassword, permissions);
            policy.setEncryptionKeyLength(128);
            doc.protect(policy);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            doc.save(bytes);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A scan without OCR: each page only an image of grey stripes, no text at all. */
    public static byte[] scan(int pages) {
        try (PDDocument doc = new PDDocument()) {
            BufferedImage image = new BufferedImage(200, 280, BufferedImage.TYPE_BYTE_GRAY);
            for (int y = 0; y < 280; y += 14) {
                for (int x = 20; x < 180; x++) {
                    image.getRaster().setSample(x, y, 0, 90);
                }
            }
            PDImageXObject picture = LosslessFactory.createFromImage(doc, image);
            for (int i = 0; i < pages; i++) {
                PDPage page = new PDPage(PDRectangle.A4);
                doc.addPage(page);
                try (PDPageContentStream out = new PDPageContentStream(doc, page)) {
                    out.drawImage(picture, 0, 0, PDRectangle.A4.getWidth(), PDRectangle.A4.getHeight());
                }
            }
            return save(doc, "Scanned notes", null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A decompression bomb: one page whose content stream is {@code inflatedBytes} of spaces (valid content, so only
     * its size is hostile) and a line of text, deflated to about a thousandth of that.
     */
    public static byte[] bomb(long inflatedBytes) {
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            PDResources resources = new PDResources();
            COSName font = resources.add(REGULAR);
            page.setResources(resources);
            COSStream stream = doc.getDocument().createCOSStream();
            try (OutputStream raw = stream.createRawOutputStream();
                    DeflaterOutputStream deflated = new DeflaterOutputStream(raw, new Deflater(Deflater.BEST_COMPRESSION), 1 << 16)) {
                deflated.write(("BT /" + font.getName() + " 12 Tf 72 720 Td (A harmless line) Tj ET\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                byte[] spaces = new byte[1 << 20];
                Arrays.fill(spaces, (byte) ' ');
                for (long written = 0; written < inflatedBytes; written += spaces.length) {
                    deflated.write(spaces);
                }
            }
            stream.setItem(COSName.FILTER, COSName.FLATE_DECODE);
            page.setContents(new PDStream(stream));
            return save(doc, "Bomb", null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first {@code share} of a PDF's bytes: a download cut short. */
    public static byte[] truncated(byte[] pdf, double share) {
        return Arrays.copyOf(pdf, (int) (pdf.length * share));
    }

    /** A PDF header followed by seeded random bytes: no object, no cross-reference table, nothing to repair. */
    public static byte[] corrupt(int bytes) {
        byte[] body = new byte[bytes];
        new Random(33).nextBytes(body);
        byte[] header = "%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n".getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(header, 0, body, 0, header.length);
        return body;
    }

    private static byte[] save(PDDocument doc, String title, String subject) throws IOException {
        PDDocumentInformation info = new PDDocumentInformation();
        info.setTitle(title);
        if (subject != null) {
            info.setSubject(subject);
        }
        doc.setDocumentInformation(info);
        doc.setDocumentId(DOCUMENT_ID);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        doc.save(bytes);
        return bytes.toByteArray();
    }

    /** Writes text wrapped to {@code width} from {@code y} down; returns the baseline below its last line. */
    private static float write(PDPageContentStream out, float size, PDFont font, String text, float x, float y,
            float width, float hangingIndent) throws IOException {
        List<String> lines = wrap(font, size, text, width);
        for (int i = 0; i < lines.size(); i++) {
            out.beginText();
            out.setFont(font, size);
            out.newLineAtOffset(x + (i == 0 ? 0 : hangingIndent), y);
            out.showText(lines.get(i));
            out.endText();
            y -= size * 1.3f;
        }
        return y;
    }

    private static List<String> wrap(PDFont font, float size, String text, float width) throws IOException {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            String candidate = line.length() == 0 ? word : line + " " + word;
            if (line.length() > 0 && font.getStringWidth(candidate) / 1000 * size > width) {
                lines.add(line.toString());
                line.setLength(0);
                line.append(word);
            } else {
                line.setLength(0);
                line.append(candidate);
            }
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        return lines;
    }

    /** A handout's pages: a new page when the next thing does not fit. */
    private static final class Writer {
        private final PDDocument doc;
        PDPage page;
        PDPageContentStream out;
        float y;

        Writer(PDDocument doc) throws IOException {
            this.doc = doc;
            newPage();
        }

        void room(float needed) throws IOException {
            if (y - needed < 60) {
                newPage();
            }
        }

        private void newPage() throws IOException {
            close();
            page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            out = new PDPageContentStream(doc, page);
            y = 780;
        }

        void close() throws IOException {
            if (out != null) {
                out.close();
                out = null;
            }
        }
    }

    /**
     * {@code PdfFiles DIR PAGES BOMB_MB}: the files deploy/bench/pdf-bench.sh serves: a handout of PAGES pages
     * (throughput) and the hostile set, each named for what it is (a bomb inflating to BOMB_MB megabytes).
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: PdfFiles DIR PAGES BOMB_MB");
            System.exit(2);
        }
        java.nio.file.Path dir = java.nio.file.Files.createDirectories(java.nio.file.Path.of(args[0]));
        byte[] deck = slides("Lecture 3 slides", null, List.of(new Slide("Routing", List.of("Lecture 3")),
                new Slide("Route parameters", List.of("- req.params holds the named parts of the path"))));
        java.util.Map<String, byte[]> files = new java.util.LinkedHashMap<>();
        files.put("handout-" + args[1] + ".pdf", pages(Integer.parseInt(args[1]), 300));
        files.put("slides.pdf", deck);
        files.put("encrypted.pdf", encrypted(deck, "student"));
        files.put("no-extract.pdf", extractionForbidden(deck));
        files.put("corrupt.pdf", corrupt(64 * 1024));
        files.put("truncated.pdf", truncated(pages(20, 200), 0.5));
        files.put("scan.pdf", scan(3));
        files.put("bomb.pdf", bomb(Long.parseLong(args[2]) * 1024 * 1024));
        files.put("pages-500.pdf", pages(500, 40));
        files.put("handout", deck); // no extension: served as application/octet-stream
        files.put("notes.html", deck); // a PDF under an HTML name: served as text/html
        files.put("login.pdf", "<html><body><h1>Log in</h1><p>Members only.</p></body></html>"
                .getBytes(StandardCharsets.UTF_8)); // HTML under a PDF name: served as application/pdf
        files.put("big.pdf", corrupt(30 * 1024 * 1024)); // past pdf.max-bytes (25 MB)
        for (java.util.Map.Entry<String, byte[]> file : files.entrySet()) {
            java.nio.file.Files.write(dir.resolve(file.getKey()), file.getValue());
            System.out.println(file.getKey() + " " + file.getValue().length);
        }
    }
}
