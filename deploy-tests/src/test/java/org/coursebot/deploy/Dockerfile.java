package org.coursebot.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A Dockerfile read into instructions (continuations joined, comments dropped), enough to check it. */
record Dockerfile(List<Instruction> instructions) {

    /** One instruction: its keyword in upper case and the rest of its line. */
    record Instruction(String keyword, String args) {
    }

    static Dockerfile parse(String text) {
        List<Instruction> result = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.isEmpty())) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            current.append(trimmed);
            String joined = current.toString().strip();
            current.setLength(0);
            if (!joined.isEmpty()) {
                int space = joined.indexOf(' ');
                result.add(new Instruction(joined.substring(0, space).toUpperCase(Locale.ROOT),
                        joined.substring(space + 1).strip()));
            }
        }
        return new Dockerfile(result);
    }

    /** The instructions of the last stage: what the image that runs is made of. */
    List<Instruction> finalStage() {
        int from = 0;
        for (int i = 0; i < instructions.size(); i++) {
            if (instructions.get(i).keyword().equals("FROM")) {
                from = i;
            }
        }
        return instructions.subList(from, instructions.size());
    }

    List<Instruction> all(String keyword) {
        return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    /** The last instruction with this keyword in the final stage (Docker uses the last one). */
    String last(String keyword) {
        List<Instruction> found = finalStage().stream().filter(i -> i.keyword().equals(keyword)).toList();
        if (found.isEmpty()) {
            throw new AssertionError("no " + keyword + " in the final stage");
        }
        return found.get(found.size() - 1).args();
    }
}
