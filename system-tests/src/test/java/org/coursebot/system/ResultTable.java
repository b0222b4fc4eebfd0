package org.coursebot.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A suite's result table in Markdown: printed to the test output and written to system-tests/target/FILE. */
public final class ResultTable {

    private ResultTable() {
    }

    /** {@code columns} are the header's cells; each row is already a Markdown table row. */
    public static void publish(Path repo, String title, String file, List<String> columns, List<String> rows)
            throws IOException {
        StringBuilder out = new StringBuilder("| " + String.join(" | ", columns) + " |\n|"
                + "---|".repeat(columns.size()) + "\n");
        rows.forEach(row -> out.append(row).append('\n'));
        System.out.println("\n" + title + "\n" + out);
        Path target = Files.createDirectories(repo.resolve("system-tests/target"));
        Files.writeString(target.resolve(file), out);
    }
}
