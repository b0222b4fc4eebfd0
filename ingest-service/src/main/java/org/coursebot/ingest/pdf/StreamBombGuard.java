package org.coursebot.ingest.pdf;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDocument;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSObject;
import org.apache.pdfbox.cos.COSObjectKey;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.filter.DecodeOptions;
import org.apache.pdfbox.filter.Filter;
import org.apache.pdfbox.filter.FilterFactory;

/**
 * Refuses a document whose streams inflate past a bound, before PDFBox reads them. PDFBox 3 decodes a stream
 * (content, font, ToUnicode map) whole into heap buffers ({@code Filter.decode} into a
 * {@code RandomAccessReadWriteBuffer}): one 1 MB FlateDecode stream of zeros is 1 GB, and ingest-service's heap
 * is 128 MB. So every stream text extraction may decode is first decoded here into a counting sink that stops at
 * the bound, streaming (PDFBox's filters write as they read), and never kept. Images are skipped: text
 * extraction never decodes them.
 */
final class StreamBombGuard {

    /** Image codecs: only images use them, and text extraction leaves images encoded. */
    private static final Set<COSName> IMAGE_FILTERS = Set.of(COSName.DCT_DECODE, COSName.DCT_DECODE_ABBREVIATION,
            COSName.JPX_DECODE, COSName.JBIG2_DECODE, COSName.CCITTFAX_DECODE, COSName.CCITTFAX_DECODE_ABBREVIATION);

    private final long maxStreamBytes;
    private final long maxTotalBytes;

    StreamBombGuard(long maxStreamBytes, long maxTotalBytes) {
        this.maxStreamBytes = maxStreamBytes;
        this.maxTotalBytes = maxTotalBytes;
    }

    /** Throws {@link UnreadablePdfException} when one stream, or all of them together, decode past the bounds. */
    void check(COSDocument document) throws IOException {
        long total = 0;
        for (COSObjectKey key : new ArrayList<>(document.getXrefTable().keySet())) {
            COSObject object = document.getObjectFromPool(key);
            COSBase base = object == null ? null : object.getObject();
            if (base instanceof COSStream stream && !COSName.IMAGE.equals(stream.getCOSName(COSName.SUBTYPE))) {
                total += decodedSize(stream);
                if (total > maxTotalBytes) {
                    throw new UnreadablePdfException("decompression bomb: its streams inflate to more than "
                            + megabytes(maxTotalBytes) + " in all");
                }
            }
        }
    }

    private long decodedSize(COSStream stream) throws IOException {
        List<COSName> filters = filters(stream.getFilters());
        if (filters.isEmpty() || filters.stream().anyMatch(IMAGE_FILTERS::contains)) {
            return filters.isEmpty() ? stream.getLength() : 0;
        }
        try (InputStream raw = stream.createRawInputStream()) {
            InputStream input = raw;
            for (int i = 0; i < filters.size(); i++) {
                boolean last = i == filters.size() - 1;
                // an intermediate stage is kept for the next filter, bounded like the last one
                Sink sink = last ? new Sink(maxStreamBytes, null) : new Sink(maxStreamBytes, new ByteArrayOutputStream());
                try {
                    Filter filter = FilterFactory.INSTANCE.getFilter(filters.get(i));
                    filter.decode(input, sink, stream, i, DecodeOptions.DEFAULT);
                } catch (TooLarge e) {
                    throw new UnreadablePdfException("decompression bomb: a stream inflates to more than "
                            + megabytes(maxStreamBytes));
                } catch (IOException | RuntimeException e) {
                    return sink.count; // broken data: PDFBox itself decides what to do with it
                }
                if (last) {
                    return sink.count;
                }
                input = new ByteArrayInputStream(sink.kept.toByteArray());
            }
        }
        return 0;
    }

    private static List<COSName> filters(COSBase filters) {
        List<COSName> names = new ArrayList<>();
        if (filters instanceof COSName name) {
            names.add(name);
        } else if (filters instanceof COSArray array) {
            for (int i = 0; i < array.size(); i++) {
                if (array.getObject(i) instanceof COSName name) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    static String megabytes(long bytes) {
        return (bytes / (1024 * 1024)) + " MB";
    }

    /** Passing the bound. */
    private static final class TooLarge extends IOException {
        TooLarge() {
            super("past the bound", null);
        }
    }

    /** Counts what a filter writes, keeps it only when asked, and stops the filter at the bound. */
    private static final class Sink extends OutputStream {
        private final long bound;
        private final ByteArrayOutputStream kept;
        private long count;

        Sink(long bound, ByteArrayOutputStream kept) {
            this.bound = bound;
            this.kept = kept;
        }

        @Override
        public void write(int b) throws IOException {
            count(1);
            if (kept != null) {
                kept.write(b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            count(len);
            if (kept != null) {
                kept.write(b, off, len);
            }
        }

        private void count(int n) throws TooLarge {
            count += n;
            if (count > bound) {
                throw new TooLarge();
            }
        }
    }
}
