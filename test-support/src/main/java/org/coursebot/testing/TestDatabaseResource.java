package org.coursebot.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A throw-away database for a {@code @QuarkusTest} class. Arguments: {@code migrate} (apply ingest-service's
 * migrations before the app starts, for services without Flyway), {@code dimension} (default 384),
 * {@code role} ({@code writer}, default, or {@code chat} for the read-only role, which also logs questions through
 * the question log's role), {@code jdbc} (default true).
 */
public class TestDatabaseResource implements QuarkusTestResourceLifecycleManager {

    private TestDatabase database;
    private Map<String, String> args = Map.of();

    @Override
    public void init(Map<String, String> initArgs) {
        this.args = initArgs;
    }

    @Override
    public Map<String, String> start() {
        database = TestDatabase.create();
        if (Boolean.parseBoolean(args.getOrDefault("migrate", "false"))) {
            database.migrate(Integer.parseInt(args.getOrDefault("dimension", "384")));
        }
        boolean jdbc = Boolean.parseBoolean(args.getOrDefault("jdbc", "true"));
        if ("chat".equals(args.get("role"))) {
            var chat = org.coursebot.model.DatabaseUrl.parse("chat", database.chatUrl());
            Map<String, String> config = new java.util.HashMap<>(database.quarkusConfig(chat.user(), chat.password(), jdbc));
            var insights = org.coursebot.model.DatabaseUrl.parse("insights", database.insightsUrl());
            config.put("quarkus.datasource.insights.reactive.url", insights.reactiveUrl());
            config.put("quarkus.datasource.insights.username", insights.user());
            config.put("quarkus.datasource.insights.password", insights.password());
            // The shared limits take the question log's role, as INSIGHTS_DATABASE_URL gives it in a deployment.
            config.put("quarkus.datasource.limits.reactive.url", insights.reactiveUrl());
            config.put("quarkus.datasource.limits.username", insights.user());
            config.put("quarkus.datasource.limits.password", insights.password());
            return config;
        }
        return database.quarkusConfig(database.user(), database.password(), jdbc);
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(database, new TestInjector.MatchesType(TestDatabase.class));
    }

    @Override
    public void stop() {
        if (database != null) {
            database.close();
        }
    }
}
