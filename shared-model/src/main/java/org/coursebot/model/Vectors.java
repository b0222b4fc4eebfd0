package org.coursebot.model;

import java.sql.SQLException;

import com.pgvector.PGvector;

/** pgvector's text form ({@code [0.1,0.2,...]}), for binding vectors as text parameters and reading them back. */
public final class Vectors {

    private Vectors() {
    }

    public static String toText(float[] vector) {
        return new PGvector(vector).getValue();
    }

    public static float[] fromText(String text) {
        try {
            return new PGvector(text).toArray();
        } catch (SQLException e) {
            throw new IllegalArgumentException("not a pgvector value: " + abbreviate(text), e);
        }
    }

    private static String abbreviate(String text) {
        return text == null || text.length() <= 40 ? String.valueOf(text) : text.substring(0, 40) + "…";
    }
}
