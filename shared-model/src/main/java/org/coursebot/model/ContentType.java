package org.coursebot.model;

import java.util.Locale;

/** What kind of section a chunk comes from; stored lower-case in {@code course_content.content_type}. */
public enum ContentType {
    PAGE, SECTION, SUBSECTION, EXERCISE, CODE;

    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
