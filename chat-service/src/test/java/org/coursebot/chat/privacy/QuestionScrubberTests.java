package org.coursebot.chat.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The question log's scrubbing (issue 20): what must go, and what must stay. */
class QuestionScrubberTests {

    @Test
    void removesEmailAddressesPhoneNumbersLongDigitRunsAndSecrets() {
        record Case(String question, String scrubbed) {
        }
        for (Case c : List.of(
                new Case("mail me at jane.doe+course@uni.example.edu please", "mail me at [email] please"),
                new Case("call +41 44 668 18 00 or (555) 123-4567", "call [phone] or [phone]"),
                new Case("my phone is 0176.1234.5678", "my phone is [phone]"),
                new Case("student id 20231234567 cannot log in", "student id [number] cannot log in"),
                new Case("card 4111111111111111 was refused", "card [number] was refused"),
                new Case("why does sk-proj-AbC123dEf456GhI789 not work", "why does [secret] not work"),
                new Case("my token ghp_16C7e42F292c6912E7710c838347Ae178B4a leaked", "my token [secret] leaked"),
                new Case("Authorization: Bearer abc.def-ghi_123", "Authorization: Bearer [secret]"),
                new Case("password=hunter2hunter2 is wrong", "password=[secret] is wrong"),
                new Case("jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
                        "jwt [secret]"),
                new Case("key 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 in config",
                        "key [secret] in config"),
                // issue 27: a number that ends the sentence, several national formats
                new Case("my phone is +358 40 1234567.", "my phone is [phone]."),
                new Case("ring 070-123 45 67, or 030 12345678.", "ring [phone], or [phone]."),
                new Case("call 06 12 34 56 78 or +1 (415) 555-0132!", "call [phone] or [phone]!"),
                new Case("card 4111 1111 1111 1111 was charged twice", "card [phone] was charged twice"),
                new Case("my IBAN is DE89 3704 0044 0532 0130 00.", "my IBAN is [iban]."),
                new Case("refund FI2112345600000785 please", "refund [iban] please"),
                new Case("I live at Kalevankatu 17 B 23, 00100 Helsinki", "I live at [address], 00100 Helsinki"),
                new Case("Jane Doe, 221B Baker Street, London", "Jane Doe, [address], London"),
                new Case("at 1600 Amphitheatre Parkway, Mountain View", "at [address], Mountain View"),
                new Case("Hauptstraße 5a, Berlin; or Storgatan 12", "[address], Berlin; or [address]"),
                new Case("send it to Via Roma 12", "send it to [address]"))) {
            assertThat(QuestionScrubber.scrub(c.question())).as(c.question()).isEqualTo(c.scrubbed());
        }
    }

    @Test
    void stripLeavesThePersonalDataOutAndTheQuestionAsItIs() {
        assertThat(QuestionScrubber.strip("How do I read JSON in Express? My e-mail is jane.doe@example.org and my"
                + " phone is +358 40 1234567.")).isEqualTo("How do I read JSON in Express? My e-mail is and my phone is .");
        assertThat(QuestionScrubber.strip("What does EADDRINUSE mean?")).isEqualTo("What does EADDRINUSE mean?");
        assertThat(QuestionScrubber.strip(null)).isNull();
    }

    @Test
    void leavesEveryQuestionOfBothSampleCoursesAsItIs() throws IOException {
        List<String> questions = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String course : List.of("deploy/demo-course", "deploy/git-course")) {
            for (String line : Files.readAllLines(repo().resolve(course).resolve("questions.jsonl"))) {
                if (!json.readTree(line).has("kind")) { // those with personal details added are not plain questions
                    questions.add(json.readTree(line).get("question").asText());
                }
            }
        }
        assertThat(questions).hasSizeGreaterThan(200);
        assertThat(questions).allSatisfy(q -> assertThat(QuestionScrubber.scrub(q)).isEqualTo(q));
    }

    @Test
    void leavesCodeVersionsPortsAndTimesAsTheyAre() {
        for (String q : List.of("Error: listen EADDRINUSE: address already in use :::3001",
                "node v18.19.1 vs 20.11.0", "HTTP 404 at 10:45:30", "git commit -m 'fix' on 2024-05-17",
                "what does 0x7fffffff mean", "npm install express@4.18.2", "the hash a1b2c3d of my commit",
                "ports 8080 and 5432", "ISBN 978-3-16", "chmod 755 and umask 022")) {
            assertThat(QuestionScrubber.scrub(q)).as(q).isEqualTo(q);
        }
        assertThat(QuestionScrubber.scrub(null)).isNull();
        assertThat(QuestionScrubber.scrub("")).isEmpty();
    }

    private static Path repo() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("deploy/demo-course"))) {
                return p;
            }
        }
        throw new IllegalStateException("deploy/demo-course not found above " + dir);
    }
}
