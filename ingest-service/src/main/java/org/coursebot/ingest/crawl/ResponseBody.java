package org.coursebot.ingest.crawl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A 2xx response's body: in memory ({@code bytes}), or, for a PDF past the first kilobyte, in a temporary
 * {@code file} that whoever reads it deletes. {@code pdf}: the body starts like a PDF ({@code %PDF-}), whatever its
 * Content-Type or URL said.
 */
record ResponseBody(byte[] bytes, Path file, boolean pdf) {

    static ResponseBody inMemory(byte[] bytes, boolean pdf) {
        return new ResponseBody(bytes, null, pdf);
    }

    static ResponseBody spooled(Path file) {
        return new ResponseBody(null, file, true);
    }

    /** Deletes the temporary file, if any; blocking (a local unlink). */
    void delete() {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // the crawl's spool folder goes when the crawl ends
            }
        }
    }
}
