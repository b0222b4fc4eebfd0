package org.coursebot.testing;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The configuration keys a service's {@code @ConfigMapping} interfaces define, as SmallRye Config names them
 * (kebab-case, {@code @WithName}, {@code @WithParentName}, groups, maps as {@code name.*}), and which of them
 * docs/configuration.md does not mention (issue 30: "every config key checked by a test").
 *
 * <p>A key counts as documented when the page names it whole (`coursebot.answer.model`), as its environment variable
 * (COURSEBOT_ANSWER_MODEL), or as a sibling on the line of a key of the same parent (`coursebot.answer.max-tokens` /
 * `.temperature`); a map's key may be written "&lt;name&gt;". The annotations are read by name, so this needs no SmallRye
 * on the classpath.
 */
public final class ConfigKeys {

    private ConfigKeys() {
    }

    /** Every key of the mapping interfaces, sorted. */
    public static SortedSet<String> of(Collection<Class<?>> mappings) {
        SortedSet<String> keys = new TreeSet<>();
        for (Class<?> mapping : mappings) {
            String prefix = annotationValue(mapping, "io.smallrye.config.ConfigMapping", "prefix")
                    .orElseThrow(() -> new IllegalArgumentException(mapping + " is not a @ConfigMapping"));
            collect(mapping, prefix, keys);
        }
        return keys;
    }

    /** The keys docs/configuration.md ({@code doc}) does not mention. */
    public static List<String> undocumented(Collection<String> keys, Path doc) throws IOException {
        // A map's key is written "<name>" on the page (coursebot.sources."<name>".base-url), * here.
        String text = Files.readString(doc).replaceAll("\"<[^>\"]+>\"", "*");
        List<String> lines = text.lines().toList();
        List<String> missing = new ArrayList<>();
        for (String key : keys) {
            String bare = key.endsWith(".*") ? key.substring(0, key.length() - 2) : key;
            String parent = bare.contains(".") ? bare.substring(0, bare.lastIndexOf('.')) : "";
            String last = bare.substring(bare.lastIndexOf('.') + 1);
            boolean named = text.contains("`" + bare + "`") || text.contains("`" + bare + ".")
                    || text.contains(environmentVariable(bare));
            boolean sibling = lines.stream().anyMatch(l -> l.contains("`" + parent + ".") && l.contains("`." + last + "`"));
            if (!named && !sibling) {
                missing.add(key);
            }
        }
        return missing;
    }

    /** The environment variable SmallRye reads for a key: upper case, every other character an underscore. */
    static String environmentVariable(String key) {
        return key.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    private static void collect(Class<?> group, String prefix, SortedSet<String> keys) {
        for (Method method : group.getMethods()) {
            if (method.isDefault() || Modifier.isStatic(method.getModifiers()) || method.getParameterCount() > 0
                    || method.getDeclaringClass() == Object.class) {
                continue;
            }
            String name = annotationValue(method, "io.smallrye.config.WithName", "value").orElse(kebab(method.getName()));
            boolean parentName = annotated(method, "io.smallrye.config.WithParentName");
            String key = parentName ? prefix : prefix + "." + name;
            Type type = unwrapOptional(method.getGenericReturnType());
            if (type instanceof ParameterizedType p && p.getRawType() == Map.class) {
                Type value = unwrapOptional(p.getActualTypeArguments()[1]);
                if (isGroup(value)) {
                    collect((Class<?>) value, key + ".*", keys);
                } else {
                    keys.add(key + ".*");
                }
            } else if (isGroup(type)) {
                collect((Class<?>) type, key, keys);
            } else {
                keys.add(key);
            }
        }
    }

    private static Type unwrapOptional(Type type) {
        return type instanceof ParameterizedType p && p.getRawType() == Optional.class ? p.getActualTypeArguments()[0]
                : type;
    }

    /** A nested mapping of the project's own (an interface of org.coursebot), whose methods are keys in turn. */
    private static boolean isGroup(Type type) {
        return type instanceof Class<?> c && c.isInterface() && c.getName().startsWith("org.coursebot.");
    }

    /** {@code maxTokens} → {@code max-tokens}, as SmallRye's default naming does. */
    static String kebab(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    private static boolean annotated(java.lang.reflect.AnnotatedElement element, String annotation) {
        for (Annotation a : element.getAnnotations()) {
            if (a.annotationType().getName().equals(annotation)) {
                return true;
            }
        }
        return false;
    }

    private static Optional<String> annotationValue(java.lang.reflect.AnnotatedElement element, String annotation,
            String attribute) {
        for (Annotation a : element.getAnnotations()) {
            if (a.annotationType().getName().equals(annotation)) {
                try {
                    return Optional.of((String) a.annotationType().getMethod(attribute).invoke(a));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return Optional.empty();
    }
}
