/*
 * Coursebot chat UI: plain JavaScript, no build step, no dependencies.
 * Used by index.html (auto-mounts into [data-coursebot-mount]) and by widget.js (calls
 * Coursebot.mount inside a shadow root). Talks to POST {api}/api/chat, streaming over SSE when the
 * server does, rendering the plain JSON answer when it does not. A finished answer that carries an answerId gets a
 * "Helpful?" control that posts to {api}/api/feedback.
 */
(function () {
  'use strict';
  if (window.Coursebot) return; // loaded twice (page + widget): keep the first

  const MAX_QUESTION = 2000;     // the API rejects longer questions with 400
  const HISTORY_TURNS = 10;      // the API allows 20; older turns rarely help retrieval
  const MAX_COMMENT = 500;       // the feedback API rejects longer comments with 400
  const NOTICE_MS = 8000;        // how long a feedback problem stays on screen
  let mounts = 0;

  /** Creates an element with attributes and children (strings become text nodes, never HTML). */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children.flat()) {
      if (c !== null && c !== undefined && c !== false) el.append(c);
    }
    return el;
  }

  function apiBase(root, options) {
    const fromAttr = root.getAttribute && root.getAttribute('data-coursebot-api');
    const base = options.api ?? fromAttr ?? window.COURSEBOT_API ?? '';
    return String(base).replace(/\/+$/, '');
  }

  /**
   * Parses a text/event-stream body incrementally. Calls onEvent(name, data) per frame; name is
   * 'message' when the frame has no event: line. Multi-line data is joined with \n (SSE spec).
   */
  async function readEventStream(body, onEvent) {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let boundary;
      while ((boundary = buffer.search(/\r\n\r\n|\n\n|\r\r/)) >= 0) {
        const frame = buffer.slice(0, boundary);
        buffer = buffer.slice(boundary + (buffer.startsWith('\r\n\r\n', boundary) ? 4 : 2));
        dispatchFrame(frame, onEvent);
      }
    }
    if (buffer.trim()) dispatchFrame(buffer, onEvent); // a last frame without its blank line
  }

  function dispatchFrame(frame, onEvent) {
    let name = 'message';
    const data = [];
    for (const line of frame.split(/\r\n|\n|\r/)) {
      if (!line || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'event') name = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length || name !== 'message') onEvent(name, data.join('\n'));
  }

  /** Token data is a JSON string when the server encodes it, else raw text. */
  function tokenText(data) {
    try {
      const parsed = JSON.parse(data);
      if (typeof parsed === 'string') return parsed;
    } catch (_) { /* raw text */ }
    return data;
  }

  function parseJson(data) {
    try { return JSON.parse(data); } catch (_) { return undefined; }
  }

  /** Seconds from a Retry-After header (delta-seconds or an HTTP date), or null. */
  function retryAfterSeconds(header) {
    if (!header) return null;
    if (/^\d+$/.test(header.trim())) return Number(header.trim());
    const when = Date.parse(header);
    return Number.isNaN(when) ? null : Math.max(1, Math.ceil((when - Date.now()) / 1000));
  }

  /** Turns a non-2xx response into a sentence a student can act on. */
  async function politeError(response) {
    if (response.status === 429) {
      const s = retryAfterSeconds(response.headers.get('Retry-After'));
      return s ? `Too many questions, try again in ${s} s.` : 'Too many questions, try again in a minute.';
    }
    const type = response.headers.get('Content-Type') || '';
    if (type.includes('json')) {
      const problem = await response.json().catch(() => null);
      if (problem && (problem.detail || problem.title)) return problem.detail || problem.title;
    }
    if (response.status >= 500) return `Coursebot had a problem answering (status ${response.status}). Please try again in a moment.`;
    return `Coursebot could not answer that request (status ${response.status}).`;
  }

  /** Builds the chat UI inside root (an element, possibly inside a shadow root). */
  function mount(root, options = {}) {
    const id = `cb${++mounts}`;
    const api = apiBase(root, options);
    // One course of the deployment (data-coursebot-source, or the widget's), else every course: undefined is left
    // out of the JSON body.
    const source = options.source ?? ((root.getAttribute && root.getAttribute('data-coursebot-source')) || undefined);
    const history = [];
    let busy = false;

    const log = h('div', { class: 'cb-log', role: 'log', 'aria-live': 'polite', 'aria-label': 'Questions and answers' });
    const empty = h('p', { class: 'cb-empty' },
      'No questions yet. Ask about anything the course teaches: a concept, an error message, an exercise.');
    log.append(empty);
    const input = h('textarea', {
      id: `${id}-q`, class: 'cb-input', rows: '2', maxlength: String(MAX_QUESTION), required: true,
      'aria-describedby': `${id}-hint`, autocomplete: 'off', enterkeyhint: 'send'
    });
    const send = h('button', { type: 'submit', class: 'cb-send' }, 'Send');
    const form = h('form', { class: 'cb-form' },
      h('label', { for: `${id}-q`, class: 'cb-label' }, 'Your question'),
      h('div', { class: 'cb-row' }, input, send),
      h('p', { id: `${id}-hint`, class: 'cb-hint' }, 'Enter sends, Shift+Enter starts a new line.'));
    const chat = h('div', { class: 'cb-chat' }, log, form);
    root.append(chat);

    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        if (form.requestSubmit) form.requestSubmit(); else send.click(); // Safari < 16
      }
    });
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const question = input.value.trim();
      if (!question || busy) return;
      input.value = '';
      ask(question);
    });

    async function ask(question) {
      busy = true;
      send.disabled = true;
      empty.remove();
      const turn = new Turn(question, api);
      log.append(turn.el);
      log.setAttribute('aria-busy', 'true');
      showTop(turn.el);
      try {
        const response = await fetch(`${api}/api/chat`, {
          method: 'POST',
          // Both endpoints share POST /api/chat; with equal weights the server picks JSON, so prefer the stream.
          headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream, application/json;q=0.5' },
          body: JSON.stringify({ question, history: history.slice(-HISTORY_TURNS), source })
        });
        if (!response.ok) {
          turn.fail(await politeError(response));
          turn.el.classList.toggle('cb-rate-limited', response.status === 429);
          if (response.status === 400) input.value = question; // let the student fix it
          return;
        }
        const type = response.headers.get('Content-Type') || '';
        if (type.includes('text/event-stream')) await streamInto(response, turn);
        else turn.finish(await response.json());
        if (!turn.failed) {
          history.push({ role: 'user', content: question }, { role: 'assistant', content: turn.text.slice(0, MAX_QUESTION) });
        }
      } catch (err) {
        turn.fail(turn.text
          ? 'The connection dropped before the answer was complete.'
          : 'Could not reach Coursebot. Check your connection and try again.', () => {
          turn.el.remove();
          ask(question);
        });
      } finally {
        busy = false;
        send.disabled = false;
        log.setAttribute('aria-busy', 'false');
        showTop(turn.el);
      }
    }

    /** Scrolls the log (only the log: never the host page) so that a turn starts at its top. */
    function showTop(el) {
      log.scrollTop += el.getBoundingClientRect().top - log.getBoundingClientRect().top - 4;
    }

    async function streamInto(response, turn) {
      let finished = false;
      await readEventStream(response.body, (name, data) => {
        if (name === 'token' || name === 'message') turn.append(tokenText(data));
        else if (name === 'citations') turn.meta(parseJson(data));
        else if (name === 'done') { finished = true; turn.finish(parseJson(data)); }
        else if (name === 'error') {
          const p = parseJson(data);
          turn.fail((p && (p.detail || p.title || p.message)) || data || 'The answer stopped because of an error.');
        }
      });
      if (!finished && !turn.failed) turn.finish(undefined);
    }

    return { ask, element: chat };
  }

  /** One question and its answer as it arrives. */
  class Turn {
    constructor(question, api) {
      this.api = api;
      this.text = '';
      this.citations = [];
      this.covered = undefined;
      this.failed = false;
      this.notes = h('div', { class: 'cb-notes' });
      this.body = h('div', { class: 'cb-answer-text' });
      this.status = h('p', { class: 'cb-status' }, 'Looking through the course…');
      this.sources = h('div', { class: 'cb-sources' });
      this.el = h('article', { class: 'cb-turn', 'aria-label': 'Answer' },
        h('p', { class: 'cb-question' }, h('span', { class: 'cb-visually-hidden' }, 'You asked: '), question),
        h('div', { class: 'cb-answer' }, this.status, this.notes, this.body, this.sources));
    }

    append(piece) {
      this.text += piece;
      this.status.textContent = '';
      this.body.replaceChildren(...linkMarkers(this.text, this.citations));
    }

    /** Citations (an array, or an object carrying citations/covered/mode). */
    meta(payload) {
      if (Array.isArray(payload)) this.citations = payload;
      else if (payload && typeof payload === 'object') {
        if (Array.isArray(payload.citations)) this.citations = payload.citations;
        if (typeof payload.covered === 'boolean') this.covered = payload.covered;
        if (payload.mode) this.mode = payload.mode;
        if (payload.degraded) this.degraded = true;
        // A follow-up was searched with the questions it leans on: say so, so the sources make sense.
        if (payload.followUp === true && typeof payload.searchedFor === 'string') this.searchedFor = payload.searchedFor;
      }
    }

    finish(payload) {
      if (payload && typeof payload.answer === 'string' && !this.text) this.text = payload.answer;
      this.meta(payload);
      this.status.textContent = '';
      if (!this.text && !this.failed) this.text = 'No answer came back. Please try again.';
      this.render();
      // Only a logged answer can take feedback; without an id (log off, older server) there is nothing to rate.
      if (payload && typeof payload.answerId === 'string' && payload.answerId && !this.failed) {
        this.sources.after(feedbackControl(this.api, payload.answerId));
      }
    }

    render() {
      const notCovered = this.covered === false;
      this.el.classList.toggle('cb-not-covered', notCovered);
      this.body.replaceChildren(...linkMarkers(this.text, this.citations));
      const notes = [];
      if (notCovered) notes.push(h('p', { class: 'cb-badge' }, 'Not covered by the course material'));
      if (this.mode === 'extractive' && !notCovered) notes.push(h('p', { class: 'cb-note' }, 'Quoted from the course pages (no AI summary).'));
      if (this.degraded) notes.push(h('p', { class: 'cb-note' }, 'Search ran on keywords only right now; results may be rougher than usual.'));
      if (this.searchedFor) notes.push(h('p', { class: 'cb-note cb-searched-for' }, 'Searched for: ' + this.searchedFor.split('\n').join(' → ')));
      this.notes.replaceChildren(...notes);
      if (this.citations.length) {
        this.sources.replaceChildren(
          h('h3', { class: 'cb-sources-title' }, notCovered ? 'Closest sections' : 'Sources'),
          h('ol', { class: 'cb-citations' }, this.citations.map(citationItem)));
      }
    }

    fail(message, retry) {
      this.failed = true;
      this.status.textContent = '';
      if (this.text) this.render();
      const error = h('p', { class: 'cb-error', role: 'alert' }, message);
      if (retry) error.append(' ', h('button', { type: 'button', class: 'cb-retry', onclick: retry }, 'Try again'));
      this.sources.after(error);
    }
  }

  /**
   * "Helpful?" with a thumb up and a thumb down for one answer. The student may change their mind: every click is
   * sent, one request after the other so that they reach the server in click order (the server keeps the last).
   * A thumb down offers an optional comment.
   */
  function feedbackControl(api, answerId) {
    let confirmed = null;        // the vote the server last accepted: true, false or null
    let queue = Promise.resolve();
    let sent = 0;                // numbers the requests: only the latest may update the status
    let noticeTimer;

    const status = h('span', { class: 'cb-feedback-status', role: 'status' });
    const yes = h('button', { type: 'button', class: 'cb-vote', 'aria-label': 'Helpful', 'aria-pressed': 'false',
      onclick: () => vote(true) }, thumb(false));
    const no = h('button', { type: 'button', class: 'cb-vote', 'aria-label': 'Not helpful', 'aria-pressed': 'false',
      onclick: () => vote(false) }, thumb(true));
    const comment = h('input', { type: 'text', class: 'cb-comment-input', maxlength: String(MAX_COMMENT),
      'aria-label': 'Tell us more (optional)', placeholder: 'Tell us more (optional)', autocomplete: 'off' });
    const more = h('form', { class: 'cb-comment', hidden: true },
      comment, h('button', { type: 'submit', class: 'cb-comment-send' }, 'Send'));
    more.addEventListener('submit', (e) => {
      e.preventDefault();
      const text = comment.value.trim();
      if (text) vote(false, text);
    });
    const el = h('div', { class: 'cb-feedback', role: 'group', 'aria-label': 'Was this answer helpful?' },
      h('span', { class: 'cb-feedback-ask', 'aria-hidden': 'true' }, 'Helpful?'), yes, no, status, more);

    function show(helpful) {
      yes.setAttribute('aria-pressed', String(helpful === true));
      no.setAttribute('aria-pressed', String(helpful === false));
    }

    function notice(text, fleeting) {
      clearTimeout(noticeTimer);
      status.textContent = text;
      status.classList.toggle('cb-feedback-problem', Boolean(fleeting));
      if (fleeting) noticeTimer = setTimeout(() => { status.textContent = ''; }, NOTICE_MS);
    }

    function vote(helpful, text) {
      const n = ++sent;
      show(helpful); // at once: the click should feel done; reverted below if the server says no
      if (!helpful && text === undefined) more.hidden = false;
      if (helpful) more.hidden = true;
      queue = queue.then(() => post(helpful, text)).then(async (response) => {
        if (response.status === 202) confirmed = helpful; // requests go in order: this is now the server's vote
        if (n !== sent) return; // a later click is on its way and decides what is shown
        if (response.status === 202) {
          if (text !== undefined) { comment.value = ''; more.hidden = true; }
          notice(text !== undefined ? 'Thanks, sent.' : 'Thanks');
          return;
        }
        const problem = await response.json().catch(() => null);
        if (response.status === 404 && problem && /insights-disabled$/.test(problem.type || '')) {
          el.remove(); // this server keeps no feedback: nothing to offer
          return;
        }
        show(confirmed);
        notice(feedbackError(response, problem), true);
      }, () => {
        if (n !== sent) return;
        show(confirmed);
        notice('Could not send your feedback. Check your connection and try again.', true);
      });
    }

    function post(helpful, text) {
      return fetch(`${api}/api/feedback`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ answerId, helpful, comment: text || undefined })
      });
    }

    return el;
  }

  /** A thumb drawn in SVG: 👍/👎 as emoji render as empty boxes where no emoji font is installed. */
  function thumb(down) {
    const ns = 'http://www.w3.org/2000/svg';
    const icon = document.createElementNS(ns, 'svg');
    icon.setAttribute('viewBox', '0 0 24 24');
    icon.setAttribute('aria-hidden', 'true');
    icon.setAttribute('focusable', 'false');
    const path = document.createElementNS(ns, 'path');
    path.setAttribute('d', 'M7 10v11H3.5A1.5 1.5 0 0 1 2 19.5v-8A1.5 1.5 0 0 1 3.5 10H7l4.2-7.1c.9-1.3 3.3-.8 3.3 1.2L14 9h5.6'
      + 'c1.5 0 2.6 1.4 2.3 2.8l-1.7 7.4A2.3 2.3 0 0 1 18 21H7');
    if (down) path.setAttribute('transform', 'rotate(180 12 12)');
    icon.append(path);
    return icon;
  }

  function feedbackError(response, problem) {
    if (response.status === 429) {
      const s = retryAfterSeconds(response.headers.get('Retry-After'));
      return s ? `Too many requests, try again in ${s} s.` : 'Too many requests, try again in a minute.';
    }
    if (problem && (problem.detail || problem.title)) return problem.detail || problem.title;
    return `Your feedback could not be saved (status ${response.status}).`;
  }

  function partLabel(c) {
    if (c.partId && c.moduleId) return `Part ${c.partId}, module ${c.moduleId}`;
    if (c.partId) return `Part ${c.partId}`;
    return null;
  }

  function citationItem(c, i) {
    const n = c.index ?? i + 1;
    const where = partLabel(c);
    return h('li', { value: String(n) },
      h('a', { href: c.url, target: '_blank', rel: 'noopener' },
        c.title || c.url, h('span', { class: 'cb-visually-hidden' }, ' (opens in a new tab)')),
      where ? h('span', { class: 'cb-where' }, ` · ${where}`) : null);
  }

  /** Splits text on [n] markers and links each marker that names a known citation. */
  function linkMarkers(text, citations) {
    const byIndex = new Map(citations.map((c, i) => [Number(c.index ?? i + 1), c]));
    const out = [];
    let last = 0;
    for (const m of text.matchAll(/\[(\d{1,2})\]/g)) {
      const c = byIndex.get(Number(m[1]));
      if (!c || !c.url) continue;
      if (m.index > last) out.push(text.slice(last, m.index));
      out.push(h('a', {
        href: c.url, target: '_blank', rel: 'noopener', class: 'cb-marker',
        'aria-label': `Source ${m[1]}: ${c.title || c.url} (opens in a new tab)`
      }, m[0]));
      last = m.index + m[0].length;
    }
    if (last < text.length) out.push(text.slice(last));
    return out.flatMap((part) => (typeof part === 'string' ? inlineMarkup(part) : [part]));
  }

  /** The two inline marks answers use (**bold** section titles, `code`) as elements; all else stays text. */
  function inlineMarkup(text) {
    const out = [];
    let last = 0;
    for (const m of text.matchAll(/\*\*([^*\n]+?)\*\*|`([^`\n]+)`/g)) {
      if (m.index > last) out.push(text.slice(last, m.index));
      out.push(m[1] !== undefined ? h('strong', null, m[1]) : h('code', null, m[2]));
      last = m.index + m[0].length;
    }
    if (last < text.length) out.push(text.slice(last));
    return out;
  }

  window.Coursebot = { mount, readEventStream, tokenText, linkMarkers };

  function autoMount() {
    document.querySelectorAll('[data-coursebot-mount]').forEach((el) => {
      if (!el.dataset.coursebotMounted) {
        el.dataset.coursebotMounted = 'true';
        mount(el);
      }
    });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', autoMount);
  else autoMount();
})();
