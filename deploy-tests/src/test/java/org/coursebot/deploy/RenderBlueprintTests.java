package org.coursebot.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * deploy/render.yaml read as Render reads a Blueprint (one project, environments that each own their services
 * and database, env var groups attached with fromGroup), and held to what Coursebot needs from it.
 */
@SuppressWarnings("unchecked")
class RenderBlueprintTests {

    /**
     * Fields of Render's Blueprint reference (https://render.com/docs/blueprint-spec) and of its projects and env
     * var group patterns (https://render.com/tutorials/advanced-blueprint-patterns/projects-and-environments,
     * .../env-var-groups); anything else is a typo.
     */
    private static final Set<String> ROOT_FIELDS = Set.of("services", "databases", "envVarGroups", "previews",
            "projects", "ungrouped");
    private static final Set<String> PROJECT_FIELDS = Set.of("name", "environments", "envVarGroups");
    private static final Set<String> ENVIRONMENT_FIELDS = Set.of("name", "services", "databases", "envVarGroups");
    private static final Set<String> GROUP_FIELDS = Set.of("name", "envVars");
    private static final Set<String> SERVICE_FIELDS = Set.of("type", "name", "runtime", "plan", "region", "repo",
            "branch", "rootDir", "dockerfilePath", "dockerContext", "dockerCommand", "healthCheckPath", "autoDeploy",
            "autoDeployTrigger", "envVars", "numInstances", "scaling", "preDeployCommand", "maxShutdownDelaySeconds",
            "domains", "buildFilter", "disk", "registryCredential", "image", "previews");
    private static final Set<String> DATABASE_FIELDS = Set.of("name", "databaseName", "user", "plan", "region",
            "postgresMajorVersion", "ipAllowList", "diskSizeGB", "highAvailability", "readReplicas", "previews");
    /** Sources of a service's variable; a group's variables may only use the first two. */
    private static final Set<String> ENV_SOURCES = Set.of("value", "generateValue", "fromDatabase", "fromService",
            "sync");
    private static final Set<String> GROUP_ENV_SOURCES = Set.of("value", "generateValue");
    private static final String SECRET = ".*(KEY|TOKEN|SECRET|PASSWORD|DATABASE_URL)$";

    /** Resource names by environment; production keeps the names of the single-environment Blueprint. */
    private static final Map<String, String> PREFIXES = Map.of("staging", "coursebot-staging",
            "production", "coursebot");
    private static final String SHARED_GROUP = "coursebot-shared";

    private static Map<String, Object> blueprint;

    @BeforeAll
    static void load() {
        blueprint = new Yaml().load(Repo.read("deploy/render.yaml"));
    }

    @Test
    void groupsEverythingInOneProjectWithAStagingAndAProductionEnvironment() {
        assertThat(blueprint.keySet()).as("no resource outside an environment").containsExactly("projects");
        assertThat(projects()).hasSize(1);
        assertThat(project()).containsEntry("name", "coursebot");
        assertThat(environments()).extracting(e -> e.get("name")).containsExactlyInAnyOrder("staging", "production");
    }

    @Test
    void givesEachEnvironmentAnIngestAChatAndADatabaseOfItsOwn() {
        for (Map<String, Object> environment : environments()) {
            String prefix = PREFIXES.get((String) environment.get("name"));
            assertThat(names(list(environment, "services"))).as("services of %s", environment.get("name"))
                    .containsExactlyInAnyOrder(prefix + "-ingest", prefix + "-chat");
            assertThat(names(list(environment, "databases"))).as("databases of %s", environment.get("name"))
                    .containsExactly(prefix + "-db");
        }
    }

    @Test
    void declaresDockerWebServicesWithProductionOnTheStarterPlan() {
        for (Map<String, Object> service : services()) {
            assertThat(service).containsEntry("type", "web").containsEntry("runtime", "docker").containsKey("plan");
        }
        assertThat(service("coursebot-ingest")).containsEntry("plan", "starter");
        assertThat(service("coursebot-chat")).containsEntry("plan", "starter");
    }

    @Test
    void keepsEveryIngestServiceAlwaysOnSoThatItsScheduleFires() {
        // A free instance spins down after 15 minutes without requests, and the schedule runs in-process.
        for (Map<String, Object> environment : environments()) {
            assertThat(ingest(environment).get("plan")).as("plan of %s", ingest(environment).get("name"))
                    .isNotEqualTo("free");
        }
    }

    @Test
    void buildsEachServiceFromItsOwnJvmDockerfileWithTheRepositoryAsContext() {
        for (Map<String, Object> environment : environments()) {
            assertThat(ingest(environment)).containsEntry("dockerfilePath",
                    "./ingest-service/src/main/docker/Dockerfile.jvm");
            assertThat(chat(environment)).containsEntry("dockerfilePath",
                    "./chat-service/src/main/docker/Dockerfile.jvm");
        }
        for (Map<String, Object> service : services()) {
            assertThat(service).containsEntry("dockerContext", ".");
            assertThat(Repo.file((String) service.get("dockerfilePath"))).isRegularFile();
        }
    }

    @Test
    void sendsTrafficToANewInstanceOnlyOnceReadinessPasses() {
        for (Map<String, Object> service : services()) {
            assertThat(service).as((String) service.get("name")).containsEntry("healthCheckPath", "/q/health/ready");
        }
    }

    @Test
    void letsTheOldInstanceFinishItsRequestsBeforeRenderKillsIt() {
        for (Map<String, Object> service : services()) {
            String timeout = (String) env(service, "QUARKUS_SHUTDOWN_TIMEOUT").orElseThrow().get("value");
            assertThat(timeout).matches("\\d+s");
            int drain = Integer.parseInt(timeout.substring(0, timeout.length() - 1));
            assertThat(drain).as((String) service.get("name")).isPositive()
                    .isLessThan((Integer) service.get("maxShutdownDelaySeconds"));
        }
    }

    @Test
    void definesTheSharedSettingsOnceAndAttachesThemToEveryService() {
        Map<String, Object> sharedGroup = group(project(), SHARED_GROUP).orElseThrow();
        List<String> shared = keys(list(sharedGroup, "envVars"));
        assertThat(shared).contains("QUARKUS_SHUTDOWN_TIMEOUT").doesNotHaveDuplicates()
                .as("fixed per database by its first migration: set per environment").doesNotContain("EMBEDDING_DIMENSION");
        assertThat(names(groups())).as("one group of that name").containsOnlyOnce(SHARED_GROUP);
        for (Map<String, Object> group : groups()) {
            if (group != sharedGroup) {
                assertThat(keys(list(group, "envVars"))).as("group %s repeats a shared setting", group.get("name"))
                        .doesNotContainAnyElementsOf(shared);
            }
        }
        for (Map<String, Object> service : services()) {
            assertThat(groupsOf(service)).as((String) service.get("name")).contains(SHARED_GROUP);
            assertThat(keys(envVars(service))).as("%s sets a shared setting again", service.get("name"))
                    .doesNotContainAnyElementsOf(shared);
        }
    }

    @Test
    void givesEachIngestTheOwnersConnectionStringOfItsOwnEnvironmentsDatabase() {
        for (Map<String, Object> environment : environments()) {
            Map<String, Object> url = env(ingest(environment), "DATABASE_URL").orElseThrow();
            assertThat((Map<String, Object>) url.get("fromDatabase"))
                    .containsEntry("name", PREFIXES.get((String) environment.get("name")) + "-db")
                    .containsEntry("property", "connectionString");
        }
    }

    @Test
    void neverPointsAServiceAtAnotherEnvironmentsDatabase() {
        for (Map<String, Object> environment : environments()) {
            List<String> own = names(list(environment, "databases"));
            for (Map<String, Object> service : list(environment, "services")) {
                for (Map<String, Object> var : envVars(service)) {
                    if (var.containsKey("fromDatabase")) {
                        assertThat(((Map<String, Object>) var.get("fromDatabase")).get("name"))
                                .as("%s of %s in %s", var.get("key"), service.get("name"), environment.get("name"))
                                .isIn(own);
                    }
                }
            }
        }
    }

    @Test
    void givesChatOnlyTheReadOnlyRolesUrlWhichTheOperatorSets() {
        for (Map<String, Object> environment : environments()) {
            Map<String, Object> chat = chat(environment);
            String name = (String) chat.get("name");
            assertThat(env(chat, "CHAT_DATABASE_URL").orElseThrow()).containsEntry("sync", false);
            assertThat(env(chat, "DATABASE_URL")).as("%s must never hold the owner's URL", name).isEmpty();
            assertThat(resolvedEnv(chat).values()).as("%s reads no database property", name)
                    .noneMatch(var -> var.containsKey("fromDatabase"));
            // The admin token is the ingest's own (it asks chat whether it can embed with a space), never a value.
            assertThat(env(chat, "ADMIN_TOKEN").orElseThrow()).as(name).containsEntry("fromService", Map.of(
                    "type", "web", "name", ingest(environment).get("name"), "envVarKey", "ADMIN_TOKEN"));
        }
    }

    @Test
    void letsEachIngestAskItsOwnEnvironmentsChatServiceBeforeAnActivation() {
        for (Map<String, Object> environment : environments()) {
            assertThat(env(ingest(environment), "CHAT_SERVICE_URL").orElseThrow()).containsEntry("fromService", Map.of(
                    "type", "web", "name", chat(environment).get("name"), "property", "hostport"));
        }
    }

    @Test
    void promptsForEachEnvironmentsSecretsInsteadOfKeepingThemInTheFile() {
        for (Map<String, Object> environment : environments()) {
            for (String key : List.of("OPENAI_API_KEY", "ADMIN_TOKEN", "COURSEBOT_SOURCES_COURSE_BASE_URL")) {
                assertThat(ownEnv(ingest(environment), key)).as(key).hasValueSatisfying(
                        var -> assertThat(var).containsEntry("sync", false));
            }
            for (String key : List.of("OPENAI_API_KEY", "CHAT_DATABASE_URL")) {
                assertThat(ownEnv(chat(environment), key)).as(key).hasValueSatisfying(
                        var -> assertThat(var).containsEntry("sync", false));
            }
        }
        for (Map<String, Object> service : services()) {
            for (Map<String, Object> var : envVars(service)) {
                if (var.containsKey("fromGroup")) {
                    assertThat(var).as("a group reference alone: %s", var).hasSize(1);
                    continue;
                }
                assertThat(var).as("a key and exactly one source: %s", var).containsKey("key").hasSize(2);
                assertThat(var.keySet()).anyMatch(ENV_SOURCES::contains);
                if (((String) var.get("key")).matches(SECRET)) {
                    assertThat(var).as("secret %s", var.get("key")).doesNotContainKey("value");
                }
            }
        }
        for (Map<String, Object> group : groups()) {
            for (Map<String, Object> var : list(group, "envVars")) {
                assertThat(var).as("a plain value in group %s: %s", group.get("name"), var).containsKey("key")
                        .hasSize(2);
                assertThat(var.keySet()).anyMatch(GROUP_ENV_SOURCES::contains);
                assertThat((String) var.get("key")).as("no secret in a group shared by both environments")
                        .doesNotMatch(SECRET);
            }
        }
    }

    @Test
    void givesBothServicesTheEmbeddingDimensionOfTheOpenAiModelPerEnvironment() {
        for (Map<String, Object> service : services()) {
            assertThat(ownEnv(service, "EMBEDDING_DIMENSION").orElseThrow()).as((String) service.get("name"))
                    .containsEntry("value", "1536");
        }
    }

    @Test
    void deploysStagingOnEveryPushAndProductionOnlyByHand() {
        for (Map<String, Object> service : services()) {
            String name = (String) service.get("name");
            assertThat(service.get("autoDeployTrigger")).as(name)
                    .isEqualTo(name.startsWith("coursebot-staging-") ? "commit" : "off");
        }
    }

    @Test
    void recrawlsProductionNightlyAndStagingAtMostWeekly() {
        assertThat(env(service("coursebot-ingest"), "COURSEBOT_SOURCES_COURSE_SCHEDULE").orElseThrow())
                .containsEntry("value", "0 3 * * *");
        env(service("coursebot-staging-ingest"), "COURSEBOT_SOURCES_COURSE_SCHEDULE").ifPresent(schedule -> {
            String[] fields = ((String) schedule.get("value")).split(" ");
            assertThat(fields).hasSize(5);
            assertThat(!"*".equals(fields[2]) || !"*".equals(fields[4])).as("day of month or of week fixed: %s",
                    schedule.get("value")).isTrue();
        });
    }

    @Test
    void declaresThePostgresDatabasesTheServicesReferTo() {
        for (Map<String, Object> environment : environments()) {
            Map<String, Object> db = list(environment, "databases").get(0);
            assertThat(db).containsEntry("databaseName", "coursebot").containsKeys("plan", "postgresMajorVersion");
            assertThat(Integer.parseInt((String) db.get("postgresMajorVersion"))).isGreaterThanOrEqualTo(15);
        }
        assertThat(databases()).extracting(db -> db.get("postgresMajorVersion")).as("staging runs production's")
                .containsOnly(databases().get(0).get("postgresMajorVersion"));
    }

    @Test
    void usesOnlyFieldsOfRendersBlueprintReference() {
        assertThat(blueprint.keySet()).isSubsetOf(ROOT_FIELDS);
        for (Map<String, Object> project : projects()) {
            assertThat(project.keySet()).isSubsetOf(PROJECT_FIELDS);
        }
        for (Map<String, Object> environment : environments()) {
            assertThat(environment.keySet()).isSubsetOf(ENVIRONMENT_FIELDS);
        }
        for (Map<String, Object> group : groups()) {
            assertThat(group.keySet()).isSubsetOf(GROUP_FIELDS);
        }
        for (Map<String, Object> service : services()) {
            assertThat(service.keySet()).as((String) service.get("name")).isSubsetOf(SERVICE_FIELDS);
        }
        for (Map<String, Object> db : databases()) {
            assertThat(db.keySet()).as((String) db.get("name")).isSubsetOf(DATABASE_FIELDS);
        }
    }

    private static List<Map<String, Object>> projects() {
        return list(blueprint, "projects");
    }

    private static Map<String, Object> project() {
        return projects().get(0);
    }

    private static List<Map<String, Object>> environments() {
        List<Map<String, Object>> all = new ArrayList<>();
        projects().forEach(project -> all.addAll(list(project, "environments")));
        return all;
    }

    private static List<Map<String, Object>> services() {
        List<Map<String, Object>> all = new ArrayList<>();
        environments().forEach(environment -> all.addAll(list(environment, "services")));
        return all;
    }

    private static List<Map<String, Object>> databases() {
        List<Map<String, Object>> all = new ArrayList<>();
        environments().forEach(environment -> all.addAll(list(environment, "databases")));
        return all;
    }

    /** Every env var group: the project's and each environment's. */
    private static List<Map<String, Object>> groups() {
        List<Map<String, Object>> all = new ArrayList<>();
        projects().forEach(project -> all.addAll(list(project, "envVarGroups")));
        environments().forEach(environment -> all.addAll(list(environment, "envVarGroups")));
        return all;
    }

    private static Map<String, Object> service(String name) {
        return services().stream().filter(s -> name.equals(s.get("name"))).findFirst().orElseThrow();
    }

    private static Map<String, Object> ingest(Map<String, Object> environment) {
        return service(PREFIXES.get((String) environment.get("name")) + "-ingest");
    }

    private static Map<String, Object> chat(Map<String, Object> environment) {
        return service(PREFIXES.get((String) environment.get("name")) + "-chat");
    }

    private static Map<String, Object> environmentOf(Map<String, Object> service) {
        return environments().stream().filter(e -> list(e, "services").contains(service)).findFirst().orElseThrow();
    }

    private static Optional<Map<String, Object>> group(Map<String, Object> scope, String name) {
        return list(scope, "envVarGroups").stream().filter(g -> name.equals(g.get("name"))).findFirst();
    }

    private static List<String> groupsOf(Map<String, Object> service) {
        return envVars(service).stream().filter(v -> v.containsKey("fromGroup")).map(v -> (String) v.get("fromGroup"))
                .toList();
    }

    private static List<Map<String, Object>> envVars(Map<String, Object> service) {
        return list(service, "envVars");
    }

    /** The service's variables as Render gives them to it: its groups' in order, then its own. */
    private static Map<String, Map<String, Object>> resolvedEnv(Map<String, Object> service) {
        Map<String, Map<String, Object>> env = new LinkedHashMap<>();
        for (String name : groupsOf(service)) {
            // A service sees the groups of its project and of its own environment, never another environment's.
            Map<String, Object> group = group(environmentOf(service), name).or(() -> group(project(), name))
                    .orElseThrow(() -> new AssertionError(service.get("name") + " attaches unknown group " + name));
            list(group, "envVars").forEach(var -> env.put((String) var.get("key"), var));
        }
        envVars(service).stream().filter(var -> var.containsKey("key"))
                .forEach(var -> env.put((String) var.get("key"), var));
        return env;
    }

    private static Optional<Map<String, Object>> env(Map<String, Object> service, String key) {
        return Optional.ofNullable(resolvedEnv(service).get(key));
    }

    /** A variable the service sets itself, not through a group. */
    private static Optional<Map<String, Object>> ownEnv(Map<String, Object> service, String key) {
        return envVars(service).stream().filter(v -> key.equals(v.get("key"))).findFirst();
    }

    private static List<String> keys(List<Map<String, Object>> vars) {
        return vars.stream().filter(v -> v.containsKey("key")).map(v -> (String) v.get("key")).toList();
    }

    private static List<String> names(List<Map<String, Object>> resources) {
        return resources.stream().map(r -> (String) r.get("name")).toList();
    }

    private static List<Map<String, Object>> list(Map<String, Object> parent, String field) {
        return (List<Map<String, Object>>) parent.getOrDefault(field, List.of());
    }
}
