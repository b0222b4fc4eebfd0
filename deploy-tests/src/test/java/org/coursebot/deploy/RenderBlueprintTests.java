package org.coursebot.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** deploy/render.yaml read as Render reads a Blueprint, and held to what Coursebot needs from it. */
@SuppressWarnings("unchecked")
class RenderBlueprintTests {

    /** Fields of a service and of a database in Render's Blueprint reference; anything else is a typo. */
    private static final Set<String> SERVICE_FIELDS = Set.of("type", "name", "runtime", "plan", "region", "repo",
            "branch", "rootDir", "dockerfilePath", "dockerContext", "dockerCommand", "healthCheckPath", "autoDeploy",
            "autoDeployTrigger", "envVars", "numInstances", "scaling", "preDeployCommand", "maxShutdownDelaySeconds",
            "domains", "buildFilter", "disk", "registryCredential", "image", "previews");
    private static final Set<String> DATABASE_FIELDS = Set.of("name", "databaseName", "user", "plan", "region",
            "postgresMajorVersion", "ipAllowList", "diskSizeGB", "highAvailability", "readReplicas", "previews");
    private static final Set<String> ENV_SOURCES = Set.of("value", "fromDatabase", "fromService", "sync",
            "generateValue");

    private static Map<String, Object> blueprint;

    @BeforeAll
    static void load() {
        blueprint = new Yaml().load(Repo.read("deploy/render.yaml"));
    }

    @Test
    void declaresTwoDockerWebServicesOnTheStarterPlan() {
        assertThat(services()).extracting(s -> s.get("name")).containsExactlyInAnyOrder("coursebot-ingest",
                "coursebot-chat");
        for (Map<String, Object> service : services()) {
            assertThat(service).containsEntry("type", "web").containsEntry("runtime", "docker")
                    .containsEntry("plan", "starter");
        }
    }

    @Test
    void buildsEachServiceFromItsOwnJvmDockerfileWithTheRepositoryAsContext() {
        assertThat(service("coursebot-ingest")).containsEntry("dockerfilePath",
                "./ingest-service/src/main/docker/Dockerfile.jvm");
        assertThat(service("coursebot-chat")).containsEntry("dockerfilePath",
                "./chat-service/src/main/docker/Dockerfile.jvm");
        for (Map<String, Object> service : services()) {
            assertThat(service).containsEntry("dockerContext", ".");
            assertThat(Repo.file((String) service.get("dockerfilePath"))).isRegularFile();
        }
    }

    @Test
    void sendsTrafficToANewInstanceOnlyOnceReadinessPasses() {
        for (Map<String, Object> service : services()) {
            assertThat(service).containsEntry("healthCheckPath", "/q/health/ready");
        }
    }

    @Test
    void letsTheOldInstanceFinishItsRequestsBeforeRenderKillsIt() {
        for (Map<String, Object> service : services()) {
            String timeout = (String) env((String) service.get("name"), "QUARKUS_SHUTDOWN_TIMEOUT").orElseThrow().get("value");
            assertThat(timeout).matches("\\d+s");
            int drain = Integer.parseInt(timeout.substring(0, timeout.length() - 1));
            assertThat(drain).isPositive().isLessThan((Integer) service.get("maxShutdownDelaySeconds"));
        }
    }

    @Test
    void givesIngestTheDatabaseOwnersConnectionString() {
        Map<String, Object> url = env("coursebot-ingest", "DATABASE_URL").orElseThrow();
        assertThat((Map<String, Object>) url.get("fromDatabase"))
                .containsEntry("name", "coursebot-db").containsEntry("property", "connectionString");
    }

    @Test
    void givesChatOnlyTheReadOnlyRolesUrlWhichTheOperatorSets() {
        assertThat(env("coursebot-chat", "CHAT_DATABASE_URL").orElseThrow()).containsEntry("sync", false);
        assertThat(env("coursebot-chat", "DATABASE_URL")).as("chat-service must never hold the owner's URL").isEmpty();
        assertThat(env("coursebot-chat", "ADMIN_TOKEN")).isEmpty();
    }

    @Test
    void promptsForSecretsInsteadOfKeepingThemInTheFile() {
        assertThat(env("coursebot-ingest", "OPENAI_API_KEY").orElseThrow()).containsEntry("sync", false);
        assertThat(env("coursebot-chat", "OPENAI_API_KEY").orElseThrow()).containsEntry("sync", false);
        assertThat(env("coursebot-ingest", "ADMIN_TOKEN").orElseThrow()).containsEntry("sync", false);
        for (Map<String, Object> service : services()) {
            for (Map<String, Object> var : envVars(service)) {
                assertThat(var).as("a key and exactly one source: %s", var).containsKey("key").hasSize(2);
                assertThat(var.keySet()).anyMatch(ENV_SOURCES::contains);
                if (((String) var.get("key")).matches(".*(KEY|TOKEN|SECRET|PASSWORD|DATABASE_URL)$")) {
                    assertThat(var).as("secret %s", var.get("key")).doesNotContainKey("value");
                }
            }
        }
    }

    @Test
    void givesBothServicesTheEmbeddingDimensionOfTheOpenAiModel() {
        assertThat(env("coursebot-ingest", "EMBEDDING_DIMENSION").orElseThrow()).containsEntry("value", "1536");
        assertThat(env("coursebot-chat", "EMBEDDING_DIMENSION").orElseThrow()).containsEntry("value", "1536");
    }

    @Test
    void schedulesTheCourseSourceWithAUnixCron() {
        Map<String, Object> schedule = env("coursebot-ingest", "COURSEBOT_SOURCES_COURSE_SCHEDULE").orElseThrow();
        assertThat(((String) schedule.get("value")).split(" ")).hasSize(5);
        assertThat(env("coursebot-ingest", "COURSEBOT_SOURCES_COURSE_BASE_URL").orElseThrow())
                .containsEntry("sync", false);
    }

    @Test
    void declaresThePostgresDatabaseTheServicesReferTo() {
        List<Map<String, Object>> databases = (List<Map<String, Object>>) blueprint.get("databases");
        assertThat(databases).hasSize(1);
        Map<String, Object> db = databases.get(0);
        assertThat(db).containsEntry("name", "coursebot-db").containsEntry("databaseName", "coursebot")
                .containsKeys("plan", "postgresMajorVersion");
        assertThat(Integer.parseInt((String) db.get("postgresMajorVersion"))).isGreaterThanOrEqualTo(15);
    }

    @Test
    void usesOnlyFieldsOfRendersBlueprintReference() {
        assertThat(blueprint.keySet()).isSubsetOf(Set.of("services", "databases", "envVarGroups", "previews",
                "projects", "ungrouped"));
        for (Map<String, Object> service : services()) {
            assertThat(service.keySet()).isSubsetOf(SERVICE_FIELDS);
        }
        for (Map<String, Object> db : (List<Map<String, Object>>) blueprint.get("databases")) {
            assertThat(db.keySet()).isSubsetOf(DATABASE_FIELDS);
        }
    }

    private static List<Map<String, Object>> services() {
        return (List<Map<String, Object>>) blueprint.get("services");
    }

    private static Map<String, Object> service(String name) {
        return services().stream().filter(s -> name.equals(s.get("name"))).findFirst().orElseThrow();
    }

    private static List<Map<String, Object>> envVars(Map<String, Object> service) {
        return (List<Map<String, Object>>) service.get("envVars");
    }

    private static Optional<Map<String, Object>> env(String service, String key) {
        return envVars(service(service)).stream().filter(v -> key.equals(v.get("key"))).findFirst();
    }
}
