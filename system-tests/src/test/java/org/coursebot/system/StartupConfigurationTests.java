package org.coursebot.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A malformed database URL stops a packaged service at once with one line naming the variable, never the password. */
class StartupConfigurationTests {

    @ParameterizedTest
    @CsvSource({
            "ingest-service, DATABASE_URL, mysql://u:topsecret@db/coursebot",
            "ingest-service, DATABASE_URL, postgresql://u:topsecret@db:5432",
            "chat-service, CHAT_DATABASE_URL, postgresql://u:topsecret@/coursebot",
            "chat-service, DATABASE_URL, not a url at all topsecret"})
    void aMalformedDatabaseUrlIsOneLineNamingTheVariable(String service, String variable, String url) throws Exception {
        Path jar = RunningSystem.repoRoot().resolve(service + "/target/quarkus-app/quarkus-run.jar");
        assertThat(jar).as("built by the reactor before this module").isRegularFile();
        ProcessBuilder builder = new ProcessBuilder("java", "-jar", jar.toString()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.endsWith("DATABASE_URL"));
        builder.environment().put(variable, url);
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exits by itself").isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(output.lines()).singleElement().asString()
                .contains(variable + " is not a valid PostgreSQL URL").doesNotContain("topsecret");
    }
}
