package org.coursebot.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml as Debian's docker-compose resolves it ({@code docker-compose config} validates against
 * the Compose schema without an engine; deploy/local/tools.sh installs it), then its content.
 */
@SuppressWarnings("unchecked")
class DockerComposeTests {

    private static Map<String, Object> services;

    @TempDir
    static Path temp;

    @BeforeAll
    static void resolve() throws Exception {
        Repo.Run run = compose(Map.of("ADMIN_TOKEN", "test-token"));
        assertThat(run.exitCode()).as("docker-compose config:\n%s", run).isZero();
        services = (Map<String, Object>) ((Map<String, Object>) new Yaml().load(run.stdout())).get("services");
    }

    @Test
    void refusesToStartWithoutAnAdminTokenAndSaysHowToMakeOne() throws Exception {
        Repo.Run run = compose(Map.of());
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.stderr()).contains("deploy/local/compose-env.sh");
    }

    @Test
    void runsPgvectorAndBothServicesBuiltFromTheirDockerfilesAtTheRepositoryRoot() {
        assertThat(services).containsKeys("postgres", "ingest-service", "chat-service");
        assertThat(service("postgres")).containsEntry("image", "pgvector/pgvector:pg17");
        for (String name : List.of("ingest-service", "chat-service")) {
            Map<String, Object> build = (Map<String, Object>) service(name).get("build");
            assertThat(Path.of((String) build.get("context"))).isEqualTo(Repo.root());
            assertThat(build).containsEntry("dockerfile", name + "/src/main/docker/Dockerfile.jvm");
        }
    }

    @Test
    void startsEachServiceOnlyOnceWhatItNeedsIsHealthy() {
        for (Object service : services.values()) {
            assertThat((Map<String, Object>) service).containsKey("healthcheck");
        }
        assertThat(dependsOn("ingest-service")).containsEntry("postgres", Map.of("condition", "service_healthy"));
        assertThat(dependsOn("chat-service")).containsEntry("ingest-service", Map.of("condition", "service_healthy"));
        for (String name : List.of("ingest-service", "chat-service")) {
            List<String> test = (List<String>) ((Map<String, Object>) service(name).get("healthcheck")).get("test");
            assertThat(String.join(" ", test)).contains("/q/health/ready");
        }
    }

    @Test
    void givesTheServicesTimeToDrainOnStop() {
        for (String name : List.of("ingest-service", "chat-service")) {
            assertThat(environment(name)).containsEntry("QUARKUS_SHUTDOWN_TIMEOUT", "25s");
            assertThat(service(name)).containsEntry("stop_grace_period", "30s");
        }
    }

    @Test
    void keepsTheDataInANamedVolume() {
        assertThat((List<String>) service("postgres").get("volumes"))
                .anyMatch(v -> v.startsWith("coursebot-pgdata:/var/lib/postgresql/data"));
    }

    @Test
    void ingestsTheSampleCourseOnFirstStart() {
        Map<String, Object> env = environment("ingest-service");
        assertThat(env).containsEntry("COURSEBOT_INGEST_ON_START", "true")
                .containsEntry("COURSEBOT_SOURCES_DEMO_BASE_URL", "http://localhost:8090/");
        String directory = (String) env.get("COURSEBOT_SOURCES_DEMO_DIRECTORY");
        assertThat((List<String>) service("ingest-service").get("volumes"))
                .contains(Repo.root().resolve("deploy/demo-course") + ":" + directory + ":ro");
    }

    @Test
    void passesTheSameVariablesAsTheRenderBlueprint() {
        Map<String, Object> blueprint = new Yaml().load(Repo.read("deploy/render.yaml"));
        Map<String, Object> project = ((List<Map<String, Object>>) blueprint.get("projects")).get(0);
        Map<String, Set<String>> groups = new java.util.HashMap<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) project.get("envVarGroups")) {
            Set<String> keys = new HashSet<>();
            ((List<Map<String, Object>>) group.get("envVars")).forEach(v -> keys.add((String) v.get("key")));
            groups.put((String) group.get("name"), keys);
        }
        Map<String, Object> production = ((List<Map<String, Object>>) project.get("environments")).stream()
                .filter(e -> "production".equals(e.get("name"))).findFirst().orElseThrow();
        for (Map<String, Object> service : (List<Map<String, Object>>) production.get("services")) {
            String composeName = ((String) service.get("name")).replace("coursebot-", "") + "-service";
            Set<String> renderKeys = new HashSet<>();
            for (Map<String, Object> var : (List<Map<String, Object>>) service.get("envVars")) {
                if (var.containsKey("fromGroup")) {
                    renderKeys.addAll(groups.get((String) var.get("fromGroup")));
                } else {
                    renderKeys.add((String) var.get("key"));
                }
            }
            // Sources are named per deployment (Render crawls "course", compose reads the sample "demo").
            renderKeys.removeIf(key -> key.startsWith("COURSEBOT_SOURCES_"));
            assertThat(environment(composeName).keySet()).as(composeName).containsAll(renderKeys);
        }
    }

    @Test
    void givesChatTheReadOnlyRoleAndNeverTheOwnersUrl() {
        assertThat(environment("chat-service")).containsKey("CHAT_DATABASE_URL").doesNotContainKey("DATABASE_URL");
        assertThat((String) environment("chat-service").get("CHAT_DATABASE_URL")).contains("//coursebot_chat:");
        assertThat(Repo.read("deploy/local/compose-initdb/10-chat-role.sql")).contains("CREATE ROLE coursebot_chat");
    }

    @Test
    void publishesPortsOnLoopbackOnly() {
        for (Map.Entry<String, Object> e : services.entrySet()) {
            List<String> ports = (List<String>) ((Map<String, Object>) e.getValue()).getOrDefault("ports", List.of());
            assertThat(ports).as(e.getKey()).allMatch(p -> p.startsWith("127.0.0.1:"));
        }
    }

    private static Repo.Run compose(Map<String, String> env) throws Exception {
        // An empty env file, so that a developer's own .env cannot make the test pass or fail.
        Path envFile = Files.writeString(Files.createTempFile(temp, "compose", ".env"), "");
        return Repo.run(env, List.of("docker-compose", "--env-file", envFile.toString(), "-f",
                Repo.file("docker-compose.yml").toString(), "config"));
    }

    private static Map<String, Object> service(String name) {
        return (Map<String, Object>) services.get(name);
    }

    private static Map<String, Object> dependsOn(String name) {
        return (Map<String, Object>) service(name).get("depends_on");
    }

    private static Map<String, Object> environment(String name) {
        return (Map<String, Object>) service(name).get("environment");
    }
}
