package org.coursebot.model;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Maps {@code DATABASE_URL} (as Render and Supabase give it) onto Quarkus's datasource keys, once.
 * Its ordinal is below application.properties and the environment, so explicit
 * {@code quarkus.datasource.*} keys win.
 */
public abstract class DatabaseUrlConfigSource implements ConfigSource {

    static final int ORDINAL = 200;

    private final Map<String, String> properties;

    /**
     * @param variables environment variables to read, first set wins
     * @param jdbc whether to also map the JDBC URL (only ingest-service has JDBC, for Flyway)
     */
    protected DatabaseUrlConfigSource(List<String> variables, boolean jdbc) {
        this.properties = map(variables, jdbc, System.getenv());
    }

    static Map<String, String> map(List<String> variables, boolean jdbc, Map<String, String> env) {
        for (String variable : variables) {
            String value = env.get(variable);
            if (value != null && !value.isBlank()) {
                return properties(DatabaseUrl.parse(variable, value), jdbc);
            }
        }
        return Map.of();
    }

    static Map<String, String> properties(DatabaseUrl url, boolean jdbc) {
        Map<String, String> p = new HashMap<>();
        p.put("quarkus.datasource.reactive.url", url.reactiveUrl());
        if (url.user() != null) {
            p.put("quarkus.datasource.username", url.user());
        }
        if (url.password() != null) {
            p.put("quarkus.datasource.password", url.password());
        }
        if (url.requiresSsl()) {
            p.put("quarkus.datasource.reactive.postgresql.ssl-mode", "require");
            p.put("quarkus.datasource.reactive.trust-all", String.valueOf(url.trustsAnyCertificate()));
        }
        if (jdbc) {
            p.put("quarkus.datasource.jdbc.url", url.jdbcUrl());
        }
        return p;
    }

    @Override
    public Map<String, String> getProperties() {
        return properties;
    }

    @Override
    public Set<String> getPropertyNames() {
        return properties.keySet();
    }

    @Override
    public String getValue(String propertyName) {
        return properties.get(propertyName);
    }

    @Override
    public int getOrdinal() {
        return ORDINAL;
    }

    @Override
    public String getName() {
        return getClass().getSimpleName();
    }
}
