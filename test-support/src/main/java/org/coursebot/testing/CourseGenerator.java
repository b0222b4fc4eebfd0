package org.coursebot.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Writes a static course site of real size (pages of 5–40 KB of text shaped like a university full-stack
 * course), deterministic for a seed, and changes it as authors do between crawls.
 *
 * <p>Pages live at {@code part{N}/{a-e}/{slug}.html} over eight parts. About one page in ten is an exercise
 * page ({@code .../exercises-N.html}) linked only from one lesson page: not from the index, the navigation or
 * the sitemap. Every page is a function of its own seed and of the links it carries, so a mutation rewrites
 * only the pages it touches and the pages whose links it changes; the others stay byte-identical.
 *
 * <p>Run as a program: {@code CourseGenerator <dir> <pages> <seed> <baseUrl>} writes a site;
 * {@code CourseGenerator mutate <dir> <pages> <seed> <baseUrl> <mutationSeed> <round> [edits deletions additions]}
 * writes the site as it is after mutation rounds 1..round (round r draws from {@code Random(mutationSeed + r)}).
 */
public final class CourseGenerator {

    static final String SITE_TITLE = "Full Stack Web Development";
    static final int PARTS = 8;
    static final String MODULES = "abcde";

    private CourseGenerator() {
    }

    public static void main(String[] args) {
        if (args.length == 4) {
            Course course = generate(Path.of(args[0]), Integer.parseInt(args[1]), Long.parseLong(args[2]), args[3]);
            System.out.println(course.pages().size() + " pages (" + course.exercisePages().size()
                    + " exercise pages) written to " + args[0]);
        } else if ((args.length == 7 || args.length == 10) && args[0].equals("mutate")) {
            int pages = Integer.parseInt(args[2]);
            int[] counts = args.length == 10
                    ? new int[] {Integer.parseInt(args[7]), Integer.parseInt(args[8]), Integer.parseInt(args[9])}
                    : defaultMutationCounts(pages);
            int round = Integer.parseInt(args[6]);
            MutationSummary summary = mutateToRound(Path.of(args[1]), pages, Long.parseLong(args[3]), args[4],
                    Long.parseLong(args[5]), round, counts[0], counts[1], counts[2]);
            System.out.println("round " + round + ": " + summary.describe() + " in " + args[1]);
        } else {
            System.err.println("usage: CourseGenerator <dir> <pages> <seed> <baseUrl>\n"
                    + "       CourseGenerator mutate <dir> <pages> <seed> <baseUrl> <mutationSeed> <round>"
                    + " [edits deletions additions]");
            System.exit(2);
        }
    }

    /**
     * Writes the site without a sitemap (its locations must be absolute URLs, and this overload knows no base)
     * and returns what it wrote.
     */
    public static Course generate(Path root, int pages, long seed) {
        return generate(root, pages, seed, null);
    }

    /**
     * Writes the site, with {@code sitemap.xml} listing {@code baseUrl} + the path of every page but the
     * exercise pages, and returns what it wrote. Files already there with the same bytes are left untouched.
     */
    public static Course generate(Path root, int pages, long seed, String baseUrl) {
        Course course = Course.plan(root, pages, seed, baseUrl);
        course.write();
        return course;
    }

    /**
     * Writes the site of {@code (pages, seed)} as it is after mutation rounds 1..{@code round}, round r drawing
     * from {@code new Random(mutationSeed + r)}, and returns what round {@code round} changed. Scripts call it
     * once per round on the same folder; on a folder left at round r - 1 only round r's changes are written.
     */
    public static MutationSummary mutateToRound(Path root, int pages, long seed, String baseUrl, long mutationSeed,
            int round, int edits, int deletions, int additions) {
        Course course = Course.plan(root, pages, seed, baseUrl);
        MutationSummary last = new MutationSummary(List.of(), List.of(), List.of(), List.of());
        for (int r = 1; r <= round; r++) {
            last = course.apply(new Random(mutationSeed + r), edits, deletions, additions);
        }
        return course.writeAndSummarize(last);
    }

    /** Edits, deletions and additions per round that the program uses when not told: 5 %, 1 %, 1 % of the pages. */
    static int[] defaultMutationCounts(int pages) {
        return new int[] {Math.max(1, pages / 20), Math.max(1, pages / 100), Math.max(1, pages / 100)};
    }

    /** What one mutation round changed, as paths relative to the site's root. */
    public record MutationSummary(List<String> edited, List<String> deleted, List<String> added,
            List<String> relinked) {

        public MutationSummary {
            edited = List.copyOf(edited);
            deleted = List.copyOf(deleted);
            added = List.copyOf(added);
            relinked = List.copyOf(relinked);
        }

        /** Pages whose bytes changed or that appeared: edited, added and relinked (rewritten for a link). */
        public List<String> changed() {
            List<String> changed = new ArrayList<>(edited);
            changed.addAll(added);
            changed.addAll(relinked);
            return changed;
        }

        public String describe() {
            return edited.size() + " edited, " + deleted.size() + " deleted, " + added.size() + " added, "
                    + relinked.size() + " relinked";
        }
    }

    /** One page of the model; an exercise page has {@code linkedFrom}, the one lesson page that links it. */
    record PageSpec(String path, int part, char module, String title, long seed, int revision,
            List<String> linkTargets, String exercise, String linkedFrom) {

        boolean isExercise() {
            return linkedFrom != null;
        }

        String moduleKey() {
            return part + "/" + module;
        }

        PageSpec withRevision(int newRevision) {
            return new PageSpec(path, part, module, title, seed, newRevision, linkTargets, exercise, linkedFrom);
        }
    }

    /** A generated site: its pages in site order, and what {@link #mutate} needs to change it consistently. */
    public static final class Course {

        private final Path root;
        private final String baseUrl;
        private final Map<String, PageSpec> pages = new LinkedHashMap<>();
        /** Every path ever deleted, so that writing over an older copy of the site removes them too. */
        private final Set<String> removed = new TreeSet<>();
        /** Every path ever used: an added page never takes a deleted page's URL, which would blur a soak test. */
        private final Set<String> usedPaths = new HashSet<>();

        private Course(Path root, String baseUrl) {
            this.root = root;
            this.baseUrl = baseUrl == null || baseUrl.endsWith("/") ? baseUrl : baseUrl + "/";
        }

        public Path root() {
            return root;
        }

        /** The base URL the sitemap was written for, ending in '/'; null when the site has no sitemap. */
        public String baseUrl() {
            return baseUrl;
        }

        /** Every page, lessons and exercises, in site order, e.g. {@code part3/b/express-middleware.html}. */
        public List<String> pages() {
            return List.copyOf(pages.keySet());
        }

        public List<String> lessonPages() {
            return pages.values().stream().filter(p -> !p.isExercise()).map(PageSpec::path).toList();
        }

        /** The pages linked only from one lesson page (see {@link #linkedFrom}). */
        public List<String> exercisePages() {
            return pages.values().stream().filter(PageSpec::isExercise).map(PageSpec::path).toList();
        }

        /** The one page that links an exercise page; null for a lesson page. */
        public String linkedFrom(String exercisePage) {
            PageSpec page = pages.get(exercisePage);
            return page == null ? null : page.linkedFrom();
        }

        public String title(String page) {
            return pages.get(page).title();
        }

        /**
         * Edits {@code edits} pages (one paragraph rewritten), deletes {@code deletions} lesson pages (with their
         * exercise page, and every link to them), adds {@code additions} lesson pages (in the index, the
         * sitemap and their module's navigation), writes the changed files and says what changed.
         */
        public MutationSummary mutate(Random random, int edits, int deletions, int additions) {
            return writeAndSummarize(apply(random, edits, deletions, additions));
        }

        static Course plan(Path root, int pageCount, long seed, String baseUrl) {
            if (pageCount < 1) {
                throw new IllegalArgumentException("a course needs at least one page, got " + pageCount);
            }
            Random plan = new Random(seed);
            int exercises = pageCount / 10;
            int lessons = pageCount - exercises;
            Course course = new Course(root, baseUrl);
            List<PageSpec> lessonSpecs = new ArrayList<>();
            int[] topicCursor = new int[PARTS];
            for (int i = 0; i < lessons; i++) {
                // Spreads the lessons in order over the 40 modules, so a small course still has every part.
                int slot = (int) ((long) i * PARTS * MODULES.length() / lessons);
                int part = slot / MODULES.length() + 1;
                String title = CourseText.lessonTitle(part, topicCursor[part - 1]++);
                lessonSpecs.add(course.newLesson(part, MODULES.charAt(slot % MODULES.length()), title, plan.nextLong()));
            }
            List<String> lessonPaths = lessonSpecs.stream().map(PageSpec::path).toList();
            Map<Integer, PageSpec> exerciseOf = new TreeMap<>();
            Map<String, Integer> exercisesInModule = new TreeMap<>();
            int[] exerciseNumber = new int[PARTS];
            for (int j = 0; j < exercises; j++) {
                // one exercise page per stride of lessons, so no lesson links two and they spread over the course
                int parentIndex = j * lessons / exercises + plan.nextInt(lessons / exercises);
                PageSpec parent = lessonSpecs.get(parentIndex);
                int n = exercisesInModule.merge(parent.moduleKey(), 1, Integer::sum);
                int first = exerciseNumber[parent.part() - 1] + 1;
                exerciseNumber[parent.part() - 1] += 3 + plan.nextInt(6);
                String path = "part" + parent.part() + "/" + parent.module() + "/exercises-" + n + ".html";
                String title = "Exercises " + parent.part() + "." + first + "–" + parent.part() + "."
                        + exerciseNumber[parent.part() - 1];
                course.usedPaths.add(path);
                exerciseOf.put(parentIndex, new PageSpec(path, parent.part(), parent.module(), title, plan.nextLong(), 0,
                        List.of(), null, parent.path()));
            }
            for (int i = 0; i < lessons; i++) {
                PageSpec lesson = lessonSpecs.get(i);
                PageSpec exercise = exerciseOf.get(i);
                course.pages.put(lesson.path(), new PageSpec(lesson.path(), lesson.part(), lesson.module(), lesson.title(),
                        lesson.seed(), 0, linkTargets(plan, lesson.path(), lessonPaths),
                        exercise == null ? null : exercise.path(), null));
                if (exercise != null) {
                    course.pages.put(exercise.path(), exercise);
                }
            }
            return course;
        }

        private PageSpec newLesson(int part, char module, String title, long pageSeed) {
            String base = "part" + part + "/" + module + "/" + CourseText.slug(title);
            String path = base + ".html";
            for (int n = 2; usedPaths.contains(path); n++) {
                path = base + "-" + n + ".html";
            }
            usedPaths.add(path);
            return new PageSpec(path, part, module, title, pageSeed, 0, List.of(), null, null);
        }

        /** Two to six other lesson pages a page links to in its prose, chosen once so links survive mutations. */
        private static List<String> linkTargets(Random random, String self, List<String> lessons) {
            Set<String> targets = new LinkedHashSet<>();
            int wanted = Math.min(2 + random.nextInt(5), lessons.size() - 1);
            while (targets.size() < wanted) {
                String target = lessons.get(random.nextInt(lessons.size()));
                if (!target.equals(self)) {
                    targets.add(target);
                }
            }
            return List.copyOf(targets);
        }

        /** Changes the model only; {@link #writeAndSummarize} puts it on disk. */
        MutationSummary apply(Random random, int edits, int deletions, int additions) {
            List<String> candidates = new ArrayList<>(pages.keySet());
            Collections.shuffle(candidates, random);
            List<String> edited = new ArrayList<>(candidates.subList(0, Math.min(edits, candidates.size())));
            for (String path : edited) {
                PageSpec page = pages.get(path);
                pages.put(path, page.withRevision(page.revision() + 1));
            }
            List<String> deleted = new ArrayList<>();
            Set<String> firstOfModule = new HashSet<>();
            Set<String> modulesSeen = new HashSet<>();
            for (PageSpec page : pages.values()) {
                if (!page.isExercise() && modulesSeen.add(page.moduleKey())) {
                    firstOfModule.add(page.path());
                }
            }
            // A module's first page stays: the header, the index and the part navigation lead to it.
            List<String> deletable = new ArrayList<>(lessonPages().stream()
                    .filter(p -> !firstOfModule.contains(p) && !edited.contains(p)).toList());
            Collections.shuffle(deletable, random);
            for (String path : deletable.subList(0, Math.min(deletions, deletable.size()))) {
                PageSpec page = pages.remove(path);
                deleted.add(path);
                if (page.exercise() != null) {
                    pages.remove(page.exercise());
                    deleted.add(page.exercise());
                }
            }
            removed.addAll(deleted);
            List<String> added = new ArrayList<>();
            List<String> modules = new ArrayList<>(new TreeSet<>(pages.values().stream().map(PageSpec::moduleKey).toList()));
            for (int i = 0; i < additions; i++) {
                String[] module = modules.get(random.nextInt(modules.size())).split("/");
                int part = Integer.parseInt(module[0]);
                PageSpec lesson = newLesson(part, module[1].charAt(0), CourseText.lessonTitle(part, random.nextInt(CourseText.topicCount(part))),
                        random.nextLong());
                PageSpec linked = new PageSpec(lesson.path(), part, lesson.module(), lesson.title(), lesson.seed(), 0,
                        linkTargets(random, lesson.path(), lessonPages()), null, null);
                pages.put(linked.path(), linked);
                added.add(linked.path());
            }
            return new MutationSummary(edited, deleted, added, List.of());
        }

        MutationSummary writeAndSummarize(MutationSummary round) {
            Set<String> relinked = new LinkedHashSet<>(write());
            round.edited().forEach(relinked::remove);
            round.added().forEach(relinked::remove);
            return new MutationSummary(round.edited(), round.deleted(), round.added(), List.copyOf(relinked));
        }

        /** Writes every file whose bytes differ from what is on disk; returns the pages it wrote. */
        Set<String> write() {
            SiteView view = new SiteView(pages);
            Set<String> written = new LinkedHashSet<>();
            for (PageSpec page : pages.values()) {
                if (writeIfChanged(root.resolve(page.path()), CoursePage.render(page, view))) {
                    written.add(page.path());
                }
            }
            writeIfChanged(root.resolve("index.html"), CoursePage.index(view));
            if (baseUrl != null) {
                writeIfChanged(root.resolve("sitemap.xml"), view.sitemap(baseUrl));
            }
            try {
                for (String path : removed) {
                    Files.deleteIfExists(root.resolve(path));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return written;
        }

        /** Leaves a file with the same bytes untouched, so its modification time (Last-Modified) stays too. */
        private static boolean writeIfChanged(Path file, String text) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            try {
                if (Files.isRegularFile(file) && Arrays.equals(Files.readAllBytes(file), bytes)) {
                    return false;
                }
                Files.createDirectories(file.getParent());
                Files.write(file, bytes);
                return true;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

}
