package org.coursebot.ingest.extract;

import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Where a page sits in the course: {@code part_id} and {@code module_id} read from its URL path, each nullable. */
record CoursePosition(String partId, String moduleId) {

    static final CoursePosition NONE = new CoursePosition(null, null);

    /** Applies {@code pattern} (named groups {@code part}, {@code module}, either optional) to the URL's path. */
    static CoursePosition of(Pattern pattern, String pageUrl) {
        if (pattern == null) {
            return NONE;
        }
        Matcher m = pattern.matcher(path(pageUrl));
        if (!m.find()) {
            return NONE;
        }
        return new CoursePosition(group(m, "part"), group(m, "module"));
    }

    private static String path(String pageUrl) {
        try {
            String path = URI.create(pageUrl).getPath();
            return path == null ? "" : path;
        } catch (IllegalArgumentException e) {
            // Not a valid URI: fall back to everything after the authority, minus query and fragment.
            String rest = pageUrl.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://[^/]*", "");
            return rest.replaceFirst("[?#].*$", "");
        }
    }

    private static String group(Matcher m, String name) {
        try {
            String value = m.group(name);
            return value == null || value.isEmpty() ? null : value;
        } catch (IllegalArgumentException noSuchGroup) {
            // Java 17 has no Matcher.namedGroups(); a pattern may define only one of the two groups.
            return null;
        }
    }
}
