package org.coursebot.system.faults;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import org.coursebot.model.DatabaseUrl;

/**
 * What an ingest left in a database, row by row, to compare with a clean reference ingest of the same site:
 * each chunk's id, content hash, page, citation url, position and model, and (when vectors are compared) a
 * digest of its vector, so a vector attached to the wrong text shows up too; and each page row's content hash.
 */
public record CourseSnapshot(Map<String, String> chunks, Map<String, String> pages, int duplicateChunkPositions) {

    /** Reads a database; {@code withVectors} adds each vector's digest to its row. */
    public static CourseSnapshot read(String databaseUrl, boolean withVectors) throws SQLException {
        DatabaseUrl url = DatabaseUrl.parse("database", databaseUrl);
        String vector = withVectors ? "md5(embedding::text)" : "''";
        Map<String, String> chunks = new HashMap<>();
        Map<String, String> pages = new HashMap<>();
        int duplicates;
        try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
                Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT id::text, concat_ws('|', content_hash, page_url, url, position,"
                    + " embedding_model, " + vector + ") FROM course_content")) {
                while (rs.next()) {
                    chunks.put(rs.getString(1), rs.getString(2));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT url, content_hash FROM page")) {
                while (rs.next()) {
                    pages.put(rs.getString(1), rs.getString(2));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM (SELECT page_url, position FROM course_content"
                    + " GROUP BY 1, 2 HAVING count(*) > 1) d")) {
                rs.next();
                duplicates = rs.getInt(1);
            }
        }
        return new CourseSnapshot(chunks, pages, duplicates);
    }

    /** Chunk rows missing, extra or different from the reference, plus page rows likewise. */
    public int rowsDifferingFrom(CourseSnapshot reference) {
        return differing(chunks, reference.chunks).size() + differing(pages, reference.pages).size()
                + duplicateChunkPositions;
    }

    /** The same, leaving out the chunks and page rows of the given pages (pages expected to have failed). */
    public int rowsDifferingFrom(CourseSnapshot reference, Set<String> exceptPages) {
        return without(this, exceptPages).rowsDifferingFrom(without(reference, exceptPages));
    }

    /** The reference as far as these pages go: their chunks and page rows only. */
    public CourseSnapshot restrictedTo(Set<String> pageUrls) {
        Set<String> others = new HashSet<>(pages.keySet());
        chunks.values().forEach(row -> others.add(row.split("\\|", -1)[1]));
        others.removeAll(pageUrls);
        return without(this, others);
    }

    /** The same rows with another embedding model's name (to compare a local-model ingest with the reference). */
    public CourseSnapshot withModel(String from, String to) {
        Map<String, String> renamed = new HashMap<>();
        chunks.forEach((id, row) -> renamed.put(id, row.replace("|" + from + "|", "|" + to + "|")));
        return new CourseSnapshot(renamed, pages, duplicateChunkPositions);
    }

    /** A few of the differing keys, for an assertion message. */
    public String describeDifference(CourseSnapshot reference) {
        Set<String> keys = new TreeSet<>(differing(chunks, reference.chunks));
        keys.addAll(differing(pages, reference.pages));
        return keys.size() + " differing (first: " + keys.stream().limit(5).toList() + "), chunks " + chunks.size()
                + " vs " + reference.chunks.size() + ", pages " + pages.size() + " vs " + reference.pages.size();
    }

    private static Set<String> differing(Map<String, String> actual, Map<String, String> expected) {
        Set<String> keys = new HashSet<>(actual.keySet());
        keys.addAll(expected.keySet());
        keys.removeIf(k -> Objects.equals(actual.get(k), expected.get(k)));
        return keys;
    }

    private static CourseSnapshot without(CourseSnapshot snapshot, Set<String> pageUrls) {
        Map<String, String> chunks = new HashMap<>(snapshot.chunks);
        chunks.values().removeIf(row -> pageUrls.stream().anyMatch(p -> row.contains("|" + p + "|")));
        Map<String, String> pages = new HashMap<>(snapshot.pages);
        pages.keySet().removeAll(pageUrls);
        return new CourseSnapshot(chunks, pages, snapshot.duplicateChunkPositions);
    }
}
