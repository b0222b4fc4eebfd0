package org.coursebot.deploy;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.List;

/** The root .dockerignore's patterns, matched the way Docker does for the plain patterns we use. */
record DockerIgnore(List<String> patterns) {

    static DockerIgnore read() {
        return new DockerIgnore(Repo.read(".dockerignore").lines().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList());
    }

    /** Whether a path relative to the build context stays out of it (itself or a folder above it). */
    boolean ignores(String relative) {
        Path path = Path.of(relative);
        for (int n = 1; n <= path.getNameCount(); n++) {
            Path prefix = path.subpath(0, n);
            for (String pattern : patterns) {
                if (pattern.startsWith("!")) {
                    throw new IllegalStateException("negated .dockerignore patterns are not understood here: " + pattern);
                }
                if (matches(pattern, prefix)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean matches(String pattern, Path path) {
        String p = pattern.endsWith("/") ? pattern.substring(0, pattern.length() - 1) : pattern;
        if (FileSystems.getDefault().getPathMatcher("glob:" + p).matches(path)) {
            return true;
        }
        // Docker's "**/x" also matches x at the top of the context.
        return p.startsWith("**/") && FileSystems.getDefault().getPathMatcher("glob:" + p.substring(3)).matches(path);
    }
}
