/*
 * Coursebot widget: put the chat on any page with
 *   <script src="https://chat.example.org/widget.js" data-coursebot-api="https://chat.example.org" defer></script>
 * With data-coursebot-source="<source>" the answers come from that course alone (one deployment, several courses).
 * Adds an "Ask the course" button that opens a panel with the same UI as the chat page. The UI code
 * (chat.js) and styles (chat.css) are loaded from this script's own origin; the panel lives in a shadow
 * root so the course site's CSS and the widget's CSS cannot affect each other.
 */
(function () {
  'use strict';
  const script = document.currentScript;
  if (!script || window.__coursebotWidget) return;
  window.__coursebotWidget = true;

  const assets = new URL('.', script.src);                 // where chat.js and chat.css live
  const api = script.getAttribute('data-coursebot-api') || assets.origin; // empty means "where widget.js came from"
  const label = script.getAttribute('data-coursebot-label') || 'Ask the course';
  const source = script.getAttribute('data-coursebot-source') || undefined; // undefined: every course

  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (text) e.textContent = text;
    return e;
  }

  let chatScript; // one promise for loading chat.js, shared by every open
  function loadChat() {
    if (window.Coursebot) return Promise.resolve(window.Coursebot);
    chatScript ??= new Promise((resolve, reject) => {
      const s = el('script', { src: new URL('chat.js', assets).href, async: '' });
      s.onload = () => (window.Coursebot ? resolve(window.Coursebot) : reject(new Error('chat.js did not load')));
      s.onerror = () => { chatScript = undefined; reject(new Error('chat.js did not load')); };
      document.head.append(s);
    });
    return chatScript;
  }

  function build() {
    const host = el('div', { id: 'coursebot-widget' });
    const shadow = host.attachShadow({ mode: 'open' });
    shadow.append(el('link', { rel: 'stylesheet', href: new URL('chat.css', assets).href }));
    const wrap = el('div', { class: 'cb-widget' });
    const launcher = el('button', { type: 'button', class: 'cb-launcher', 'aria-expanded': 'false', 'aria-controls': 'cb-panel' }, label);
    const panel = el('section', { id: 'cb-panel', class: 'cb-panel', role: 'dialog', 'aria-labelledby': 'cb-panel-title', hidden: '' });
    const head = el('div', { class: 'cb-panel-head' });
    const close = el('button', { type: 'button', class: 'cb-close', 'aria-label': 'Close' }, '×');
    head.append(el('h2', { id: 'cb-panel-title' }, label), close);
    const body = el('div', { class: 'cb-panel-body' });
    panel.append(head, body);
    wrap.append(panel, launcher);
    shadow.append(wrap);
    document.body.append(host);

    let mounted = false;
    async function open() {
      panel.hidden = false;
      launcher.setAttribute('aria-expanded', 'true');
      if (!mounted) {
        mounted = true;
        try {
          (await loadChat()).mount(body, { api, source });
        } catch (err) {
          mounted = false;
          body.replaceChildren(el('p', { class: 'cb-error', role: 'alert' }, 'The chat could not be loaded. Please try again later.'));
          return;
        }
      }
      const input = body.querySelector('textarea');
      if (input) input.focus();
    }
    function hide() {
      panel.hidden = true;
      launcher.setAttribute('aria-expanded', 'false');
      launcher.focus();
    }
    launcher.addEventListener('click', () => (panel.hidden ? open() : hide()));
    close.addEventListener('click', hide);
    panel.addEventListener('keydown', (e) => { if (e.key === 'Escape') hide(); });
    if (script.hasAttribute('data-coursebot-open')) open();
  }

  if (document.body) build();
  else document.addEventListener('DOMContentLoaded', build);
})();
