package org.coursebot.chat.answer;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How answers are written. */
@ConfigMapping(prefix = "coursebot.answer")
public interface AnswerConfig {

    /** Passages an extractive answer quotes. */
    @WithDefault("3")
    int extractivePassages();

    /** Sentences kept from each quoted passage. */
    @WithDefault("3")
    int extractiveSentences();
}
