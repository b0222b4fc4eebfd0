package org.coursebot.chat.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.http.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CitationValidatorTests {

    private Vertx vertx;
    private HttpServer server;
    private CitationValidator validator;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer().requestHandler(request -> {
            var response = request.getDelegate().response();
            switch (request.path()) {
                case "/page.html" -> response.putHeader("Content-Type", "text/html")
                        .end("<html><body><h2 id=\"routes\">Routes</h2></body></html>");
                case "/slides.pdf" -> response.putHeader("Content-Type", "application/pdf").end("%PDF-1.7\n");
                case "/handout" -> response.putHeader("Content-Type", "application/pdf").end("%PDF-1.7\n");
                default -> response.setStatusCode(404).end();
            }
        }).listen(0, "127.0.0.1").await().indefinitely();
        validator = new CitationValidator(vertx);
    }

    @AfterEach
    void stop() {
        validator.close();
        vertx.closeAndAwait();
    }

    private boolean resolves(String path) {
        return validator.resolves("http://127.0.0.1:" + server.actualPort() + path).await().atMost(Duration.ofSeconds(10));
    }

    @Test
    void aPdfPageResolvesWhenThePdfAnswersAsOne() {
        assertThat(resolves("/slides.pdf#page=4")).isTrue();
        assertThat(resolves("/handout#page=2")).as("known by its Content-Type").isTrue();
        assertThat(resolves("/missing.pdf#page=1")).as("404").isFalse();
        assertThat(resolves("/page.html#page=1")).as("an HTML page has no pages").isFalse();
        assertThat(resolves("/slides.pdf#page=0")).as("pages count from 1: an id, and the PDF has none").isFalse();
    }

    @Test
    void anHtmlFragmentResolvesOnlyToAnIdOfThePage() {
        assertThat(resolves("/page.html#routes")).isTrue();
        assertThat(resolves("/page.html#missing")).isFalse();
        assertThat(resolves("/page.html")).isTrue();
    }
}
