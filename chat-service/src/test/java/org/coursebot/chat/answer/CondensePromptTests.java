package org.coursebot.chat.answer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.coursebot.chat.answer.ChatService.Turn;
import org.junit.jupiter.api.Test;

class CondensePromptTests {

    @Test
    void showsTheLatestTurnsWithoutWhatTheStudentWroteAboutThemselvesAndCutsLongAnswersShort() {
        List<Turn> history = List.of(
                new Turn("user", "What is npm?"),
                new Turn("assistant", "A package manager [1]."),
                new Turn("user", "I'm Jonas Weber, jonas.weber@example.org. How do I read a JSON body in Express?"),
                new Turn("assistant", "Use express.json() [1]. " + "More words. ".repeat(100)));
        List<ChatModelClient.Message> messages = CondensePrompt.messages("and how do I send it back?", history, 2);
        assertThat(messages).extracting(ChatModelClient.Message::role).containsExactly("system", "user");
        String conversation = messages.get(1).content();
        assertThat(conversation).doesNotContain("What is npm?").as("only the latest 2 turns")
                .contains("Student: How do I read a JSON body in Express?")
                .doesNotContain("jonas", "Jonas", "example.org")
                .contains("<question>\nand how do I send it back?\n</question>");
        String answer = conversation.lines().filter(l -> l.startsWith("Assistant: ")).findFirst().orElseThrow();
        assertThat(answer.length()).isLessThanOrEqualTo("Assistant: ".length() + CondensePrompt.TURN_CHARS + 2);
    }

    @Test
    void theStandaloneQuestionIsTheRepliesFirstLineUnquotedAndNothingThatIsNotAQuestion() {
        assertThat(CondensePrompt.standalone("  \"How do I send JSON back in Express?\"\n")).isEqualTo(
                "How do I send JSON back in Express?");
        assertThat(CondensePrompt.standalone("Standalone question: How do I undo a commit?\nThat is all."))
                .isEqualTo("How do I undo a commit?");
        assertThat(CondensePrompt.standalone("   ")).isNull();
        assertThat(CondensePrompt.standalone("<question>")).isNull();
        assertThat(CondensePrompt.standalone("You send it back with res.json(). ".repeat(15))).as("an answer").isNull();
    }
}
