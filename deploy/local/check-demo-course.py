#!/usr/bin/env python3
"""Checks a sample course's questions.jsonl against its pages.

Usage: check-demo-course.py [COURSE_DIR] [--headings]

COURSE_DIR is the course directory (default deploy/demo-course; a relative path is taken from the
current directory, or else from the repository root), for example deploy/git-course.

For every heading h1-h4 inside <main> it resolves the citation fragment by the rule of issue 3
(own id; an id or a[name] inside the heading; an empty anchor right before it; an enclosing
section/div whose first heading it is; the value must be the first with that id/name in the page)
and then checks that each question's expectedPage exists, expectedSection is a heading title of
that page, and expectedFragment is what the rule gives for it. Prints the heading table with
--headings. If any line has a "split" field, every line must have one, "tuning" or "held-out", and
the counts per split are printed. Exits 1 on any mismatch. Standard library only.

A question answered by a PDF (expectedPage ending in .pdf) is checked against the slide source the PDF
is written from (slides/<name>.txt next to it, see deploy/demo-course/slides/build.sh): slide N titled T
of a deck titled D is the section "T — D, p. N", cited with the fragment page=N.
"""
import json, pathlib, sys
from html.parser import HTMLParser

VOID = {'area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr'}
HEADINGS = {'h1', 'h2', 'h3', 'h4'}


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent, self.children = tag, dict(attrs), parent, []

    def text(self):
        return ''.join(c if isinstance(c, str) else c.text() for c in self.children)

    def elements(self):
        for c in self.children:
            if isinstance(c, Node):
                yield c
                yield from c.elements()


class TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node('#root', [], None)
        self.cur = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.cur)
        self.cur.children.append(node)
        if tag not in VOID:
            self.cur = node

    def handle_endtag(self, tag):
        n = self.cur
        while n is not None and n.tag != tag:
            n = n.parent
        if n is not None and n.parent is not None:
            self.cur = n.parent

    def handle_data(self, data):
        self.cur.children.append(data)


def first_owners(root):
    """value -> first element carrying it as id (or as name on an <a>), in document order."""
    owners = {}
    for el in root.elements():
        for value in (el.attrs.get('id'), el.attrs.get('name') if el.tag == 'a' else None):
            if value and value not in owners:
                owners[value] = el
    return owners


def candidates(h):
    yield h, h.attrs.get('id')
    for el in h.elements():
        yield el, el.attrs.get('id') or (el.attrs.get('name') if el.tag == 'a' else None)
    siblings = [c for c in h.parent.children if isinstance(c, Node)]
    i = siblings.index(h)
    if i > 0:
        prev = siblings[i - 1]
        if prev.tag == 'a' and not prev.text().strip():
            yield prev, prev.attrs.get('id') or prev.attrs.get('name')
    anc = h.parent
    while anc is not None and anc.tag in ('section', 'div', 'article'):
        first = next((e for e in anc.elements() if e.tag in HEADINGS), None)
        if first is not h:
            break
        yield anc, anc.attrs.get('id')
        anc = anc.parent


def headings(path):
    b = TreeBuilder()
    b.feed(path.read_text(encoding='utf-8'))
    owners = first_owners(b.root)
    main = next(e for e in b.root.elements() if e.tag == 'main')
    for h in (e for e in main.elements() if e.tag in HEADINGS):
        frag = next((v for el, v in candidates(h) if v and owners.get(v) is el), None)
        yield h.tag, ' '.join(h.text().split()), frag


def slide_sections(source):
    """(section title, fragment) of each slide of a slide source: 'title:' line, then '# ' per slide."""
    deck, sections = None, []
    for line in source.read_text(encoding='utf-8').splitlines():
        if line.startswith('title: ') and not sections:
            deck = line[7:].strip()
        elif line.startswith('# '):
            sections.append(line[2:].strip())
    return [('h1', f'{t} — {deck}, p. {n}', f'page={n}') for n, t in enumerate(sections, 1)]


def main():
    deploy = pathlib.Path(__file__).resolve().parent.parent
    args = [a for a in sys.argv[1:] if not a.startswith('--')]
    if len(args) > 1:
        sys.exit('usage: check-demo-course.py [COURSE_DIR] [--headings]')
    course = deploy / 'demo-course'
    if args:
        course = pathlib.Path(args[0])
        if not course.is_dir() and (deploy.parent / args[0]).is_dir():
            course = deploy.parent / args[0]
        if not (course / 'index.html').is_file():
            sys.exit(f'{args[0]}: not a course directory (no index.html)')
    table = {}
    for f in sorted(course.rglob('index.html')):
        page = '/' + str(f.parent.relative_to(course)).replace('.', '') + '/'
        page = page.replace('//', '/')
        table[page] = list(headings(f))
    for pdf in sorted(course.rglob('*.pdf')):
        source = pdf.with_suffix('.txt')
        if source.is_file():
            table['/' + str(pdf.relative_to(course))] = slide_sections(source)
    if '--headings' in sys.argv:
        for page, hs in table.items():
            for tag, title, frag in hs:
                print(f'{page:11} {tag} {title!r:55} #{frag}' if frag else f'{page:11} {tag} {title!r:55} (page url)')
    if not (course / 'questions.jsonl').is_file():
        sys.exit(f'{course}: no questions.jsonl')
    errors, n, unanswerable = 0, 0, 0
    lines = [(no, json.loads(line)) for no, line in
             enumerate((course / 'questions.jsonl').read_text(encoding='utf-8').splitlines(), 1) if line.strip()]
    splits = {} if any('split' in q for _, q in lines) else None
    for line_no, q in lines:
        n += 1
        if splits is not None:
            split = q.get('split')
            if split not in ('tuning', 'held-out'):
                errors += 1; print(f'line {line_no}: split {split!r}, expected "tuning" or "held-out"')
            else:
                key = (split, 'answerable' if q['answerable'] else 'not')
                splits[key] = splits.get(key, 0) + 1
        if not q['answerable']:
            unanswerable += 1
            if q.get('expectedPage') is not None:
                errors += 1; print(f'line {line_no}: unanswerable question with an expectedPage')
            continue
        hs = table.get(q['expectedPage'])
        match = [h for h in hs or [] if h[1] == q['expectedSection']]
        if not match:
            errors += 1; print(f"line {line_no}: no heading {q['expectedSection']!r} on {q['expectedPage']}")
        elif match[0][2] != q['expectedFragment']:
            errors += 1; print(f"line {line_no}: fragment {q['expectedFragment']!r}, the rule gives {match[0][2]!r}")
    if splits:
        for split in ('tuning', 'held-out'):
            print(f"split {split}: {splits.get((split, 'answerable'), 0)} answerable, {splits.get((split, 'not'), 0)} not")
    print(f'{n} questions ({n - unanswerable} answerable, {unanswerable} not), {errors} problems')
    sys.exit(1 if errors else 0)


if __name__ == '__main__':
    main()
