package org.coursebot.chat.migrate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/**
 * A page cut into heading sections, as both pipelines saw it. {@code legacyUrl} is what the old pipeline
 * cited (a fragment invented from the title: {@code title.lower()} with spaces → dashes, which may not exist
 * in the page); {@code honestUrl} is what Coursebot cites (the heading's own id, or an anchor inside it, else
 * the bare page url).
 */
record CourseSections(String pageUrl, List<Section> sections) {

    record Section(String title, String content, String legacyUrl, String honestUrl) {
    }

    static CourseSections of(String pageUrl, String html) {
        Document doc = Jsoup.parse(html, pageUrl);
        Element main = doc.selectFirst("main") == null ? doc.body() : doc.selectFirst("main");
        List<Section> sections = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        Element[] heading = {null};
        NodeTraversor.traverse(new NodeVisitor() {
            @Override
            public void head(Node node, int depth) {
                if (node instanceof Element e && e.tagName().matches("h[1-4]")) {
                    add(pageUrl, heading[0], text, sections);
                    heading[0] = e;
                    text.setLength(0);
                } else if (node instanceof TextNode t && heading[0] != null && !inside(t, heading[0])) {
                    text.append(t.text()).append(' ');
                }
            }
        }, main);
        add(pageUrl, heading[0], text, sections);
        return new CourseSections(pageUrl, sections);
    }

    private static boolean inside(Node node, Element ancestor) {
        for (Node p = node.parent(); p != null; p = p.parent()) {
            if (p == ancestor) {
                return true;
            }
        }
        return false;
    }

    private static void add(String pageUrl, Element heading, StringBuilder text, List<Section> sections) {
        if (heading == null) {
            return;
        }
        String title = heading.text().strip();
        String content = (title + ". " + text.toString().replaceAll("\\s+", " ")).strip();
        String invented = title.toLowerCase(Locale.ROOT).replace(' ', '-');
        Element anchor = heading.hasAttr("id") ? heading : heading.selectFirst("[id]");
        String honest = anchor == null ? pageUrl : pageUrl + "#" + anchor.id();
        sections.add(new Section(title, content, pageUrl + "#" + invented, honest));
    }
}
