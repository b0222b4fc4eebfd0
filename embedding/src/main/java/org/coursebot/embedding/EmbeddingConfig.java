package org.coursebot.embedding;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code coursebot.embedding.*}: the same keys in both services, so they embed into the same space. */
@ConfigMapping(prefix = "coursebot.embedding")
public interface EmbeddingConfig {

    /** auto (openai when an API key is set, else local), openai or local. */
    @WithDefault("auto")
    String provider();

    /** Embedding model; default text-embedding-3-small for openai, all-minilm-l6-v2-q for local. */
    Optional<String> model();

    /** Vector dimension; only needed for a model this build does not know, or to shorten text-embedding-3-*. */
    OptionalInt dimensions();

    /** API key (application.properties maps OPENAI_API_KEY onto it); never logged. */
    Optional<String> apiKey();

    /** Base URL of any OpenAI-compatible API, ending before /embeddings. */
    @WithDefault("https://api.openai.com/v1")
    String baseUrl();

    /** float (widest compatibility) or base64 (a quarter of the bytes; OpenAI and vLLM support it). */
    @WithDefault("float")
    String encodingFormat();

    /** Time allowed for one embeddings request in the ingest path. */
    @WithDefault("60s")
    Duration requestTimeout();

    /** Batching of the ingest path. */
    Batch batch();

    /** Client-side rate limit (defaults: OpenAI tier 1 for embedding models). */
    Rate rate();

    /** Retries of the ingest path. */
    Retry retry();

    /** Circuit breaker shared by every call of the process. */
    Circuit circuit();

    /** Price per 1M tokens in USD; default by model (3-small 0.02, 3-large 0.13, ada-002 0.10, local 0). */
    OptionalDouble pricePerMillionTokens();

    /** The in-process model. */
    Local local();

    /** The chat-service question path. */
    Question question();

    /** Batching bounds. */
    interface Batch {
        /** Most inputs in one request (OpenAI accepts 2,048). */
        @WithDefault("2048")
        int maxInputs();

        /** Most tokens in one request (OpenAI accepts 300,000; kept below for tokenizer drift). */
        @WithDefault("250000")
        int maxTokens();

        /** Longest input in tokens (OpenAI's per-input limit); longer inputs are truncated and logged. */
        @WithDefault("8191")
        int maxInputTokens();
    }

    /** Rate limits. */
    interface Rate {
        /** Requests per minute. */
        @WithDefault("3000")
        int requestsPerMinute();

        /** Tokens per minute. */
        @WithDefault("1000000")
        int tokensPerMinute();
    }

    /** Retry policy. */
    interface Retry {
        /** Attempts per request, the first included. */
        @WithDefault("6")
        int maxAttempts();

        /** First backoff; doubles per attempt, with jitter. */
        @WithDefault("1s")
        Duration initialBackoff();

        /** Longest backoff (a longer Retry-After is still honoured). */
        @WithDefault("60s")
        Duration maxBackoff();
    }

    /** Circuit breaker. */
    interface Circuit {
        /** Consecutive failed requests that open the circuit. */
        @WithDefault("10")
        int failureThreshold();

        /** How long an open circuit refuses calls before letting one through. */
        @WithDefault("30s")
        Duration openDuration();
    }

    /** Local model. */
    interface Local {
        /** Worker threads running the ONNX model (bounded; never the event loop). */
        @WithDefault("1")
        int threads();

        /** Batches waiting for a local worker before new ones are refused. */
        @WithDefault("32")
        int queue();

        /** Texts per local model call. */
        @WithDefault("64")
        int batchSize();
    }

    /** Question path. */
    interface Question {
        /** Deadline for one question's embedding, retries included. */
        @WithDefault("5s")
        Duration timeout();

        /** Retries after the first attempt. */
        @WithDefault("2")
        int maxRetries();

        /** First backoff between question retries. */
        @WithDefault("200ms")
        Duration initialBackoff();

        /**
         * Question embeddings kept in the LRU cache, sized for chat-service's heap (docs/design.md, "Constraints
         * measured, and what they forced").
         */
        @WithDefault("256")
        int cacheSize();
    }
}
