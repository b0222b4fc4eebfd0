package org.coursebot.chat.insights;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Groups questions from the pairs that are similar enough (PostgreSQL finds them: {@link InsightsRepository#PAIRS}).
 * Leader clustering rather than connected components: the question with the most similar unassigned questions leads
 * a group of itself and those; then the next. Components would chain "deploy to Kubernetes" to "deploy to Heroku" to
 * "Heroku pricing" through one question near both; here every member is similar to its leader.
 */
final class QuestionGroups {

    private QuestionGroups() {
    }

    /**
     * @param ids the questions, newest first (ties between leaders go to the newest)
     * @param pairs similar pairs, each as two ids
     * @return the groups, largest first, each led by its leader, then the others in the order of {@code ids}
     */
    static List<List<String>> of(List<String> ids, List<String[]> pairs) {
        Map<String, Set<String>> similar = new HashMap<>();
        for (String id : ids) {
            similar.put(id, new LinkedHashSet<>());
        }
        for (String[] pair : pairs) {
            if (similar.containsKey(pair[0]) && similar.containsKey(pair[1])) {
                similar.get(pair[0]).add(pair[1]);
                similar.get(pair[1]).add(pair[0]);
            }
        }
        Map<String, Integer> order = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            order.put(ids.get(i), i);
        }
        // How many unassigned questions each question is similar to: kept up to date as groups are taken.
        Map<String, Integer> free = new HashMap<>();
        similar.forEach((id, others) -> free.put(id, others.size()));
        Set<String> assigned = new HashSet<>();
        List<List<String>> groups = new ArrayList<>();
        while (assigned.size() < ids.size()) {
            String leader = null;
            for (String id : ids) {
                if (!assigned.contains(id) && (leader == null || free.get(id) > free.get(leader))) {
                    leader = id;
                }
            }
            List<String> group = new ArrayList<>();
            group.add(leader);
            similar.get(leader).stream().filter(o -> !assigned.contains(o))
                    .sorted((a, b) -> Integer.compare(order.get(a), order.get(b))).forEach(group::add);
            assigned.addAll(group);
            for (String member : group) {
                for (String other : similar.get(member)) {
                    free.merge(other, -1, Integer::sum);
                }
            }
            groups.add(group);
        }
        groups.sort((a, b) -> Integer.compare(b.size(), a.size()));
        return groups;
    }
}
