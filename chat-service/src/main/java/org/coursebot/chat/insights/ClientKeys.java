package org.coursebot.chat.insights;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The question log's client key: HMAC-SHA256 of the client (its address, or its /v1 key name) under a key that is
 * itself derived from a secret and the UTC day. Within a day, one client's questions share a key; across days
 * nothing links them, and without the secret no address can be tested against a key.
 */
final class ClientKeys {

    private final byte[] secret;
    private volatile DayKey today;

    private record DayKey(LocalDate day, byte[] key) {
    }

    ClientKeys(byte[] secret) {
        this.secret = secret.clone();
    }

    static ClientKeys of(java.util.Optional<String> secret) {
        if (secret.isPresent() && !secret.get().isBlank()) {
            return new ClientKeys(secret.get().getBytes(StandardCharsets.UTF_8));
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return new ClientKeys(random);
    }

    /** 22 characters (128 bits) of base64url. */
    String of(String client, LocalDate day) {
        DayKey key = today;
        if (key == null || !key.day().equals(day)) {
            key = new DayKey(day, hmac(secret, day.toString()));
            today = key;
        }
        byte[] hash = hmac(key.key(), client == null ? "unknown" : client);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(hash).substring(0, 22);
    }

    String of(String client, java.time.Instant at) {
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
