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
import java.util.Locale;
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

    /** The site as a page sees it when rendered: which pages exist, their titles, each module's lessons. */
    static final class SiteView {

        private final Map<String, PageSpec> pages;
        private final Map<String, List<PageSpec>> lessonsByModule = new TreeMap<>();

        SiteView(Map<String, PageSpec> pages) {
            this.pages = pages;
            for (PageSpec page : pages.values()) {
                if (!page.isExercise()) {
                    lessonsByModule.computeIfAbsent(page.moduleKey(), k -> new ArrayList<>()).add(page);
                }
            }
        }

        boolean exists(String path) {
            return pages.containsKey(path);
        }

        String title(String path) {
            return pages.get(path).title();
        }

        /** Modules that have lessons, "part/letter", in course order. */
        List<String> modules() {
            return List.copyOf(lessonsByModule.keySet());
        }

        List<PageSpec> lessons(String moduleKey) {
            return lessonsByModule.getOrDefault(moduleKey, List.of());
        }

        /** The first lesson of a part; null when the course is too small to have one there. */
        String firstPage(int part) {
            return lessonsByModule.entrySet().stream().filter(e -> e.getKey().startsWith(part + "/"))
                    .map(e -> e.getValue().get(0).path()).findFirst().orElse(null);
        }

        String sitemap(String baseUrl) {
            StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    + "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
            xml.append("  <url><loc>").append(baseUrl).append("</loc></url>\n");
            for (String module : modules()) {
                for (PageSpec page : lessons(module)) {
                    xml.append("  <url><loc>").append(baseUrl).append(page.path()).append("</loc></url>\n");
                }
            }
            return xml.append("</urlset>\n").toString();
        }
    }

    /** Renders one page of the model as a static site generator would, with the chrome every page repeats. */
    static final class CoursePage {

        private static final String[] LINK_FORMS = {
            " See <a href=\"%s\">%s</a> for %s.",
            " We covered %3$s in <a href=\"%1$s\">%2$s</a>.",
            " The section <a href=\"%s\">%s</a> explains %s in more detail.",
            " Compare this with <a href=\"%s\">%s</a>, where %s works differently.",
        };
        private static final String[] TABLE_HEADERS = {"URL|verb|functionality", "script|command|purpose",
            "status|meaning|when we send it", "term|description|example"};

        private final PageSpec page;
        private final SiteView view;
        private final CourseText.Part part;
        private final StringBuilder html = new StringBuilder(48 * 1024);
        private final Set<String> ids = new HashSet<>();
        /** The h2 headings that have an id, for the aside's "On this page". */
        private final Map<String, String> headingsWithId = new LinkedHashMap<>();
        /** Text a reader sees so far, whitespace collapsed, as the tests measure it: it decides when a page is long enough. */
        private int visible;
        private int paragraphs;
        private int links;

        private CoursePage(PageSpec page, SiteView view) {
            this.page = page;
            this.view = view;
            this.part = CourseText.part(page.part());
        }

        static String render(PageSpec page, SiteView view) {
            CoursePage rendered = new CoursePage(page, view);
            rendered.content(new Random(page.seed()));
            return rendered.document();
        }

        /** The home page: every part's first page and every lesson, grouped by part and module; no exercise page. */
        static String index(SiteView view) {
            StringBuilder out = new StringBuilder(64 * 1024);
            head(out, SITE_TITLE);
            header(out, view);
            out.append("<main id=\"content\">\n<h1>").append(SITE_TITLE).append("</h1>\n<p>This course is an introduction "
                    + "to modern web development with JavaScript: single page applications with React, REST APIs with "
                    + "Node.js and Express, testing, state management, relational databases and deployment.</p>\n");
            for (int p = 1; p <= PARTS; p++) {
                String first = view.firstPage(p);
                if (first == null) {
                    continue;
                }
                out.append("<section class=\"part\">\n<h2 id=\"part-").append(p).append("\">Part ").append(p).append(": ")
                        .append(CourseText.escape(CourseText.part(p).title())).append("</h2>\n<p><a href=\"").append(first)
                        .append("\">Start part ").append(p).append("</a></p>\n<ol>\n");
                for (String module : view.modules()) {
                    if (module.startsWith(p + "/")) {
                        out.append("<li>").append(moduleTitle(module)).append("\n<ul>\n");
                        for (PageSpec lesson : view.lessons(module)) {
                            out.append("<li><a href=\"").append(lesson.path()).append("\">")
                                    .append(CourseText.escape(lesson.title())).append("</a></li>\n");
                        }
                        out.append("</ul>\n</li>\n");
                    }
                }
                out.append("</ol>\n</section>\n");
            }
            out.append("</main>\n");
            footer(out, view);
            return out.append("</body>\n</html>\n").toString();
        }

        private void content(Random random) {
            // Sizes spread like a real course's pages: most near 10 KB, a long tail of long ones.
            int target = (int) Math.min(35 * 1024, 4.5 * 1024 - Math.log(1 - random.nextDouble()) * 9.5 * 1024);
            add("<h1>" + CourseText.escape(page.title()) + "</h1>\n");
            if (page.isExercise()) {
                add("<p>These exercises belong to <a href=\"" + relative(page.path(), page.linkedFrom()) + "\">"
                        + CourseText.escape(view.title(page.linkedFrom())) + "</a>. Submit your solutions to the "
                        + "submission system before the deadline of the part.</p>\n");
            }
            int intro = 2 + random.nextInt(2);
            for (int i = 0; i < intro; i++) {
                paragraph(random);
            }
            for (int sections = 0; sections < 2 || visible < target; sections++) {
                section(2, random, target);
            }
            if (page.exercise() != null && view.exists(page.exercise())) {
                String title = view.title(page.exercise());
                add("<h2 id=\"" + uniqueId(CourseText.slug(title)) + "\">" + CourseText.escape(title) + "</h2>\n<p>The "
                        + "exercises of this section are on a page of their own: <a href=\"" + relative(page.path(),
                        page.exercise()) + "\">" + CourseText.escape(title) + "</a>. Do them before you move on.</p>\n");
            }
        }

        private void section(int level, Random random, int target) {
            String title = CourseText.heading(random, part);
            String id = uniqueId(CourseText.slug(title));
            String heading = "<h" + level + ">" + CourseText.escape(title) + "</h" + level + ">\n";
            int style = random.nextInt(10);
            // Real sites are inconsistent: ids on the heading, on an anchor before it, on a section, or nowhere.
            boolean wrapped = level == 2 && style == 9;
            if (wrapped) {
                add("<section id=\"" + id + "\">\n" + heading);
            } else if (style < 5) {
                add("<h" + level + " id=\"" + id + "\">" + heading.substring(heading.indexOf('>') + 1));
            } else if (style < 8) {
                add(heading);
                id = null;
            } else {
                add("<a id=\"" + id + "\"></a>\n" + heading);
            }
            if (level == 2 && id != null) {
                headingsWithId.put(id, title);
            }
            int paragraphCount = 1 + random.nextInt(level == 2 ? 3 : 2);
            for (int i = 0; i < paragraphCount && (i == 0 || visible < target); i++) {
                paragraph(random);
            }
            int blocks = random.nextInt(3);
            for (int i = 0; i < blocks && visible < target; i++) {
                block(random);
            }
            int subsections = level < 4 ? random.nextInt(level == 2 ? 4 : 3) : 0;
            for (int i = 0; i < subsections && visible < target; i++) {
                section(level + 1, random, target);
            }
            if (wrapped) {
                add("</section>\n");
            }
        }

        private void paragraph(Random random) {
            String text = CourseText.paragraph(random, part);
            String link = link(random);
            int ordinal = paragraphs++;
            if (page.revision() > 0 && ordinal == Math.floorMod(page.seed() + page.revision(), 4)) {
                // An author's edit: counted as the old text, so the rest of the page keeps its shape.
                visible += visibleLength(text);
                text = CourseText.paragraph(new Random(page.seed() * 31 + page.revision()), part);
                visible -= visibleLength(text);
            }
            add("<p>" + text + link + "</p>\n");
        }

        /** A sentence linking another lesson, or nothing; its length counts either way, so a deletion elsewhere
         * changes this page only where the link was. */
        private String link(Random random) {
            if (links >= page.linkTargets().size() || random.nextInt(3) != 0) {
                return "";
            }
            String target = page.linkTargets().get(links++);
            String href = random.nextBoolean() ? "/" + target : relative(page.path(), target);
            String form = CourseText.pick(random, LINK_FORMS);
            String phrase = CourseText.phrase(random, part);
            visible += visibleLength(phrase) + 40;
            if (!view.exists(target)) {
                return "";
            }
            String sentence = String.format(form, href, CourseText.escape(view.title(target)), phrase);
            visible -= visibleLength(sentence);
            return sentence;
        }

        private void block(Random random) {
            int kind = random.nextInt(10);
            if (kind < 5) {
                String[] code = CodeSamples.block(random, part);
                add("<pre><code class=\"language-" + code[0] + "\">" + CourseText.escape(code[1]) + "\n</code></pre>\n");
            } else if (kind < 7) {
                String tag = random.nextBoolean() ? "ul" : "ol";
                StringBuilder list = new StringBuilder("<" + tag + ">\n");
                int items = 3 + random.nextInt(5);
                for (int i = 0; i < items; i++) {
                    String item = random.nextBoolean() ? CourseText.sentence(random, part) : CourseText.phrase(random, part);
                    list.append("<li>").append(item).append("</li>\n");
                }
                add(list.append("</").append(tag).append(">\n").toString());
            } else if (kind < 9) {
                add(table(random));
            } else {
                String src = (random.nextBoolean() ? "/" : "../../") + "images/part" + page.part() + "/" + page.module()
                        + "-" + (1 + random.nextInt(40)) + ".png";
                String alt = CourseText.escape(CourseText.phrase(random, part).replaceAll("<[^>]*>", ""));
                add(random.nextBoolean() ? "<p><img src=\"" + src + "\" alt=\"" + alt + "\"></p>\n"
                        : "<figure>\n<img src=\"" + src + "\" alt=\"" + alt + "\">\n<figcaption>"
                                + CourseText.sentence(random, part) + "</figcaption>\n</figure>\n");
            }
        }

        private String table(Random random) {
            String[] columns = CourseText.pick(random, TABLE_HEADERS).split("\\|");
            StringBuilder table = new StringBuilder("<table>\n<thead>\n<tr>");
            for (String column : columns) {
                table.append("<th>").append(column).append("</th>");
            }
            table.append("</tr>\n</thead>\n<tbody>\n");
            int rows = 3 + random.nextInt(5);
            for (int r = 0; r < rows; r++) {
                table.append("<tr><td><code>").append(CourseText.escape(CourseText.pick(random, part.code())))
                        .append("</code></td><td>").append(CourseText.phrase(random, part)).append("</td><td>")
                        .append(CourseText.sentence(random, part)).append("</td></tr>\n");
            }
            return table.append("</tbody>\n</table>\n").toString();
        }

        private String document() {
            StringBuilder out = new StringBuilder(html.length() + 8 * 1024);
            head(out, page.title() + " | " + SITE_TITLE);
            header(out, view);
            partNavigation(out);
            out.append("<main id=\"content\">\n<article>\n").append(html).append("</article>\n</main>\n");
            out.append("<aside class=\"page-toc\">\n<p>On this page</p>\n<ul>\n");
            headingsWithId.forEach((id, title) -> out.append("<li><a href=\"#").append(id).append("\">")
                    .append(CourseText.escape(title)).append("</a></li>\n"));
            out.append("</ul>\n<p>Found a mistake? <a href=\"mailto:course-staff@example.edu?subject=")
                    .append(page.path().replace("/", "%2F")).append("\">Tell the course staff</a>.</p>\n</aside>\n");
            footer(out, view);
            return out.append("</body>\n</html>\n").toString();
        }

        /** The part's table of contents: its modules, and the lessons of this page's module. */
        private void partNavigation(StringBuilder out) {
            out.append("<nav class=\"part-toc\" aria-label=\"Part ").append(page.part()).append(" contents\">\n")
                    .append("<p class=\"part-title\">Part ").append(page.part()).append(": ")
                    .append(CourseText.escape(part.title())).append("</p>\n<ol class=\"modules\">\n");
            for (String module : view.modules()) {
                if (!module.startsWith(page.part() + "/")) {
                    continue;
                }
                List<PageSpec> lessons = view.lessons(module);
                boolean current = module.equals(page.moduleKey());
                out.append(current ? "<li class=\"current\">" : "<li>").append("<a href=\"/").append(lessons.get(0).path())
                        .append("\">").append(moduleTitle(module)).append("</a>");
                if (current) {
                    out.append("\n<ul>\n");
                    for (PageSpec lesson : lessons) {
                        out.append("<li><a href=\"/").append(lesson.path()).append('"')
                                .append(lesson.path().equals(page.path()) ? " aria-current=\"page\"" : "").append('>')
                                .append(CourseText.escape(lesson.title())).append("</a></li>\n");
                    }
                    out.append("</ul>\n");
                }
                out.append("</li>\n");
            }
            out.append("</ol>\n</nav>\n");
        }

        private static void head(StringBuilder out, String title) {
            out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                    .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
                    .append(CourseText.escape(title)).append("</title>\n")
                    .append("<link rel=\"stylesheet\" href=\"/assets/site.css\">\n</head>\n<body>\n")
                    .append("<a class=\"skip-link\" href=\"#content\">Skip to content</a>\n");
        }

        private static void header(StringBuilder out, SiteView view) {
            out.append("<header class=\"site-header\">\n<a class=\"site-title\" href=\"/\">").append(SITE_TITLE)
                    .append("</a>\n<nav class=\"top-nav\" aria-label=\"Course parts\">\n<ul>\n<li><a href=\"/\">Home</a></li>\n");
            for (int p = 1; p <= PARTS; p++) {
                String first = view.firstPage(p);
                if (first != null) {
                    out.append("<li><a href=\"/").append(first).append("\">Part ").append(p).append("</a></li>\n");
                }
            }
            out.append("</ul>\n</nav>\n</header>\n");
        }

        private static void footer(StringBuilder out, SiteView view) {
            String start = view.firstPage(1);
            out.append("<footer class=\"site-footer\">\n<p>© 2025 Department of Computer Science, University of Example. "
                    + "The course material is licensed under Creative Commons BY-NC-SA 4.0.</p>\n<ul>\n"
                    + "<li><a href=\"/\">Course home</a></li>\n");
            if (start != null) {
                out.append("<li><a href=\"/").append(start).append("\">Start the course</a></li>\n");
            }
            out.append("<li><a href=\"mailto:course-staff@example.edu\">Contact</a></li>\n</ul>\n</footer>\n");
        }

        private static String moduleTitle(String moduleKey) {
            String[] partAndLetter = moduleKey.split("/");
            char letter = partAndLetter[1].charAt(0);
            return letter + " " + CourseText.escape(CourseText.part(Integer.parseInt(partAndLetter[0])).modules()
                    .get(letter - 'a'));
        }

        private void add(String fragment) {
            html.append(fragment);
            visible += visibleLength(fragment);
        }

        private String uniqueId(String base) {
            String id = base;
            for (int n = 2; !ids.add(id); n++) {
                id = base + "-" + n;
            }
            return id;
        }

        /** The path of {@code to} relative to the folder of {@code from}, both relative to the site's root. */
        static String relative(String from, String to) {
            String[] fromParts = from.split("/");
            String[] toParts = to.split("/");
            int common = 0;
            while (common < fromParts.length - 1 && common < toParts.length - 1 && fromParts[common].equals(toParts[common])) {
                common++;
            }
            StringBuilder relative = new StringBuilder();
            for (int i = common; i < fromParts.length - 1; i++) {
                relative.append("../");
            }
            return relative.append(String.join("/", Arrays.copyOfRange(toParts, common, toParts.length))).toString();
        }

        /** Characters outside tags, whitespace runs (and tags) counted as one space. */
        static int visibleLength(String fragment) {
            int length = 0;
            boolean inTag = false;
            boolean lastWasSpace = false;
            for (int i = 0; i < fragment.length(); i++) {
                char c = fragment.charAt(i);
                if (inTag) {
                    inTag = c != '>';
                    if (!inTag && !lastWasSpace) {
                        length++;
                        lastWasSpace = true;
                    }
                } else if (c == '<') {
                    inTag = true;
                } else if (Character.isWhitespace(c)) {
                    if (!lastWasSpace) {
                        length++;
                        lastWasSpace = true;
                    }
                } else {
                    length++;
                    lastWasSpace = false;
                }
            }
            return length;
        }
    }

    /** The course's words: part and module titles, topics, prose sentences and code samples built from them. */
    static final class CourseText {

        /** One part of the course: its title, module titles, lesson topics, terms and code identifiers. */
        record Part(String title, List<String> modules, List<String> topics, List<String> terms, List<String> code,
                int jsPercent, int shellPercent) {

            static Part of(String title, String modules, String topics, String terms, String code, int js, int shell) {
                return new Part(title, List.of(modules.split("\\|")), List.of(topics.split("\\|")),
                        List.of(terms.split("\\|")), List.of(code.split("\\|")), js, shell);
            }
        }

        static final List<Part> PARTS = List.of(
                Part.of("Introduction to React",
                        "Introduction to React|JavaScript|Component state, event handlers"
                                + "|A more complex state, debugging React apps|Fundamentals of web apps",
                        "Component helper functions|Destructuring|Page re-rendering|Stateful component|Event handling"
                                + "|Passing state to child components|Changes in state cause rendering"
                                + "|Refactoring the components|Complex state|Handling arrays"
                                + "|Update of the state is asynchronous|Conditional rendering|Debugging React applications"
                                + "|Rules of Hooks|A function that returns a function"
                                + "|Do not define components within components|Variables|Arrays|Objects|Functions"
                                + "|Object methods and this|Classes|HTTP GET|Document Object Model|CSS"
                                + "|Loading a page containing JavaScript|Forms and HTTP POST|AJAX|Single page app"
                                + "|JavaScript libraries|Full-stack web development",
                        "component|props|state|hook|JSX|render|event handler|browser|console|element|closure"
                                + "|arrow function|DOM|template string|virtual DOM",
                        "useState|props.children|console.log|onClick|setCounter|App.jsx|main.jsx|npm run dev"
                                + "|document.getElementById|Array.prototype.map",
                        80, 20),
                Part.of("Communicating with server",
                        "Rendering a collection, modules|Forms|Getting data from server|Altering data in server"
                                + "|Adding styles to React app",
                        "Visual Studio Code snippets|JavaScript Arrays|Event handlers revisited|Rendering Collections"
                                + "|Key-attribute|Map|Array Indexes as Keys|Refactoring Modules|When the Application Breaks"
                                + "|Saving the notes in the component state|Controlled component"
                                + "|Filtering Displayed Elements|The browser as a runtime environment|npm"
                                + "|Axios and promises|Effect-hooks|The development runtime environment|REST"
                                + "|Sending Data to the Server|Changing the Importance of Notes"
                                + "|Extracting Communication with the Backend into a Separate Module"
                                + "|Cleaner Syntax for Defining Object Literals|Promises and Errors"
                                + "|Improved error message|Inline styles",
                        "axios|promise|json-server|effect hook|REST API|resource|endpoint|HTTP request|module"
                                + "|key attribute|form|controlled component|stylesheet|callback|event loop",
                        "axios.get|useEffect|then|catch|key|noteService.getAll|event.preventDefault()"
                                + "|db.json|npx json-server --port 3001 db.json|className",
                        80, 20),
                Part.of("Programming a server with NodeJS and Express",
                        "Node.js and Express|Deploying app to internet|Saving data to MongoDB|Validation and ESLint"
                                + "|Middleware and error handling",
                        "Simple web server|Express|Web and Express|nodemon|Fetching a single resource"
                                + "|Deleting resources|Postman|The Visual Studio Code REST client|Receiving data"
                                + "|About HTTP request types|Middleware|Same origin policy and CORS"
                                + "|Application to the Internet|Frontend production build"
                                + "|Serving static files from the backend|Streamlining deploying of the frontend|Proxy"
                                + "|Debugging Node applications|MongoDB|Schema|Creating and saving objects"
                                + "|Fetching objects from the database|Connecting the backend to a database"
                                + "|Using database in route handlers|Error handling"
                                + "|Moving error handling into middleware|The order of middleware loading"
                                + "|Promise chaining|Lint|Deploying the database backend to production",
                        "Express|middleware|route|request|response|Node.js|nodemon|MongoDB|Mongoose|schema"
                                + "|environment variable|port|CORS|static file|error handler",
                        "app.use|express.json()|request.params.id|response.status(404)|process.env.PORT|morgan"
                                + "|app.listen|next(error)|mongoose.connect|.env",
                        65, 30),
                Part.of("Testing Express servers, user administration",
                        "Structure of backend application, introduction to testing|Testing the backend"
                                + "|User administration|Token authentication|Test doubles and fixtures",
                        "Project structure|Note on exports|Testing Node applications|Test environment|supertest"
                                + "|Initializing the database before tests|Running tests one by one|async/await"
                                + "|async/await in the backend|More tests and refactoring the backend"
                                + "|Error handling and async/await|Eliminating the try-catch"
                                + "|Optimizing the beforeEach function|Refactoring tests|References across collections"
                                + "|Mongoose schema for users|Creating users|Creating a new note|Populate"
                                + "|Limiting creating new notes to logged-in users"
                                + "|Problems of Token-based authentication|Password hashing with bcrypt|Test doubles"
                                + "|Fixtures and factories",
                        "test|assertion|supertest|test database|user|password hash|token|JWT|bcrypt|reference"
                                + "|async function|beforeEach|fixture|mock|authorization header",
                        "node --test|assert.strictEqual|beforeEach|supertest(app)|jwt.sign|bcrypt.hash"
                                + "|populate('user')|NODE_ENV=test|Authorization: Bearer|express-async-errors",
                        65, 30),
                Part.of("Testing React apps",
                        "Login in frontend|props.children and proptypes|Testing React apps"
                                + "|End to end testing: Playwright|End to end testing: Cypress",
                        "Handling login|Conditional rendering of the login form"
                                + "|Saving the token to the browser's local storage|A note on using local storage"
                                + "|Displaying the login form only when appropriate|The components children"
                                + "|State of the forms|References to components with ref|One point about components"
                                + "|PropTypes|Rendering the component for tests|Test file location"
                                + "|Searching for content in a component|Debugging tests|Clicking buttons in tests"
                                + "|Tests for the Togglable component|Testing the forms|About finding the elements"
                                + "|Test coverage|Frontend integration tests|Snapshot testing|Initializing tests"
                                + "|Controlling the state of the database|Failed login test"
                                + "|Running and debugging the tests",
                        "login form|local storage|ref|props.children|Togglable|screen|user event|mock function"
                                + "|coverage|end to end test|Playwright|selector|snapshot|test id|page object",
                        "window.localStorage|useRef|forwardRef|render(<Note />)|screen.getByText|userEvent.setup()"
                                + "|vi.fn()|page.getByRole|expect(locator).toBeVisible()|npm run test:e2e",
                        80, 20),
                Part.of("Advanced state management",
                        "Flux-architecture and Redux|Many reducers|Communicating with server in a Redux application"
                                + "|React Query, useReducer and the context|Redux Toolkit in depth",
                        "Flux-architecture|Redux|Redux-notes|Pure functions, immutable|Array spread syntax"
                                + "|Uncontrolled form|Action creators|Forwarding Redux Store to various components"
                                + "|Store with complex state|Combined reducers|Redux Toolkit|Redux DevTools"
                                + "|Getting data from the backend|Sending data to the backend"
                                + "|Asynchronous actions and Redux Thunk|Managing data on the server with React Query"
                                + "|Synchronizing data to the server using React Query|Optimizing the performance"
                                + "|useReducer|Using context for passing the state to components"
                                + "|Which state management solution to choose?",
                        "store|reducer|action|dispatch|selector|immutable state|slice|thunk|query|mutation|context"
                                + "|provider|action creator|cache|query invalidation",
                        "useSelector|useDispatch|createSlice|configureStore|combineReducers|deepFreeze"
                                + "|useQuery|useMutation|queryClient.invalidateQueries|createContext",
                        80, 20),
                Part.of("React router, custom hooks, styling app with CSS and webpack",
                        "React Router|Custom hooks|More about styles|Webpack|Class components, Miscellaneous",
                        "Application navigation structure|Parameterized route|useNavigate|Redirect"
                                + "|Parameterized route revisited|Hooks|Custom hooks|Spread attributes"
                                + "|Ready-made UI libraries|React Bootstrap|Material UI|Styled components|Bundling"
                                + "|Configuration file|Loaders|Transpilers|Webpack-dev-server|Source maps"
                                + "|Minifying the code|Development and production configuration|Polyfill"
                                + "|Class Components|Organization of code in React application"
                                + "|Frontend and backend in the same repository|Virtual DOM"
                                + "|On the role of React in applications|React/node-application security"
                                + "|Current trends",
                        "route|router|link|navigation|URL parameter|custom hook|bundle|loader|transpiler"
                                + "|source map|polyfill|class component|lifecycle method|styled component|theme",
                        "BrowserRouter|useParams|useMatch|Navigate|webpack.config.js|babel-loader"
                                + "|componentDidMount|styled.button|npm run build|devServer",
                        80, 20),
                Part.of("Using relational databases",
                        "Using relational databases with Sequelize|Join tables and queries"
                                + "|Migrations, many-to-many relationships|Deployment and continuous integration"
                                + "|Containers",
                        "Advantages and disadvantages of document databases|Application database"
                                + "|Node application using a relational database|Creating database tables automatically"
                                + "|Printing the objects returned by Sequelize to the console|Application structuring"
                                + "|Table relations|Proper linking of tables|Adding a relation to the note|More queries"
                                + "|Migrations|Admin user and user disabling|Many-to-many relationships"
                                + "|Note about the models|Revisiting the many-to-many relationships"
                                + "|Getting started with GitHub Actions|Getting software in containers"
                                + "|Building and configuring environments|Using a database in a container"
                                + "|Transactions and isolation|Connection pooling|Indexes and query plans",
                        "table|column|row|primary key|foreign key|migration|model|query|join|transaction|index"
                                + "|connection pool|container|image|workflow",
                        "sequelize.sync()|Model.init|findAll|include: { model: User }|umzug|psql"
                                + "|docker compose up|DATABASE_URL|EXPLAIN ANALYZE|BEGIN",
                        35, 25));

        private static final String[] NOUNS = ("application|server|client|browser|request|response|function|module"
                + "|component|developer|user|database|file|variable|object|array|value|parameter|error|example"
                + "|library|code|project|test|configuration|environment|route|handler|state|page|token"
                + "|connection|command|directory|package|dependency|version|method|field|collection").split("\\|");
        private static final String[] VERBS = ("use|define|create|add|change|move|test|call|implement|refactor"
                + "|handle|return|store|render|fetch|validate|install|configure|export|import|update|read|send"
                + "|receive|log|parse|register|remove|replace|check").split("\\|");
        private static final String[] ADJECTIVES = ("new|simple|separate|asynchronous|previous|following|whole"
                + "|default|same|correct|single|external|local|important|complex|small|global|unique|empty|valid"
                + "|initial|current|final|entire|useful").split("\\|");
        private static final String[] ADVERBS = ("now|then|also|easily|automatically|usually|already|directly"
                + "|simply|only|always|rarely|immediately").split("\\|");
        private static final String[] OPENERS = ("|In practice,|For example,|However,|Note that|As we saw earlier,"
                + "|At this point|In the code above,|After this change,|In other words,|Before we continue,"
                + "|In this part|Now|Next,|Finally,|Fortunately,|Unfortunately,|In most cases||").split("\\|", -1);
        private static final String[] PREPOSITIONS = "in|from|to|with|inside|through|for|on|into|behind".split("\\|");
        private static final String[] JUDGEMENTS = ("good practice|important|possible|easy|common|worth noting"
                + "|not always necessary|a good idea|tempting").split("\\|");
        private static final String[] TEMPLATES = {
            "{O} the {A} {N} {V} the {T} {P} the {N}.",
            "The {T} {V} the {N} {P} {a} {A} {N}, {S}.",
            "We {B} the {C} {P} the {N} {S}.",
            "Let's {B} the {A} {T} {P} the {N}.",
            "It is {J} to {B} the {N} {S}.",
            "{O} {C} {V} {a} {A} {N} {P} the {T}.",
            "When the {N} {V} the {T}, the {N} {D} {V} the {A} {N}.",
            "This {V} the {N} {P} the {T}, which {V} the {A} {N} {P} the {N}.",
            "There are {num} {A} {Ns} {P} the {T}, and each of them {V} the {N}.",
            "{O} the {T} is {A}, so we {B} the {N} {P} the {N} {D}.",
            "The {A} {Ns} {B} {C} {D}, {S}.",
            "If you {B} the {T} {P} the {N}, remember to {B} the {A} {N} as well.",
        };
        private static final String[] CLAUSES = {
            "when the {N} {V} the {N}", "because the {N} is {A}", "so that the {N} {V} the {T}",
            "which means that the {A} {N} {V} the {N}", "if the {N} is {A}", "before the {T} {V} the {N}",
            "since the {A} {T} {V} {C}", "as long as the {N} {V} the {A} {N}",
        };
        private static final String[] NUMBERS = "two|three|four|five|several|many|a few".split("\\|");

        private CourseText() {
        }

        static Part part(int part) {
            return PARTS.get(part - 1);
        }

        static int topicCount(int part) {
            return part(part).topics().size();
        }

        /** The n-th lesson title of a part; past the topic list, topics come back as "…, part 2". */
        static String lessonTitle(int part, int n) {
            List<String> topics = part(part).topics();
            String topic = topics.get(n % topics.size());
            return n < topics.size() ? topic : topic + ", part " + (n / topics.size() + 1);
        }

        static String slug(String title) {
            String slug = title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
            return slug.isEmpty() ? "page" : slug;
        }

        static String escape(String text) {
            StringBuilder escaped = new StringBuilder(text.length() + 16);
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                switch (c) {
                    case '<' -> escaped.append("&lt;");
                    case '>' -> escaped.append("&gt;");
                    case '&' -> escaped.append("&amp;");
                    case '"' -> escaped.append("&quot;");
                    default -> escaped.append(c);
                }
            }
            return escaped.toString();
        }

        static <T> T pick(Random random, List<T> list) {
            return list.get(random.nextInt(list.size()));
        }

        static String pick(Random random, String[] words) {
            return words[random.nextInt(words.length)];
        }

        /** One sentence of HTML prose (inline {@code <code>} included) about the part's topic. */
        static String sentence(Random random, Part part) {
            String sentence = fill(pick(random, TEMPLATES), random, part).replaceAll(" {2,}", " ").strip();
            return capitalize(sentence);
        }

        static String paragraph(Random random, Part part) {
            int sentences = 3 + random.nextInt(5);
            StringBuilder paragraph = new StringBuilder();
            for (int i = 0; i < sentences; i++) {
                paragraph.append(i == 0 ? "" : " ").append(sentence(random, part));
            }
            return paragraph.toString();
        }

        /** A short phrase, for list items, table cells and alt texts. */
        static String phrase(Random random, Part part) {
            return fill(pick(random, new String[] {"the {A} {N} {P} the {T}", "{a} {A} {T}",
                "how the {N} {V} the {T}", "{C} and the {A} {N}"}), random, part);
        }

        static String heading(Random random, Part part) {
            return switch (random.nextInt(4)) {
                case 0, 1 -> pick(random, part.topics());
                case 2 -> capitalize(ing(pick(random, VERBS)) + " the " + pick(random, part.terms()));
                default -> capitalize(pick(random, ADJECTIVES) + " " + plural(pick(random, NOUNS)) + " and the "
                        + pick(random, part.terms()));
            };
        }

        private static String fill(String template, Random random, Part part) {
            StringBuilder out = new StringBuilder();
            int i = 0;
            while (i < template.length()) {
                int open = template.indexOf('{', i);
                if (open < 0) {
                    out.append(template, i, template.length());
                    break;
                }
                out.append(template, i, open);
                int close = template.indexOf('}', open);
                String slot = template.substring(open + 1, close);
                if (slot.equals("a")) {
                    // the article agrees with the word after it, filled on the next round
                    int next = template.indexOf('{', close);
                    String word = fill(template.substring(next, template.indexOf('}', next) + 1), random, part);
                    out.append(article(word)).append(' ').append(word);
                    i = template.indexOf('}', next) + 1;
                    continue;
                }
                out.append(word(slot, random, part));
                i = close + 1;
            }
            return out.toString();
        }

        private static String word(String slot, Random random, Part part) {
            return switch (slot) {
                case "N" -> random.nextInt(3) == 0 ? pick(random, part.terms()) : pick(random, NOUNS);
                case "Ns" -> plural(pick(random, NOUNS));
                case "T" -> pick(random, part.terms());
                case "A" -> pick(random, ADJECTIVES);
                case "V" -> third(pick(random, VERBS));
                case "B" -> pick(random, VERBS);
                case "D" -> pick(random, ADVERBS);
                case "P" -> pick(random, PREPOSITIONS);
                case "O" -> pick(random, OPENERS);
                case "J" -> pick(random, JUDGEMENTS);
                case "S" -> fill(pick(random, CLAUSES), random, part);
                case "C" -> "<code>" + escape(pick(random, part.code())) + "</code>";
                case "num" -> pick(random, NUMBERS);
                default -> throw new IllegalStateException("no slot " + slot);
            };
        }

        private static String article(String word) {
            String plain = word.replaceAll("<[^>]*>", "").toLowerCase(Locale.ROOT);
            boolean vowelSound = !plain.isEmpty() && "aeiou".indexOf(plain.charAt(0)) >= 0
                    && !plain.startsWith("uni") && !plain.startsWith("use") && !plain.startsWith("usu");
            return vowelSound ? "an" : "a";
        }

        private static String third(String verb) {
            return verb.matches(".*(s|x|ch|sh)") ? verb + "es" : verb + "s";
        }

        private static String plural(String noun) {
            if (noun.endsWith("y") && "aeiou".indexOf(noun.charAt(noun.length() - 2)) < 0) {
                return noun.substring(0, noun.length() - 1) + "ies";
            }
            return third(noun);
        }

        private static String ing(String verb) {
            return verb.endsWith("e") ? verb.substring(0, verb.length() - 1) + "ing" : verb + "ing";
        }

        private static String capitalize(String text) {
            return text.isEmpty() || !Character.isLetter(text.charAt(0)) ? text
                    : Character.toUpperCase(text.charAt(0)) + text.substring(1);
        }
    }

    /** Multi-line code blocks in the languages a full-stack course shows: JavaScript, shell sessions and SQL. */
    static final class CodeSamples {

        /** A resource the samples are about, with its two fields, e.g. notes with content and important. */
        private record Resource(String plural, String singular, String field, String flag) {
        }

        private static final List<Resource> RESOURCES = List.of(
                new Resource("notes", "note", "content", "important"),
                new Resource("persons", "person", "name", "favourite"),
                new Resource("blogs", "blog", "title", "published"),
                new Resource("anecdotes", "anecdote", "content", "featured"),
                new Resource("users", "user", "username", "disabled"),
                new Resource("comments", "comment", "text", "hidden"),
                new Resource("readings", "reading", "author", "read"),
                new Resource("courses", "course", "name", "archived"));

        private static final List<String> PORTS = List.of("3001", "3000", "3003", "8080", "5173");

        private static final List<String> JS_OPENINGS = List.of(
                """
                const express = require('express')
                const app = express()
                """,
                """
                import { useState, useEffect } from 'react'
                import axios from 'axios'
                """,
                """
                const mongoose = require('mongoose')
                const config = require('./utils/config')
                const logger = require('./utils/logger')
                """,
                """
                const { test, describe, beforeEach } = require('node:test')
                const assert = require('node:assert')
                const supertest = require('supertest')
                const app = require('../app')
                const api = supertest(app)
                """,
                """
                import { createSlice } from '@reduxjs/toolkit'
                import %one%Service from '../services/%res%'
                """,
                """
                const { Model, DataTypes } = require('sequelize')
                const { sequelize } = require('../util/db')
                """);

        private static final List<String> JS_BLOCKS = List.of(
                """
                app.get('/api/%res%/:id', async (request, response) => {
                  const %one% = await %Model%.findById(request.params.id)
                  if (%one%) {
                    response.json(%one%)
                  } else {
                    response.status(404).end()
                  }
                })
                """,
                """
                app.post('/api/%res%', async (request, response, next) => {
                  const body = request.body
                  if (!body.%field%) {
                    return response.status(400).json({ error: '%field% missing' })
                  }
                  const %one% = new %Model%({
                    %field%: body.%field%,
                    %flag%: body.%flag% || false,
                  })
                  try {
                    const saved%Model% = await %one%.save()
                    response.status(201).json(saved%Model%)
                  } catch (exception) {
                    next(exception)
                  }
                })
                """,
                """
                app.delete('/api/%res%/:id', async (request, response) => {
                  await %Model%.findByIdAndDelete(request.params.id)
                  response.status(204).end()
                })
                """,
                """
                const %Model% = ({ %one%, onToggle }) => {
                  const label = %one%.%flag% ? 'hide details' : 'show details'
                  return (
                    <li className='%one%'>
                      {%one%.%field%}
                      <button onClick={onToggle}>{label}</button>
                    </li>
                  )
                }
                """,
                """
                useEffect(() => {
                  console.log('effect')
                  %one%Service
                    .getAll()
                    .then(initial%Model%s => {
                      set%Model%s(initial%Model%s)
                    })
                }, [])
                """,
                """
                test('%res% are returned as json', async () => {
                  await api
                    .get('/api/%res%')
                    .expect(200)
                    .expect('Content-Type', /application\\/json/)
                })
                """,
                """
                test('a valid %one% can be added', async () => {
                  const new%Model% = { %field%: 'written by a test', %flag%: true }
                  await api.post('/api/%res%').send(new%Model%).expect(201)
                  const %res%AtEnd = await helper.%res%InDb()
                  assert.strictEqual(%res%AtEnd.length, helper.initial%Model%s.length + 1)
                })
                """,
                """
                const %one%Reducer = (state = [], action) => {
                  switch (action.type) {
                    case 'NEW_%MODEL%':
                      return [...state, action.payload]
                    case 'REMOVE_%MODEL%':
                      return state.filter(%one% => %one%.id !== action.payload.id)
                    default:
                      return state
                  }
                }
                """,
                """
                const %one%Schema = new mongoose.Schema({
                  %field%: {
                    type: String,
                    required: true,
                    minLength: 5,
                  },
                  %flag%: Boolean,
                  user: { type: mongoose.Schema.Types.ObjectId, ref: 'User' },
                })
                """,
                """
                const errorHandler = (error, request, response, next) => {
                  console.error(error.message)
                  if (error.name === 'CastError') {
                    return response.status(400).send({ error: 'malformatted id' })
                  } else if (error.name === 'ValidationError') {
                    return response.status(400).json({ error: error.message })
                  }
                  next(error)
                }
                """,
                """
                const baseUrl = '/api/%res%'

                const getAll = async () => {
                  const response = await axios.get(baseUrl)
                  return response.data
                }

                const create = async new%Model% => {
                  const response = await axios.post(baseUrl, new%Model%, config)
                  return response.data
                }
                """,
                """
                const PORT = process.env.PORT || %port%
                app.listen(PORT, () => {
                  console.log(`Server running on port ${PORT}`)
                })
                """,
                """
                class %Model% extends Model {}
                %Model%.init({
                  id: {
                    type: DataTypes.INTEGER,
                    primaryKey: true,
                    autoIncrement: true
                  },
                  %field%: {
                    type: DataTypes.TEXT,
                    allowNull: false
                  },
                  %flag%: {
                    type: DataTypes.BOOLEAN
                  }
                }, {
                  sequelize,
                  underscored: true,
                  timestamps: false,
                  modelName: '%one%'
                })
                """,
                """
                const useField = (type) => {
                  const [value, setValue] = useState('')

                  const onChange = (event) => {
                    setValue(event.target.value)
                  }

                  return { type, value, onChange }
                }
                """,
                """
                <Router>
                  <div>
                    <Link style={padding} to="/">home</Link>
                    <Link style={padding} to="/%res%">%res%</Link>
                  </div>
                  <Routes>
                    <Route path="/%res%/:id" element={<%Model% %one%={%one%} />} />
                    <Route path="/%res%" element={<%Model%List %res%={%res%} />} />
                    <Route path="/" element={<Home />} />
                  </Routes>
                </Router>
                """);

        private static final List<String> SHELL_BLOCKS = List.of(
                """
                $ npm install express
                added 64 packages, and audited 65 packages in 3s
                found 0 vulnerabilities
                """,
                """
                $ npm run dev

                > %res%-backend@0.0.1 dev
                > node --watch index.js

                Server running on port %port%
                """,
                """
                $ curl -s http://localhost:%port%/api/%res%/1
                {"id":"1","%field%":"HTML is easy","%flag%":true}
                """,
                """
                $ git add .
                $ git commit -m "validate the %field% of a %one%"
                $ git push origin main
                """,
                """
                $ docker compose up -d
                [+] Running 2/2
                 ✔ Container %res%-db-1       Started
                 ✔ Container %res%-backend-1  Started
                """,
                """
                $ npm test -- --test-only

                > %res%-backend@0.0.1 test
                > NODE_ENV=test node --test

                ✔ %res% are returned as json (412.5ms)
                ℹ tests 1
                ℹ pass 1
                ℹ fail 0
                """,
                """
                $ fly deploy
                ==> Verifying app config
                --> Verified app config
                ==> Building image
                --> Pushing image done
                """,
                """
                $ npx eslint index.js
                /home/student/%res%-backend/index.js
                  12:3  error  Expected indentation of 4 spaces  indent
                ✖ 1 problem (1 error, 0 warnings)
                """,
                """
                $ npm install --save-dev nodemon
                $ npm install mongoose dotenv
                $ echo "MONGODB_URI=mongodb://localhost:27017/%res%" >> .env
                """);

        private static final List<String> SQL_BLOCKS = List.of(
                """
                CREATE TABLE %res% (
                    id SERIAL PRIMARY KEY,
                    %field% text NOT NULL,
                    %flag% boolean DEFAULT false,
                    user_id integer REFERENCES users(id),
                    created_at timestamp DEFAULT now()
                );
                """,
                """
                INSERT INTO %res% (%field%, %flag%) VALUES ('Relational databases rule the world', true);
                INSERT INTO %res% (%field%, %flag%) VALUES ('MongoDB is webscale', false);
                """,
                """
                SELECT %res%.id, %res%.%field%, users.name
                FROM %res%
                JOIN users ON users.id = %res%.user_id
                WHERE %res%.%flag% = true
                ORDER BY %res%.id DESC
                LIMIT 10;
                """,
                """
                 id | %field%                              | %flag%
                ----+--------------------------------------+-------
                  1 | Relational databases rule the world  | t
                  2 | MongoDB is webscale                  | f
                (2 rows)
                """,
                """
                BEGIN;
                UPDATE %res% SET %flag% = NOT %flag% WHERE id = 2;
                SELECT count(*) FROM %res% WHERE %flag%;
                COMMIT;
                """,
                """
                CREATE INDEX %res%_user_id_idx ON %res% (user_id);
                EXPLAIN SELECT * FROM %res% WHERE user_id = 1;
                """);

        private CodeSamples() {
        }

        /** A code block of 10–40 lines: {language class suffix, code}, in the part's mix of languages. */
        static String[] block(Random random, CourseText.Part part) {
            int dice = random.nextInt(100);
            String language = dice < part.jsPercent() ? "js" : dice < part.jsPercent() + part.shellPercent() ? "bash" : "sql";
            List<String> blocks = switch (language) {
                case "js" -> JS_BLOCKS;
                case "bash" -> SHELL_BLOCKS;
                default -> SQL_BLOCKS;
            };
            Resource resource = CourseText.pick(random, RESOURCES);
            String port = CourseText.pick(random, PORTS);
            int targetLines = 10 + random.nextInt(31);
            List<String> parts = new ArrayList<>();
            int lines = 0;
            if (language.equals("js")) {
                String opening = CourseText.pick(random, JS_OPENINGS).strip();
                parts.add(opening);
                lines = opening.split("\n").length;
            }
            List<String> shuffled = new ArrayList<>(blocks);
            Collections.shuffle(shuffled, random);
            for (String block : shuffled) {
                if (lines >= targetLines) {
                    break;
                }
                int added = block.strip().split("\n").length + (parts.isEmpty() ? 0 : 1);
                if (lines + added <= 40) {
                    parts.add(block.strip());
                    lines += added;
                }
            }
            String text = String.join("\n\n", parts)
                    .replace("%res%", resource.plural())
                    .replace("%one%", resource.singular())
                    .replace("%Model%", Character.toUpperCase(resource.singular().charAt(0)) + resource.singular().substring(1))
                    .replace("%MODEL%", resource.singular().toUpperCase(Locale.ROOT))
                    .replace("%field%", resource.field())
                    .replace("%flag%", resource.flag())
                    .replace("%port%", port);
            return new String[] {language, text};
        }
    }
}
