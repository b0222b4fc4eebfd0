package org.coursebot.ingest.crawl;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.coursebot.ingest.crawl.SourcesConfig.Source;

/**
 * A source's boundaries, compiled once: which URLs are on the site (under base-url) and which of those the
 * include/exclude path regexes let in. Building one validates the source and names the offending key.
 */
public final class SiteScope {

    private static final Pattern BINARY = Pattern.compile(
            "(?i)\\.(pdf|zip|gz|tgz|tar|7z|rar|bz2|xz|png|jpe?g|gif|svg|webp|avif|ico|bmp|tiff?|mp[34]|m4a|webm|ogg"
                    + "|ogv|wav|avi|mov|docx?|pptx?|xlsx?|odt|ods|odp|epub|exe|dmg|iso|bin|jar|apk|css|js|mjs|json|xml"
                    + "|txt|csv|woff2?|ttf|otf|eot|wasm|map)$");

    private static final Pattern PDF = Pattern.compile("(?i)\\.pdf$");

    private final String baseUrl;
    private final String origin;
    private final String basePath;
    private final List<Pattern> include;
    private final List<Pattern> exclude;

    private SiteScope(String baseUrl, List<Pattern> include, List<Pattern> exclude) {
        this.baseUrl = baseUrl;
        URI uri = URI.create(baseUrl);
        this.origin = baseUrl.substring(0, baseUrl.indexOf('/', baseUrl.indexOf("://") + 3));
        this.basePath = uri.getRawPath();
        this.include = include;
        this.exclude = exclude;
    }

    /** Compiles a source's scope; throws IllegalArgumentException naming the bad key (prefixed by {@code key}). */
    public static SiteScope of(String key, Source source) {
        return new SiteScope(baseUrl(key, source.baseUrl()), patterns(key + ".include", source.include().orElse(List.of())),
                patterns(key + ".exclude", source.exclude().orElse(List.of())));
    }

    /** The normalised base-url; throws IllegalArgumentException naming the key when it is not an http(s) URL. */
    static String baseUrl(String key, String raw) {
        String lower = raw == null ? "" : raw.strip().toLowerCase(Locale.ROOT);
        if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
            throw new IllegalArgumentException(key + ".base-url must be an http:// or https:// URL, got '" + raw + "'");
        }
        String base = UrlNormalizer.normalize(raw).orElseThrow(() -> new IllegalArgumentException(
                key + ".base-url is not a valid URL: '" + raw + "'"));
        if (base.contains("?")) {
            throw new IllegalArgumentException(key + ".base-url must not have a query: '" + raw + "'");
        }
        return base;
    }

    static List<Pattern> patterns(String key, List<String> regexes) {
        List<Pattern> compiled = new ArrayList<>();
        for (int i = 0; i < regexes.size(); i++) {
            compiled.add(compile(key + "[" + i + "]", regexes.get(i)));
        }
        return List.copyOf(compiled);
    }

    static Pattern compile(String key, String regex) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(key + " is not a valid regex: '" + regex + "' ("
                    + e.getDescription() + " near index " + e.getIndex() + ")");
        }
    }

    /** The normalised base URL, where the crawl starts. */
    public String baseUrl() {
        return baseUrl;
    }

    /** scheme://host[:port] of the site. */
    public String origin() {
        return origin;
    }

    /** True when a normalised URL is on the site: same origin and under base-url's path. */
    public boolean onSite(String url) {
        if (!url.startsWith(origin + "/")) {
            return false;
        }
        String path = pathOf(url);
        if (basePath.endsWith("/")) {
            return path.startsWith(basePath);
        }
        return path.equals(basePath) || path.startsWith(basePath + "/");
    }

    /** True when the include/exclude path regexes let a URL in (regexes are searched, not fully matched). */
    public boolean allowed(String url) {
        String path = pathOf(url);
        if (!include.isEmpty() && include.stream().noneMatch(p -> p.matcher(path).find())) {
            return false;
        }
        return exclude.stream().noneMatch(p -> p.matcher(path).find());
    }

    /** True when the URL path ends with .pdf (the crawl fetches it when the source reads PDFs). */
    public static boolean looksPdf(String url) {
        return PDF.matcher(pathOf(url)).find();
    }

    /** True when the URL path ends with an extension that is never an HTML page (pdf, images, archives...). */
    public static boolean looksBinary(String url) {
        return BINARY.matcher(pathOf(url)).find();
    }

    static String pathOf(String url) {
        int start = url.indexOf('/', url.indexOf("://") + 3);
        if (start < 0) {
            return "/";
        }
        int query = url.indexOf('?', start);
        return query < 0 ? url.substring(start) : url.substring(start, query);
    }
}
