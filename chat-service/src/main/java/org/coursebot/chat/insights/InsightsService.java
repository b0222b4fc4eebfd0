package org.coursebot.chat.insights;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import org.coursebot.chat.insights.InsightsReport.Gap;
import org.coursebot.chat.insights.InsightsRepository.Candidate;
import org.coursebot.chat.space.ActiveSpace;
import org.coursebot.common.FieldErrors;
import org.coursebot.common.ProblemException;
import org.coursebot.model.StoredSpace;

/** The staff's report ({@code GET /admin/insights}): counts, days, gaps, cited and never-cited sections. */
@ApplicationScoped
public class InsightsService {

    /** Groups of the report at most; sections shown per group. */
    static final int MAX_GAPS = 20;
    static final int CLOSEST_SECTIONS = 3;
    static final int EXAMPLES = 3;

    private static final Pattern PERIOD = Pattern.compile("([1-9][0-9]{0,3})([hd])");
    private static final Duration MAX_PERIOD = Duration.ofDays(365);

    private final InsightsRepository repository;
    private final InsightsConfig config;
    private final ActiveSpace active;
    private final QuestionLog log;

    public InsightsService(InsightsRepository repository, InsightsConfig config, ActiveSpace active, QuestionLog log) {
        this.repository = repository;
        this.config = config;
        this.active = active;
        this.log = log;
    }

    /**
     * Whether an answer with this id was given: by this process lately (it may not be written yet), or as the log
     * has it.
     */
    public Uni<Boolean> answered(java.util.UUID answerId) {
        return log.answeredRecently(answerId.toString()) ? Uni.createFrom().item(true) : repository.answered(answerId);
    }

    /** {@code 24h}, {@code 7d}...: 1 hour to 365 days; null for 7 days; else a 400 naming {@code since}. */
    static Duration period(String since) {
        if (since == null || since.isBlank()) {
            return Duration.ofDays(7);
        }
        Matcher m = PERIOD.matcher(since.trim().toLowerCase(Locale.ROOT));
        Duration period = !m.matches() ? null : m.group(2).equals("h") ? Duration.ofHours(Integer.parseInt(m.group(1)))
                : Duration.ofDays(Integer.parseInt(m.group(1)));
        new FieldErrors().require(period != null && period.compareTo(MAX_PERIOD) <= 0, "since",
                "must be a number of hours or days up to 365 days, such as 24h or 7d").throwIfAny();
        return period;
    }

    /** @param source the course (see {@link org.coursebot.chat.search.CourseSources}), or null for every course */
    public Uni<InsightsReport> report(Duration period, String source) {
        Instant until = Instant.now();
        Instant since = until.minus(period);
        return Uni.combine().all().unis(repository.summary(since, until, source), repository.days(since, until, source),
                        gaps(since, until, source), repository.mostCited(since, until, source),
                        repository.neverCited(since, until, source), repository.exerciseRequests(since, until, source))
                .asTuple().map(all -> {
                    var summary = all.getItem1();
                    Gaps gaps = all.getItem3();
                    return new InsightsReport(since, until, summary.questions(), summary.covered(),
                            InsightsReport.share(summary.covered(), summary.questions()), summary.feedback(),
                            summary.latency(), all.getItem2(), gaps.groups(), gaps.ungrouped(), all.getItem4(),
                            all.getItem5().sections(), all.getItem5().total(), all.getItem6(), source,
                            log.recording());
                })
                .onFailure(InsightsService::unreadable).transform(e -> new ProblemException("insights-unreadable",
                        "Service unavailable", 503, "chat-service's database role cannot read the question log: re-run"
                        + " deploy/ops/create-chat-role.sql (docs/insights.md)"));
    }

    private static boolean unreadable(Throwable e) {
        return e instanceof PgException pg && "42501".equals(pg.getSqlState());
    }

    private record Gaps(List<Gap> groups, long ungrouped) {
    }

    /**
     * Groups the uncovered and unhelpful questions that have a vector in the active space; questions without one
     * (degraded, or asked in another space) are counted, not grouped.
     */
    private Uni<Gaps> gaps(Instant since, Instant until, String source) {
        return repository.candidates(since, until, source, config.groupCandidates()).chain(candidates -> {
            Optional<StoredSpace> space = active.current();
            List<Candidate> groupable = space.isEmpty() ? List.of() : candidates.stream()
                    .filter(c -> c.embedded() && c.spaceId() != null && c.spaceId() == space.get().id()).toList();
            long ungrouped = candidates.size() - groupable.size();
            if (groupable.isEmpty()) {
                return Uni.createFrom().item(new Gaps(List.of(), ungrouped));
            }
            Map<String, Candidate> byId = new HashMap<>();
            groupable.forEach(c -> byId.put(c.answerId(), c));
            List<String> ids = groupable.stream().map(Candidate::answerId).toList();
            return repository.pairs(ids, 1 - config.groupSimilarity())
                    .map(pairs -> QuestionGroups.of(ids, pairs))
                    .chain(groups -> {
                        List<Uni<Gap>> gaps = new ArrayList<>();
                        for (List<String> group : groups.subList(0, Math.min(MAX_GAPS, groups.size()))) {
                            gaps.add(repository.closest(space.get(), group, source, CLOSEST_SECTIONS)
                                    .map(sections -> gap(group, byId, sections)));
                        }
                        return Uni.join().all(gaps).andFailFast();
                    })
                    .map(list -> new Gaps(list, ungrouped));
        });
    }

    private static Gap gap(List<String> group, Map<String, Candidate> byId,
            List<InsightsReport.ClosestSection> sections) {
        int uncovered = 0;
        int notHelpful = 0;
        Set<String> seen = new LinkedHashSet<>();
        List<String> examples = new ArrayList<>();
        for (String id : group) {
            Candidate c = byId.get(id);
            if (!c.covered()) {
                uncovered++;
            } else {
                notHelpful++;
            }
            if (examples.size() < EXAMPLES && seen.add(c.question().strip().toLowerCase(Locale.ROOT))) {
                examples.add(c.question());
            }
        }
        return new Gap(group.size(), uncovered, notHelpful, examples, sections);
    }
}
