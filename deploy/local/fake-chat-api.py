#!/usr/bin/env python3
"""A stand-in for chat-service's /api/chat, for looking at the chat page by hand only.

Not a test double for anything in CI and not part of the product: it lets the static chat page
(chat-service/src/main/resources/META-INF/resources) and the widget be checked in a browser without
building or starting the services. Two servers on 127.0.0.1:
  --port (default 8099)         the chat page's static files + a fake POST /api/chat
  --course-port (default 8098)  deploy/demo-course, plus /widget-demo/ = a course page with the widget snippet

The fake answer quotes the course section whose question in questions.jsonl shares most words with
the asked question, so citations point at real pages and fragments. Words in the question trigger the
other paths: '#429' rate limit, '#500' server error, '#json' plain JSON instead of SSE, '#error' an
error event mid-stream, '#drop' a connection dropped mid-stream; a blank question gives a 400.
Standard library only. Ctrl-C stops it.
"""
import argparse, importlib.util, json, pathlib, re, sys, threading, time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parent.parent
STATIC = REPO / 'chat-service/src/main/resources/META-INF/resources'
COURSE = REPO / 'deploy/demo-course'

spec = importlib.util.spec_from_file_location('check', HERE / 'check-demo-course.py')
check = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check)

WORD = re.compile(r"[a-z0-9.$_-]+")
STOP = set('a an the is are do does i my me how what why when which to of in on for and or with it be can should '
           'that this from by at as not get'.split())


def words(text):
    return {w for w in WORD.findall(text.lower()) if w not in STOP}


def section_text(page, title):
    """First paragraph after the heading titled `title` on `page` (the course's HTML)."""
    f = COURSE / page.strip('/') / 'index.html' if page != '/' else COURSE / 'index.html'
    b = check.TreeBuilder()
    b.feed(f.read_text(encoding='utf-8'))
    seen = False
    for el in b.root.elements():
        if el.tag in check.HEADINGS:
            seen = ' '.join(el.text().split()) == title
        elif seen and el.tag == 'p':
            return ' '.join(el.text().split())
    return ''


QUESTIONS = [json.loads(l) for l in (COURSE / 'questions.jsonl').read_text(encoding='utf-8').splitlines() if l.strip()]
QUESTIONS = [q for q in QUESTIONS if q['answerable']]


def answer_for(question, course_base):
    asked = words(question)
    ranked = sorted(QUESTIONS, key=lambda q: -len(asked & words(q['question'] + ' ' + q['expectedSection'])))
    hits, seen = [], set()
    for q in ranked:
        if (q['expectedPage'], q['expectedSection']) not in seen:
            seen.add((q['expectedPage'], q['expectedSection']))
            hits.append((len(asked & words(q['question'] + ' ' + q['expectedSection'])), q))
        if len(hits) == 2:
            break
    covered = hits[0][0] >= 2
    citations = []
    for i, (_, q) in enumerate(hits, 1):
        url = course_base + q['expectedPage'] + ('#' + quote(q['expectedFragment']) if q['expectedFragment'] else '')
        m = re.match(r'/part(\d+)/([a-z])/', q['expectedPage'])
        citations.append({'index': i, 'title': q['expectedSection'], 'url': url,
                          'partId': m.group(1) if m else None, 'moduleId': m.group(2) if m else None,
                          'similarity': round(0.4 + 0.1 * hits[i - 1][0], 2)})
    if not covered:
        text = ('The course material does not seem to cover this. The closest sections are '
                f'"{citations[0]["title"]}" [1] and "{citations[1]["title"]}" [2].')
        return text, citations, False
    parts = []
    for c, (_, q) in zip(citations, hits):
        sentences = re.split(r'(?<=[.!?])\s+', section_text(q['expectedPage'], q['expectedSection']))
        parts.append(' '.join(sentences[:2]) + f' [{c["index"]}]')
    return '\n\n'.join(parts), citations, True


class ChatHandler(SimpleHTTPRequestHandler):
    course_base = ''

    def log_message(self, fmt, *args):
        sys.stderr.write('chat  %s\n' % (fmt % args))

    def cors(self):
        origin = self.headers.get('Origin')
        if origin:
            self.send_header('Access-Control-Allow-Origin', origin)
            self.send_header('Vary', 'Origin')
            self.send_header('Access-Control-Expose-Headers', 'Retry-After')

    def do_OPTIONS(self):
        self.send_response(204)
        self.cors()
        self.send_header('Access-Control-Allow-Methods', 'POST, GET')
        self.send_header('Access-Control-Allow-Headers', 'Content-Type, Accept')
        self.end_headers()

    def json_reply(self, status, body, ctype='application/json', extra=()):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.cors()
        self.send_header('Content-Type', ctype)
        self.send_header('Content-Length', str(len(data)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def problem(self, status, title, detail, extra=()):
        self.json_reply(status, {'type': 'https://coursebot.example/problems/fake', 'title': title,
                                 'status': status, 'detail': detail}, 'application/problem+json', extra)

    def do_POST(self):
        if self.path != '/api/chat':
            return self.problem(404, 'Not Found', 'No such endpoint.')
        try:
            body = json.loads(self.rfile.read(int(self.headers.get('Content-Length', 0))) or b'null')
            question = (body or {}).get('question') or ''
        except (ValueError, AttributeError):
            return self.problem(400, 'Bad Request', 'The request body is not valid JSON.')
        if not question.strip():
            return self.problem(400, 'Bad Request', 'question must not be blank')
        if len(question) > 2000:
            return self.problem(400, 'Bad Request', 'question must be at most 2000 characters')
        if '#429' in question:
            return self.problem(429, 'Too Many Requests', 'Rate limit exceeded.', [('Retry-After', '17')])
        if '#500' in question:
            return self.problem(500, 'Internal Server Error', 'Something went wrong.')
        text, citations, covered = answer_for(question, self.course_base)
        if '#json' in question or 'text/event-stream' not in self.headers.get('Accept', ''):
            return self.json_reply(200, {'answer': text, 'citations': citations, 'covered': covered, 'mode': 'extractive'})
        self.send_response(200)
        self.cors()
        self.send_header('Content-Type', 'text/event-stream')
        self.send_header('Cache-Control', 'no-cache')
        self.end_headers()
        self.stream(question, text, citations, covered)

    def stream(self, question, text, citations, covered):
        def frame(event, data):
            self.wfile.write(f'event: {event}\ndata: {data}\n\n'.encode())
            self.wfile.flush()
        pieces = re.findall(r'\s*\S+', text)
        for i, piece in enumerate(pieces):
            frame('token', json.dumps(piece))
            time.sleep(0.015)
            if i == len(pieces) // 2 and '#error' in question:
                return frame('error', json.dumps({'title': 'Model unavailable', 'detail': 'The answer stopped: the model did not respond in time.'}))
            if i == len(pieces) // 2 and '#drop' in question:
                self.close_connection = True
                return
        frame('citations', json.dumps(citations))
        frame('done', json.dumps({'covered': covered, 'mode': 'extractive'}))


class CourseHandler(SimpleHTTPRequestHandler):
    chat_base = ''

    def log_message(self, fmt, *args):
        sys.stderr.write('course %s\n' % (fmt % args))

    def do_GET(self):
        if self.path.split('?')[0] == '/widget-demo/':
            html = (COURSE / 'part2/a/index.html').read_text(encoding='utf-8')
            snippet = (f'<script src="{self.chat_base}/widget.js" data-coursebot-api="{self.chat_base}" '
                       f'{"data-coursebot-open " if "open" in self.path else ""}defer></script>\n</body>')
            data = html.replace('</body>', snippet).encode()
            self.send_response(200)
            self.send_header('Content-Type', 'text/html; charset=utf-8')
            self.send_header('Content-Length', str(len(data)))
            self.end_headers()
            return self.wfile.write(data)
        return super().do_GET()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--port', type=int, default=8099)
    ap.add_argument('--course-port', type=int, default=8098)
    a = ap.parse_args()
    ChatHandler.course_base = f'http://127.0.0.1:{a.course_port}'
    CourseHandler.chat_base = f'http://127.0.0.1:{a.port}'
    chat = ThreadingHTTPServer(('127.0.0.1', a.port), partial(ChatHandler, directory=str(STATIC)))
    course = ThreadingHTTPServer(('127.0.0.1', a.course_port), partial(CourseHandler, directory=str(COURSE)))
    threading.Thread(target=course.serve_forever, daemon=True).start()
    print(f'chat page   http://127.0.0.1:{a.port}/\ncourse site http://127.0.0.1:{a.course_port}/  '
          f'(widget: http://127.0.0.1:{a.course_port}/widget-demo/)', flush=True)
    try:
        chat.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == '__main__':
    main()
