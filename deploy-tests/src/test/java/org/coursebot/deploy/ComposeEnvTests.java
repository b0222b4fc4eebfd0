package org.coursebot.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** deploy/local/compose-env.sh: the ADMIN_TOKEN docker-compose.yml insists on, generated once. */
class ComposeEnvTests {

    @TempDir
    Path dir;

    @Test
    void writesARandomTokenOnceReadableOnlyByTheOwner() throws Exception {
        Path env = dir.resolve(".env");
        assertThat(Repo.run(List.of("bash", "deploy/local/compose-env.sh", "--file", env.toString())).exitCode()).isZero();
        String first = Files.readString(env);
        assertThat(first).matches("ADMIN_TOKEN=[0-9a-f]{64}\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(env))).isEqualTo("rw-------");

        Repo.Run again = Repo.run(List.of("bash", "deploy/local/compose-env.sh", "--file", env.toString()));
        assertThat(again.exitCode()).isZero();
        assertThat(again.stdout() + again.stderr()).isEmpty();
        assertThat(Files.readString(env)).isEqualTo(first);

        Path other = dir.resolve("other.env");
        Repo.run(List.of("bash", "deploy/local/compose-env.sh", "--file", other.toString()));
        assertThat(Files.readString(other)).isNotEqualTo(first);
    }

    @Test
    void addsATokenToAnEnvFileThatHasNone() throws Exception {
        Path env = Files.writeString(dir.resolve(".env"), "OPENAI_API_KEY=sk-test\n");
        assertThat(Repo.run(List.of("bash", "deploy/local/compose-env.sh", "--file", env.toString())).exitCode()).isZero();
        assertThat(Files.readAllLines(env)).hasSize(2).first().isEqualTo("OPENAI_API_KEY=sk-test");
        assertThat(Files.readAllLines(env).get(1)).matches("ADMIN_TOKEN=[0-9a-f]{64}");
    }
}
