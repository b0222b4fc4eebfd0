package org.coursebot.chat.answer;

/**
 * Who asked, as far as the question log may know: {@code client}, what the rate limits count by (the address, or
 * {@code key:<name>} for a /v1 API key), which the log only keeps as a daily keyed hash; {@code channel}, the door
 * the question came through ({@code api} or {@code v1}).
 */
public record Asker(String client, String channel) {

    public static Asker api(String client) {
        return new Asker(client, "api");
    }

    public static Asker v1(String client) {
        return new Asker(client, "v1");
    }
}
