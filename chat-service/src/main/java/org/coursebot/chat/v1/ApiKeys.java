package org.coursebot.chat.v1;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The configured API keys of /v1 ({@link ApiConfig#keys()}), read and checked at start-up: a malformed list stops
 * the service with a line naming the entry by position, never by its key.
 */
@Startup
@ApplicationScoped
public class ApiKeys {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** A key as kept in memory: its name and the SHA-256 of its value. */
    private record Key(String name, byte[] digest) {
    }

    private final List<Key> keys;

    public ApiKeys(ApiConfig config) {
        this.keys = parse(config.keys().orElse(List.of()));
        if (!keys.isEmpty()) {
            Log.infof("/v1 requires an API key: %d configured (%s)", keys.size(),
                    String.join(", ", keys.stream().map(Key::name).toList()));
        }
    }

    /** Whether /v1 asks for a key at all. */
    public boolean required() {
        return !keys.isEmpty();
    }

    /**
     * The name of the key an {@code Authorization} header presents, or empty when it presents none of them. Every
     * configured key is compared, by digest, in constant time (as AdminAuthFilter compares the admin token), so the
     * time taken says nothing about which key came close.
     */
    public Optional<String> nameOf(String authorization) {
        String presented = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim() : "";
        byte[] digest = sha256(presented);
        String found = null;
        for (Key key : keys) {
            if (MessageDigest.isEqual(key.digest(), digest) && found == null) {
                found = key.name();
            }
        }
        return Optional.ofNullable(presented.isEmpty() ? null : found);
    }

    static List<Key> parse(List<String> entries) {
        List<Key> parsed = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> values = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            String entry = entries.get(i).strip();
            int colon = entry.indexOf(':');
            boolean named = colon > 0 && NAME.matcher(entry.substring(0, colon)).matches();
            String value = named ? entry.substring(colon + 1).strip() : entry;
            if (value.isEmpty()) {
                throw new IllegalArgumentException("coursebot.api.keys: entry " + (i + 1) + " has no key");
            }
            String name = named ? entry.substring(0, colon)
                    : "key-" + HexFormat.of().formatHex(sha256(value)).substring(0, 8);
            if (!names.add(name)) {
                throw new IllegalArgumentException("coursebot.api.keys: the name " + name + " is used twice");
            }
            if (!values.add(value)) {
                throw new IllegalArgumentException("coursebot.api.keys: entry " + (i + 1) + " repeats a key");
            }
            parsed.add(new Key(name, sha256(value)));
        }
        return List.copyOf(parsed);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
