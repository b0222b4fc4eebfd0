/*
 * Coursebot insights page for course staff (admin-insights.html, served at /admin/insights). Plain JavaScript,
 * no build step, no dependencies, no requests beyond its own origin.
 * Fetches GET admin/insights?since=... as JSON with the admin token and renders it. The token lives in one
 * variable of this script, read from the password field on each load: never in storage, cookies or the URL.
 * Questions are student text: everything is rendered with textContent and DOM APIs, never innerHTML.
 */
(function () {
  'use strict';

  // The page is at {root}admin/insights and this script at {root}admin-insights.js: the report sits beside the
  // page whatever path prefix a proxy adds.
  const ROOT = new URL('.', document.currentScript.src);
  const SVG = 'http://www.w3.org/2000/svg';
  const $ = (selector) => document.querySelector(selector);

  let token = '';
  let loads = 0;    // numbers the loads: a slow answer must not overwrite a newer one
  let shownDays = []; // the chart's data, to redraw it when the window is resized

  /** Creates an element with attributes and children (strings become text nodes, never HTML). */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') el.className = v;
      else el.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children.flat()) {
      if (c !== null && c !== undefined && c !== false) el.append(c);
    }
    return el;
  }

  function svg(tag, attrs, text) {
    const el = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, String(v));
    if (text !== undefined) el.textContent = text;
    return el;
  }

  // Formatting. The browser test computes the same values from the JSON: keep percent() in step with it.
  const integer = new Intl.NumberFormat('en-US');
  function count(n) { return n === null || n === undefined ? '–' : integer.format(n); }
  function percent(share) { return share === null || share === undefined ? '–' : `${Math.round(share * 100)}%`; }
  function millis(ms) {
    if (ms === null || ms === undefined) return '–';
    return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10000 ? 1 : 0)} s`;
  }
  function plural(n, one, many) { return `${count(n)} ${n === 1 ? one : many}`; }
  function utc(iso) {
    const d = new Date(iso);
    return Number.isNaN(+d) ? String(iso) : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  }
  function dayLabel(day) {
    const d = new Date(`${day}T00:00:00Z`);
    return Number.isNaN(+d) ? String(day) : d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
  }

  /** A link to a course section; a URL that is not http(s) is shown as text, never made a link. */
  function sectionLink(section) {
    const title = section.title || section.url || '(untitled section)';
    let safe = null;
    try {
      const u = new URL(section.url);
      if (u.protocol === 'https:' || u.protocol === 'http:') safe = u.href;
    } catch (_) { /* not a URL */ }
    return safe ? h('a', { href: safe, target: '_blank', rel: 'noopener' }, title) : h('span', null, title);
  }

  function showError(message) {
    const error = $('#error');
    error.textContent = message;
    error.hidden = !message;
  }

  async function problemMessage(response) {
    if (response.status === 401 || response.status === 403) {
      return 'Wrong token: the server did not accept it. Check the admin token and try again.';
    }
    const problem = await response.json().catch(() => null);
    if (problem && (problem.detail || problem.title)) return problem.detail || problem.title;
    return `The report could not be loaded (status ${response.status}).`;
  }

  async function load() {
    token = $('#token').value.trim();
    if (!token) { showError('Type the admin token first.'); $('#token').focus(); return; }
    const since = $('#since').value;
    const n = ++loads;
    const button = $('#load');
    button.disabled = true;
    $('#report').setAttribute('aria-busy', 'true');
    try {
      const response = await fetch(new URL(`admin/insights?since=${encodeURIComponent(since)}`, ROOT), {
        headers: { Accept: 'application/json', Authorization: `Bearer ${token}` },
        cache: 'no-store', credentials: 'omit'
      });
      if (n !== loads) return;
      if (!response.ok) {
        const message = await problemMessage(response);
        if (n !== loads) return;
        showError(message);
        $('#report').hidden = true; // an old report under a failed load would look current
        return;
      }
      const report = await response.json();
      if (n !== loads) return;
      showError('');
      render(report);
    } catch (err) {
      if (n === loads) showError('Could not reach Coursebot. Check the connection and try again.');
    } finally {
      if (n === loads) {
        button.disabled = false;
        $('#report').setAttribute('aria-busy', 'false');
      }
    }
  }

  function render(r) {
    $('#hint').hidden = true;
    $('#period').textContent = `Period: ${utc(r.since)} – ${utc(r.until)}`;
    $('#disabled').hidden = r.enabled !== false;
    $('#report').hidden = false; // first: the chart is drawn at the width it gets
    renderSummary(r);
    renderChart(r.days || []);
    renderGaps(r.gaps || [], r.ungrouped || 0);
    renderSections(r);
    renderExercises(r);
  }

  function metric(name, text, sub) {
    document.querySelector(`#summary [data-metric="${name}"]`).textContent = text;
    const subEl = document.querySelector(`#summary [data-sub="${name}"]`);
    if (subEl) subEl.textContent = sub || '';
  }

  function renderSummary(r) {
    const fb = r.feedback || {};
    const latency = r.latencyMs || {};
    metric('questions', count(r.questions), `asked in ${periodWords()}`);
    metric('coveredShare', percent(r.coveredShare), r.questions ? `${count(r.covered)} of ${count(r.questions)} questions` : 'no questions');
    metric('helpfulShare', percent(fb.helpfulShare),
      fb.answers ? `of ${plural(fb.answers, 'answer', 'answers')} with feedback (${count(fb.notHelpful)} not helpful)` : 'no feedback yet');
    const days = r.days || [];
    const sum = (f) => days.reduce((s, d) => s + (d[f] || 0), 0);
    metric('spend', usd(sum('spentUsd')), `${plural(sum('writtenAnswers'), 'answer', 'answers')} written, `
      + `${count(sum('budgetDowngrades'))} made extractive by the daily budget`);
    metric('limited', count(sum('limitedClients')), `clients refused ${plural(sum('refusedRequests'), 'request', 'requests')}`
      + ' by the rate limits (all courses)');
    metric('p50', millis(latency.p50));
    metric('p95', millis(latency.p95));
  }

  function usd(value) {
    return '$' + (value || 0).toFixed(value && value < 1 ? 4 : 2);
  }

  function periodWords() {
    const select = $('#since');
    return select.options[select.selectedIndex].textContent.toLowerCase();
  }

  /** Bars for questions per day, the covered part darker inside, and a line for the covered share (right axis). */
  function renderChart(days) {
    shownDays = days;
    // Drawn at the box's own width in CSS pixels (not a scaled viewBox): the labels keep their size on a phone.
    const W = Math.max(300, Math.round($('#chart').clientWidth || 960));
    const H = W < 600 ? 200 : 260, left = 44, right = 46, top = 16, bottom = 34;
    const plotW = W - left - right, plotH = H - top - bottom;
    const max = niceMax(Math.max(1, ...days.map((d) => d.questions || 0)));
    const slot = plotW / Math.max(1, days.length);
    const barW = Math.max(2, Math.min(48, slot * 0.66));
    const y = (v) => top + plotH - (v / max) * plotH;
    const yShare = (s) => top + plotH - s * plotH;

    const total = days.reduce((s, d) => s + (d.questions || 0), 0);
    const chart = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', class: 'in-svg',
      'aria-label': `Questions per day over ${days.length} days, ${total} in all; the table below has the numbers.` });

    // Grid and left axis (questions), right axis (covered share).
    for (const v of [0, max / 2, max]) {
      chart.append(svg('line', { x1: left, x2: W - right, y1: y(v), y2: y(v), class: 'grid' }));
      chart.append(svg('text', { x: left - 8, y: y(v) + 4, class: 'axis', 'text-anchor': 'end' }, count(v)));
    }
    for (const s of [0, 0.5, 1]) {
      chart.append(svg('text', { x: W - right + 8, y: yShare(s) + 4, class: 'axis axis-share' }, percent(s)));
    }

    // A date under every few bars so that the labels never overlap (at most one per 70 px).
    const every = Math.max(1, Math.ceil(days.length / Math.max(2, Math.floor(plotW / 70))));
    const points = [];
    days.forEach((d, i) => {
      const cx = left + slot * (i + 0.5);
      const x = cx - barW / 2;
      const q = d.questions || 0, c = d.covered || 0;
      const bar = svg('rect', { x, y: y(q), width: barW, height: Math.max(0, top + plotH - y(q)), class: 'day-bar', 'data-day': d.day });
      bar.append(svg('title', null, `${d.day}: ${q} questions, ${c} covered (${percent(d.coveredShare)})`));
      chart.append(bar);
      chart.append(svg('rect', { x, y: y(c), width: barW, height: Math.max(0, top + plotH - y(c)), class: 'day-covered' }));
      if (d.coveredShare !== null && d.coveredShare !== undefined) points.push([cx, yShare(d.coveredShare)]);
      if (i % every === 0) {
        chart.append(svg('text', { x: cx, y: H - bottom + 18, class: 'axis', 'text-anchor': 'middle' }, dayLabel(d.day)));
      }
    });
    if (points.length > 1) {
      chart.append(svg('polyline', { points: points.map((p) => p.join(',')).join(' '), class: 'share-line' }));
    }
    if (slot >= 12) for (const [px, py] of points) chart.append(svg('circle', { cx: px, cy: py, r: 3, class: 'share-dot' }));
    chart.append(svg('line', { x1: left, x2: W - right, y1: top + plotH, y2: top + plotH, class: 'baseline' }));
    if (total === 0) chart.append(svg('text', { x: left + plotW / 2, y: top + plotH / 2, class: 'empty', 'text-anchor': 'middle' }, 'No questions in this period'));
    $('#chart').replaceChildren(chart);

    $('#days').replaceChildren(...days.map((d) => h('tr', null,
      h('td', null, d.day), h('td', { class: 'num' }, count(d.questions)), h('td', { class: 'num' }, count(d.covered)),
      h('td', { class: 'num' }, percent(d.coveredShare)), h('td', { class: 'num' }, usd(d.spentUsd)),
      h('td', { class: 'num' }, count(d.writtenAnswers)), h('td', { class: 'num' }, count(d.budgetDowngrades)),
      h('td', { class: 'num' }, count(d.refusedRequests)), h('td', { class: 'num' }, count(d.limitedClients)))));
  }

  /** A round axis top at or above n whose half is a whole number too (2, 4, ... 10, 20, 50, 100, ...). */
  function niceMax(n) {
    const p = 10 ** Math.floor(Math.log10(n));
    for (const m of p === 1 ? [2, 4, 6, 8, 10] : [1, 2, 5, 10]) if (m * p >= n) return m * p;
    return n;
  }

  function renderGaps(gaps, ungrouped) {
    $('#gaps tbody').replaceChildren(...gaps.map((g) => h('tr', null,
      h('td', { class: 'size num' }, count(g.size)),
      h('td', { class: 'why' }, whyLines(g)),
      h('td', null, h('ul', { class: 'in-examples' }, (g.examples || []).slice(0, 3).map((q) => h('li', null, q)))),
      h('td', null, (g.closestSections || []).length
        ? h('ul', { class: 'in-plain' }, g.closestSections.map((s) => h('li', null, sectionLink(s),
          typeof s.similarity === 'number' ? h('span', { class: 'in-sim', title: 'similarity' }, ` ${s.similarity.toFixed(2)}`) : null)))
        : h('span', { class: 'in-muted' }, 'none close')))));
    $('#gaps').hidden = gaps.length === 0;
    $('#gaps-empty').hidden = gaps.length > 0;
    const note = $('#ungrouped');
    note.hidden = !ungrouped;
    note.textContent = ungrouped
      ? `${plural(ungrouped, 'more question', 'more questions')} could not be grouped (no vector, or from another embedding space).`
      : '';
  }

  function whyLines(g) {
    const lines = [];
    if (g.uncovered) lines.push(h('span', null, `${count(g.uncovered)} uncovered`));
    if (g.notHelpful) lines.push(h('span', null, `${count(g.notHelpful)} not helpful`));
    return lines.length ? lines : '–';
  }

  function renderExercises(r) {
    const asked = r.exerciseRequests || [];
    $('#exercise-requests').replaceChildren(...asked.map((e) => h('li', null,
      e.exercise ? sectionLink({ title: e.exercise, url: e.url }) : h('span', { class: 'in-muted' }, 'no exercise in particular'),
      h('span', { class: 'in-count', title: `${plural(e.clients, 'client', 'clients')}` }, count(e.requests)))));
    $('#exercise-requests-empty').hidden = asked.length > 0;
  }

  function renderSections(r) {
    const most = r.mostCited || [];
    $('#most-cited').replaceChildren(...most.map((s) => h('li', null, sectionLink(s),
      h('span', { class: 'in-count' }, count(s.citations)))));
    $('#most-cited-empty').hidden = most.length > 0;

    const never = r.neverCited || [];
    const total = r.neverCitedCount ?? never.length;
    $('#never-cited-count').textContent = count(total);
    $('#never-cited').replaceChildren(...never.map((s) => h('li', null, sectionLink(s))));
    const note = $('#never-cited-note');
    note.hidden = total === never.length;
    note.textContent = total === 0 ? 'Every section was cited at least once.'
      : `The first ${count(never.length)} of ${count(total)}:`;
    if (total === 0) note.hidden = false;
  }

  let resizeTimer;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => { if (!$('#report').hidden) renderChart(shownDays); }, 150);
  });

  $('#controls').addEventListener('submit', (e) => {
    e.preventDefault();
    load();
  });
})();
