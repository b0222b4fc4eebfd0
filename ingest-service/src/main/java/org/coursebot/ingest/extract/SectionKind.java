package org.coursebot.ingest.extract;

import java.util.Locale;
import java.util.regex.Pattern;

import org.coursebot.model.ContentType;
import org.jsoup.nodes.Element;

/**
 * A section's {@code content_type} and {@code importance}.
 *
 * <p>Importance ranks what retrieval should prefer when scores tie: the page section (title and lead text) 1.0,
 * sections (h1 after the page title, h2) 0.9, subsections (h3, h4) 0.8, exercises 0.6 (they ask rather than
 * explain). A code section (its markup says so, or its text is only code blocks) keeps its level's importance.
 */
final class SectionKind {

    static final double PAGE = 1.0;
    static final double SECTION = 0.9;
    static final double SUBSECTION = 0.8;
    static final double EXERCISE = 0.6;

    private static final Pattern EXERCISE_MARKUP = Pattern.compile("(?i)exercise|\\btasks?\\b|\\bassignments?\\b");
    private static final Pattern CODE_MARKUP = Pattern.compile("(?i)\\bcode\\b|\\bcode-(block|example|sample)");

    private SectionKind() {
    }

    /**
     * The type a heading opens before its text is known: page, section, subsection or exercise. An exercise: inside
     * one, or its text matches the course's heading pattern, or it sits in one of the course's exercise boxes, or its
     * markup (class or id, its own or a container's) says exercise, tasks or assignment.
     */
    static ContentType of(Element heading, String title, int level, ContentType parentType, Element root,
            ExerciseMarking exercises) {
        if (parentType == ContentType.EXERCISE || exercises.titleSays(title) || exercises.inBox(heading, root)
                || markupSays(heading, root, EXERCISE_MARKUP)) {
            return ContentType.EXERCISE;
        }
        return level <= 2 ? ContentType.SECTION : ContentType.SUBSECTION;
    }

    /**
     * Whether an element sits in an exercise box: one of the course's exercise boxes, or a container whose class or
     * id says exercise, tasks or assignment (a box without a heading of its own, whose text is its section's).
     */
    static boolean inExerciseBox(Element e, Element root, ExerciseMarking exercises) {
        return exercises.inBox(e, root) || markupSays(e, root, EXERCISE_MARKUP);
    }

    /** The type of a section known by its title alone (a PDF's): exercise, section or subsection. */
    static ContentType ofTitle(String title, int level, ExerciseMarking exercises) {
        if (exercises.titleSays(title)) {
            return ContentType.EXERCISE;
        }
        return level <= 2 ? ContentType.SECTION : ContentType.SUBSECTION;
    }

    /** Refines a section or subsection into code once its text is known. */
    static ContentType refine(ContentType type, Element heading, boolean onlyCode) {
        if (type != ContentType.SECTION && type != ContentType.SUBSECTION) {
            return type;
        }
        boolean codeMarkup = heading != null && CODE_MARKUP.matcher(heading.className()).find();
        return onlyCode || codeMarkup ? ContentType.CODE : type;
    }

    static double importance(ContentType type, int level) {
        return switch (type) {
            case PAGE -> PAGE;
            case SECTION -> SECTION;
            case SUBSECTION -> SUBSECTION;
            case EXERCISE -> EXERCISE;
            case CODE -> level <= 2 ? SECTION : SUBSECTION;
        };
    }

    /** Whether the heading, or a container around it inside the content root, carries the class or id. */
    private static boolean markupSays(Element heading, Element root, Pattern pattern) {
        for (Element e = heading; e != null; e = e.parent()) {
            String marks = (e.className() + " " + e.id()).toLowerCase(Locale.ROOT);
            if (!marks.isBlank() && pattern.matcher(marks).find()) {
                return true;
            }
            if (e == root) {
                return false;
            }
        }
        return false;
    }
}
