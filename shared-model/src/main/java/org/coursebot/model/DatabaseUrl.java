package org.coursebot.model;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A PostgreSQL connection URL in the form Render and Supabase give it:
 * {@code postgres[ql]://user:pass@host[:port]/db[?sslmode=require]}.
 * {@link #toString()} never shows the password.
 */
public record DatabaseUrl(String host, int port, String database, String user, String password,
                          Map<String, String> parameters) {

    public static final int DEFAULT_PORT = 5432;

    public DatabaseUrl {
        parameters = Map.copyOf(parameters);
    }

    /**
     * Parses a URL; the message of the exception names {@code variable} and never contains the password.
     */
    public static DatabaseUrl parse(String variable, String url) {
        if (url == null || url.isBlank()) {
            throw invalid(variable, "it is empty");
        }
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw invalid(variable, "it is not a URL");
        }
        String scheme = uri.getScheme();
        if (!"postgres".equals(scheme) && !"postgresql".equals(scheme)) {
            throw invalid(variable, "the scheme must be postgres:// or postgresql://");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw invalid(variable, "it names no host");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String database = decode(path.startsWith("/") ? path.substring(1) : path);
        if (database.isBlank() || database.contains("/")) {
            throw invalid(variable, "it names no database (…/dbname)");
        }
        String user = null;
        String password = null;
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                parameters.put(decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        }
        return new DatabaseUrl(uri.getHost(), uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort(), database,
                user, password, parameters);
    }

    private static IllegalArgumentException invalid(String variable, String why) {
        return new IllegalArgumentException(variable + " is not a valid PostgreSQL URL: " + why
                + " (expected postgresql://user:password@host:port/database)");
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** The libpq {@code sslmode}, or {@code null} when the URL does not set one. */
    public String sslMode() {
        return parameters.get("sslmode");
    }

    /**
     * Whether the connection must be encrypted: libpq's {@code require}, {@code verify-ca} and {@code verify-full}
     * ({@code disable}, {@code allow} and {@code prefer} do not insist).
     */
    public boolean requiresSsl() {
        String ssl = sslMode();
        return ssl != null && !ssl.equals("disable") && !ssl.equals("allow") && !ssl.equals("prefer");
    }

    /** libpq's {@code require} encrypts without verifying the certificate: Vert.x needs trust-all for that. */
    public boolean trustsAnyCertificate() {
        return "require".equals(sslMode());
    }

    /** For the Vert.x reactive pool: no credentials (they go in their own keys), no parameters. */
    public String reactiveUrl() {
        return "postgresql://" + hostAndPort() + "/" + database;
    }

    /** For JDBC (Flyway): no credentials; {@code sslmode} kept, since pgJDBC understands libpq's values. */
    public String jdbcUrl() {
        String ssl = sslMode() == null ? "" : "?sslmode=" + sslMode();
        return "jdbc:postgresql://" + hostAndPort() + "/" + database + ssl;
    }

    private String hostAndPort() {
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return h + ":" + port;
    }

    @Override
    public String toString() {
        return "postgresql://" + (user == null ? "" : user + (password == null ? "" : ":***") + "@")
                + hostAndPort() + "/" + database;
    }
}
