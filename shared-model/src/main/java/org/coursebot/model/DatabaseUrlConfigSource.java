package org.coursebot.model;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Maps {@code DATABASE_URL} (as Render and Supabase give it) onto Quarkus's datasource keys, once: the default
 * datasource's, or a named one's ({@code quarkus.datasource.NAME.*}). Its ordinal is below application.properties and
 * the environment, so explicit {@code quarkus.datasource.*} keys win.
 */
public abstract class DatabaseUrlConfigSource implements ConfigSource {

    static final int ORDINAL = 200;

    private final Map<String, String> properties;

    /**
     * @param variables environment variables to read, first set wins
     * @param jdbc whether to also map the JDBC URL (only ingest-service has JDBC, for Flyway)
     */
    protected DatabaseUrlConfigSource(List<String> variables, boolean jdbc) {
        this(variables, null, jdbc);
    }

    /** @param datasource the named datasource the URL configures; null for the default one */
    protected DatabaseUrlConfigSource(List<String> variables, String datasource, boolean jdbc) {
        this.properties = map(variables, datasource, jdbc, System.getenv());
    }

    static Map<String, String> map(List<String> variables, boolean jdbc, Map<String, String> env) {
        return map(variables, null, jdbc, env);
    }

    static Map<String, String> map(List<String> variables, String datasource, boolean jdbc, Map<String, String> env) {
        for (String variable : variables) {
            String value = env.get(variable);
            if (value != null && !value.isBlank()) {
                return properties(DatabaseUrl.parse(variable, value), datasource, jdbc);
            }
        }
        return Map.of();
    }

    static Map<String, String> properties(DatabaseUrl url, String datasource, boolean jdbc) {
        String prefix = datasource == null ? "quarkus.datasource." : "quarkus.datasource." + datasource + ".";
        Map<String, String> p = new HashMap<>();
        p.put(prefix + "reactive.url", url.reactiveUrl());
        if (url.user() != null) {
            p.put(prefix + "username", url.user());
        }
        if (url.password() != null) {
            p.put(prefix + "password", url.password());
        }
        if (url.requiresSsl()) {
            p.put(prefix + "reactive.postgresql.ssl-mode", "require");
            p.put(prefix + "reactive.trust-all", String.valueOf(url.trustsAnyCertificate()));
        }
        if (jdbc) {
            p.put(prefix + "jdbc.url", url.jdbcUrl());
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
