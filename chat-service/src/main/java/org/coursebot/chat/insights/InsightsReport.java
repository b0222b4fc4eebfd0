package org.coursebot.chat.insights;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * {@code GET /admin/insights}: what students asked in [{@code since}, {@code until}), and where the course falls
 * short. Shares are null when there is nothing to divide by. {@code exerciseRequests}: the exercises whose solution
 * students asked for most (issue 35). {@code source}: the course reported on (null: every course). {@code enabled}:
 * whether this instance logs questions.
 */
public record InsightsReport(Instant since, Instant until, long questions, long covered, Double coveredShare,
                             FeedbackSummary feedback, Latency latencyMs, List<Day> days, List<Gap> gaps,
                             long ungrouped, List<CitedSection> mostCited, List<Section> neverCited,
                             long neverCitedCount, List<ExerciseAsked> exerciseRequests, String source,
                             boolean enabled) {

    /** The last feedback on each answer of the period: how many answers have some, and how many were helpful. */
    public record FeedbackSummary(long answers, long helpful, long notHelpful, Double helpfulShare) {
    }

    /** Answer latency percentiles, in milliseconds (null without questions). */
    public record Latency(Long p50, Long p95) {
    }

    /**
     * One UTC day of the period: its questions; what the chat model's answers cost ({@code spentUsd}, all instances),
     * how many it wrote and how many the daily budget made extractive; the requests the rate limits refused and the
     * clients they refused (issue 32).
     */
    public record Day(LocalDate day, long questions, long covered, Double coveredShare, double spentUsd,
                      long writtenAnswers, long budgetDowngrades, long refusedRequests, long limitedClients) {
    }

    /**
     * Similar questions the course did not cover or answered unhelpfully: their number, up to three of them, and the
     * course sections closest to them (where an answer could be written).
     */
    public record Gap(int size, int uncovered, int notHelpful, List<String> examples, List<ClosestSection> closestSections) {
    }

    public record ClosestSection(String title, String url, double similarity) {
    }

    public record CitedSection(String title, String url, long citations) {
    }

    /**
     * An exercise whose solution was asked for: its heading and link (null for requests that named no exercise in
     * particular), how many times, and by how many clients (a client's key changes every day: one student on two
     * days counts twice).
     */
    public record ExerciseAsked(String exercise, String url, long requests, long clients) {
    }

    public record Section(String title, String url) {
    }

    static Double share(long part, long whole) {
        return whole == 0 ? null : Math.round(1000.0 * part / whole) / 1000.0;
    }
}
