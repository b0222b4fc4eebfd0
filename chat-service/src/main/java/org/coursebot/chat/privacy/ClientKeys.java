package org.coursebot.chat.privacy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The question log's client key: HMAC-SHA256 of the client (its address, or its /v1 key name) under a key that is
 * itself derived from a secret and the UTC day. Within a day, one client's questions share a key; across days
 * nothing links them, and without the secret no address can be tested against a key. The question log keeps it in
 * place of the client; the shared rate limits (org.coursebot.chat.limits) name a client's bucket by it, so every
 * instance must have the same secret ({@code coursebot.insights.client-key-secret}) for them to share one bucket.
 */
@Singleton
public final class ClientKeys {

    private final byte[] secret;
    private final boolean shared;
    private volatile DayKey today;

    private record DayKey(LocalDate day, byte[] key) {
    }

    @Inject
    public ClientKeys(@ConfigProperty(name = "coursebot.insights.client-key-secret") java.util.Optional<String> secret) {
        this(bytes(secret), secret.isPresent() && !secret.get().isBlank());
    }

    ClientKeys(byte[] secret) {
        this(secret, true);
    }

    private ClientKeys(byte[] secret, boolean shared) {
        this.secret = secret.clone();
        this.shared = shared;
    }

    /** Whether the secret was set: without it, each process draws its own, and no two instances share a key. */
    public boolean shared() {
        return shared;
    }

    private static byte[] bytes(java.util.Optional<String> secret) {
        if (secret.isPresent() && !secret.get().isBlank()) {
            return secret.get().getBytes(StandardCharsets.UTF_8);
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return random;
    }

    /** 22 characters (128 bits) of base64url. */
    public String of(String client, LocalDate day) {
        DayKey key = today;
        if (key == null || !key.day().equals(day)) {
            key = new DayKey(day, hmac(secret, day.toString()));
            today = key;
        }
        byte[] hash = hmac(key.key(), client == null ? "unknown" : client);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(hash).substring(0, 22);
    }

    public String of(String client, java.time.Instant at) {
        return of(client, LocalDate.ofInstant(at, ZoneOffset.UTC));
    }

    private static byte[] hmac(byte[] key, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
