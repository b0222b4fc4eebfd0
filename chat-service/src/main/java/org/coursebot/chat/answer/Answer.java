package org.coursebot.chat.answer;

import java.util.List;

import org.coursebot.model.Citation;

/** An answer with the sources it used, numbered as the text cites them ([1], [2]...). */
public record Answer(String answer, List<Citation> citations, boolean covered, String mode, boolean degraded) {
}
