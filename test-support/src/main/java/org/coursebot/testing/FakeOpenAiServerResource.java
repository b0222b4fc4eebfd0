package org.coursebot.testing;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts a {@link FakeOpenAiServer} for a {@code @QuarkusTest} class and points the OpenAI clients (embeddings,
 * and chat-service's chat model) at it, with a test API key (so provider auto selects openai). Injects the server into a
 * test field of type {@link FakeOpenAiServer}.
 */
public class FakeOpenAiServerResource implements QuarkusTestResourceLifecycleManager {

    private FakeOpenAiServer server;

    @Override
    public Map<String, String> start() {
        server = FakeOpenAiServer.start();
        Map<String, String> config = new HashMap<>();
        config.put("coursebot.embedding.base-url", server.baseUrl());
        config.put("coursebot.embedding.api-key", "sk-test");
        return config;
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(server, new TestInjector.MatchesType(FakeOpenAiServer.class));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }
}
