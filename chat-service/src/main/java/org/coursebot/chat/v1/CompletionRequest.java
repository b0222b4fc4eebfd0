package org.coursebot.chat.v1;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import org.coursebot.chat.answer.ChatService;
import org.coursebot.common.InputText;

/**
 * {@code POST /v1/chat/completions} as OpenAI's clients send it. Fields this service has no use for (tools,
 * response_format, user...) are ignored, as OpenAI ignores unknown ones.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CompletionRequest(String model, List<Message> messages, Boolean stream,
                                @JsonProperty("stream_options") StreamOptions streamOptions,
                                @JsonProperty("max_tokens") Integer maxTokens,
                                @JsonProperty("max_completion_tokens") Integer maxCompletionTokens,
                                Double temperature, Integer n) {

    /** As /api/chat: a question of at most 2,000 characters, earlier turns of at most 4,000, the last 20 of them. */
    static final int MAX_QUESTION = 2000;
    static final int MAX_TURN = 4000;
    static final int MAX_TURNS = 20;
    /** Bounds the work a request can ask for; a conversation that long has long left the course's questions. */
    static final int MAX_MESSAGES = 100;
    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");

    /**
     * One message. {@code content} is a string, an array of content parts (their {@code text} parts are read, images
     * and the like are not), or null (an assistant's tool call).
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Message(String role, JsonNode content) {
    }

    /** {@code include_usage}: a last chunk with the usage, as OpenAI sends it. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record StreamOptions(@JsonProperty("include_usage") Boolean includeUsage) {
    }

    /**
     * The request checked and read: the last user message is the question, the user and assistant turns before it
     * its history; system and developer messages only count towards the prompt's tokens (retrieval and the answer's
     * rules are this service's own). Fails with a 400 naming the first field at fault, as OpenAI does.
     */
    Completion validated() {
        if (model == null || model.isBlank()) {
            throw invalid("model", "missing_required_parameter", "Missing required parameter: 'model'.");
        }
        checkOptions();
        List<String> texts = texts();
        int question = lastUserMessage();
        String asked = InputText.clean(texts.get(question));
        String param = "messages[" + question + "].content";
        if (asked.isBlank()) {
            throw invalid(param, "empty_string", "The question (the last user message) must not be empty.");
        }
        if (asked.length() > MAX_QUESTION) {
            throw invalid(param, "string_above_max_length", "The question (the last user message) must be at most "
                    + MAX_QUESTION + " characters.");
        }
        boolean streamed = Boolean.TRUE.equals(stream);
        boolean usage = streamed && streamOptions != null && Boolean.TRUE.equals(streamOptions.includeUsage());
        Integer limit = maxCompletionTokens != null ? maxCompletionTokens : maxTokens;
        return new Completion(model, asked, history(texts, question), texts, streamed, usage, limit, temperature);
    }

    private void checkOptions() {
        if (messages == null) {
            throw invalid("messages", "missing_required_parameter", "Missing required parameter: 'messages'.");
        }
        if (messages.isEmpty() || messages.size() > MAX_MESSAGES) {
            throw invalid("messages", messages.isEmpty() ? "empty_array" : "array_above_max_length",
                    "'messages' must hold 1 to " + MAX_MESSAGES + " messages.");
        }
        if (n != null && n != 1) {
            throw invalid("n", "invalid_value", "Only n=1 is supported: one answer per question.");
        }
        atLeastOne(maxTokens, "max_tokens");
        atLeastOne(maxCompletionTokens, "max_completion_tokens");
        if (temperature != null && !(temperature >= 0 && temperature <= 2)) {
            throw invalid("temperature", temperature > 2 ? "decimal_above_max_value" : "decimal_below_min_value",
                    "'temperature' must be between 0 and 2.");
        }
    }

    private static void atLeastOne(Integer value, String param) {
        if (value != null && value < 1) {
            throw invalid(param, "integer_below_min_value", "'" + param + "' must be at least 1.");
        }
    }

    /** Each message's text (empty for none), checking roles and content types on the way. */
    private List<String> texts() {
        List<String> texts = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            Message message = messages.get(i);
            if (message == null || message.role() == null || !ROLES.contains(message.role())) {
                throw invalid("messages[" + i + "].role", "invalid_value",
                        "Each message needs a role: system, developer, user, assistant or tool.");
            }
            texts.add(text(message.content(), i));
        }
        return texts;
    }

    private static String text(JsonNode content, int index) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        if (content.isArray()) {
            List<String> parts = new ArrayList<>();
            for (JsonNode part : content) {
                if (part.isObject() && "text".equals(part.path("type").asText()) && part.path("text").isTextual()) {
                    parts.add(part.path("text").asText());
                }
            }
            return String.join("\n", parts);
        }
        throw invalid("messages[" + index + "].content", "invalid_type",
                "A message's content must be a string or an array of content parts.");
    }

    private int lastUserMessage() {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if ("user".equals(messages.get(i).role())) {
                return i;
            }
        }
        throw invalid("messages", "invalid_value", "'messages' must contain a user message: the last one is the question.");
    }

    /** The user and assistant turns before the question, the last {@link #MAX_TURNS} of them, cleaned. */
    private List<ChatService.Turn> history(List<String> texts, int question) {
        List<ChatService.Turn> turns = new ArrayList<>();
        for (int i = 0; i < question; i++) {
            String role = messages.get(i).role();
            String text = InputText.clean(texts.get(i));
            if (!("user".equals(role) || "assistant".equals(role)) || text.isBlank()) {
                continue;
            }
            if (text.length() > MAX_TURN) {
                throw invalid("messages[" + i + "].content", "string_above_max_length",
                        "Earlier turns must be at most " + MAX_TURN + " characters each.");
            }
            turns.add(new ChatService.Turn(role, text));
        }
        return List.copyOf(turns.subList(Math.max(0, turns.size() - MAX_TURNS), turns.size()));
    }

    private static OpenAiException invalid(String param, String code, String message) {
        return new OpenAiException(OpenAiError.invalid(param, code, message));
    }

    /**
     * A checked request.
     *
     * @param texts every message's text, in order: what prompt_tokens counts
     * @param maxTokens max_completion_tokens, else max_tokens; null for no limit
     * @param temperature for a written answer's chat model; null for coursebot.answer.temperature
     */
    record Completion(String model, String question, List<ChatService.Turn> history, List<String> texts,
                      boolean stream, boolean includeUsage, Integer maxTokens, Double temperature) {
    }
}
