/**
 * The dashboard: one self-contained page (inline CSS and JS, no external URL, no build step).
 * The shell holds no data; the script asks for the admin token, keeps it in sessionStorage and
 * calls the JSON API with it. Data is always inserted as text, never as HTML.
 */

export const dashboardCss = `
:root{color-scheme:light dark;--fg:#1b1f24;--bg:#fff;--muted:#667;--line:#d8dde3;--accent:#2563eb;--bad:#b42318;--ok:#067647}
@media (prefers-color-scheme:dark){:root{--fg:#e6e8eb;--bg:#15181c;--muted:#9aa3ad;--line:#2c323a;--accent:#6ea0ff;--bad:#ff8a80;--ok:#6fdc8c}}
*{box-sizing:border-box}body{margin:0;font:14px/1.4 system-ui,sans-serif;color:var(--fg);background:var(--bg)}
header{display:flex;align-items:center;gap:1rem;padding:.6rem 1rem;border-bottom:1px solid var(--line)}
header h1{font-size:1.1rem;margin:0}header .grow{flex:1}main{padding:1rem;display:grid;gap:1rem;grid-template-columns:repeat(3,minmax(0,1fr));align-items:start}main>section.wide{grid-column:1/-1}.scroll{overflow-x:auto}
section{border:1px solid var(--line);border-radius:6px;padding:.75rem}section h2{font-size:1rem;margin:0 0 .5rem}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.25rem .4rem;border-bottom:1px solid var(--line);white-space:nowrap}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}tr.sel{outline:2px solid var(--accent)}
button{font:inherit;padding:.25rem .6rem;border:1px solid var(--line);border-radius:4px;background:transparent;color:inherit;cursor:pointer}
button.primary{background:var(--accent);border-color:var(--accent);color:#fff}button.link{border:0;padding:0;color:var(--accent);text-decoration:underline}
input{font:inherit;padding:.25rem .4rem;border:1px solid var(--line);border-radius:4px;background:transparent;color:inherit;width:100%}
form.grid{display:grid;grid-template-columns:10rem 1fr;gap:.35rem .5rem;align-items:center}form.grid .actions{grid-column:1/3;display:flex;gap:.5rem}
#login{max-width:26rem;margin:3rem auto}#status{min-height:1.2em;color:var(--muted)}#status.bad{color:var(--bad)}#status.ok{color:var(--ok)}
ol.events{list-style:none;margin:0;padding:0;max-height:28rem;overflow:auto}ol.events li{padding:.3rem 0;border-bottom:1px solid var(--line)}
.muted{color:var(--muted)}.tag{display:inline-block;padding:0 .35rem;border-radius:3px;border:1px solid var(--line);font-size:.85em}
svg.spark{display:block}svg.spark polyline{fill:none;stroke:var(--accent);stroke-width:1.5}svg.spark line{stroke:var(--line)}
.hidden{display:none}@media (max-width:1000px){main{grid-template-columns:1fr}}
`;

export const dashboardJs = `
(() => {
  'use strict';
  const api = document.body.dataset.api;
  const KEY = 'loopgate-admin-token';
  const $ = (id) => document.getElementById(id);
  let timer;

  function el(tag, attrs, ...children) {
    const node = tag === 'svg' || tag === 'polyline' || tag === 'line' || tag === 'title'
      ? document.createElementNS('http://www.w3.org/2000/svg', tag) : document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
    for (const c of children) if (c !== undefined && c !== null) node.append(c instanceof Node ? c : String(c));
    return node;
  }
  const fmt = (n) => (typeof n === 'number' ? (Math.round(n * 100) / 100).toLocaleString() : '');
  function status(text, kind) { const s = $('status'); s.textContent = text; s.className = kind || ''; }

  function showLogin(message) {
    clearInterval(timer);
    $('app').classList.add('hidden');
    $('login').classList.remove('hidden');
    $('login-error').textContent = message || '';
  }

  async function call(method, path, body) {
    const headers = { authorization: 'Bearer ' + (sessionStorage.getItem(KEY) || '') };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(api + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const data = await res.json().catch(() => ({}));
    const code = data && data.errors && data.errors[0] && data.errors[0].extensions && data.errors[0].extensions.code;
    if (res.status === 401 || res.status === 403) { showLogin('Refused: ' + (code || res.status)); throw new Error(code || 'UNAUTHENTICATED'); }
    if (!res.ok) {
      const field = data.errors && data.errors[0] && data.errors[0].extensions && data.errors[0].extensions.field;
      throw new Error((code || 'HTTP ' + res.status) + (field ? ' (' + field + ')' : ''));
    }
    return data;
  }

  function chart(series) {
    const w = 160, h = 36;
    const svg = el('svg', { class: 'spark', width: w, height: h, viewBox: '0 0 ' + w + ' ' + h, role: 'img' });
    if (!series || !series.costs.length) { svg.append(el('title', {}, 'no samples')); return svg; }
    const costs = series.costs, max = Math.max(1, ...costs), step = costs.length > 1 ? w / (costs.length - 1) : w;
    const points = costs.map((c, i) => (i * step).toFixed(1) + ',' + (h - 2 - (c / max) * (h - 4)).toFixed(1)).join(' ');
    svg.append(el('line', { x1: 0, y1: h - 1, x2: w, y2: h - 1 }), el('polyline', { points }));
    svg.append(el('title', {}, 'cost per ' + series.slotMs / 1000 + ' s since ' + new Date(series.startMs).toLocaleTimeString() + ', peak ' + fmt(max)));
    return svg;
  }

  function overrideText(o) {
    if (!o) return '';
    const parts = [];
    if (o.capacity !== undefined) parts.push('cap ' + fmt(o.capacity));
    if (o.restoreRatePerSecond !== undefined) parts.push(fmt(o.restoreRatePerSecond) + '/s');
    if (o.multiplier !== undefined) parts.push('x' + o.multiplier);
    if (o.expiresAt) parts.push('until ' + new Date(o.expiresAt).toLocaleString());
    return parts.join(', ');
  }

  function signalsText(s) {
    if (!s) return '';
    const errors = Object.entries(s.errors || {}).filter(([, n]) => n > 0).map(([k, n]) => k + ' ' + n);
    return s.requests + ' req' + (errors.length ? ', ' + errors.join(', ') : '');
  }

  function select(clientId) {
    $('ov-client').value = clientId;
    for (const row of document.querySelectorAll('#clients tbody tr')) row.classList.toggle('sel', row.dataset.client === clientId);
    loadDetail(clientId).catch((e) => status(e.message, 'bad'));
  }

  function renderClients(data) {
    const body = $('clients').querySelector('tbody');
    body.replaceChildren();
    for (const c of data.clients) {
      const pick = el('button', { class: 'link', type: 'button' }, c.clientId);
      pick.addEventListener('click', () => select(c.clientId));
      body.append(el('tr', { 'data-client': c.clientId },
        el('td', {}, pick), el('td', {}, c.tier || ''),
        el('td', { class: 'num' }, fmt(c.capacity)), el('td', { class: 'num' }, fmt(c.remaining)),
        el('td', { class: 'num' }, fmt(c.multiplier)), el('td', {}, overrideText(c.override)),
        el('td', { class: 'num' }, fmt(c.totalCost)), el('td', { class: 'num' }, fmt(c.throttled)),
        el('td', { class: 'muted' }, signalsText(c.signals)), el('td', {}, chart(c.costSeries))));
    }
    $('client-count').textContent = data.total + ' clients';
  }

  function eventItem(e) {
    const change = [];
    if (e.oldMultiplier !== e.newMultiplier) change.push('x' + fmt(e.oldMultiplier) + ' \\u2192 x' + fmt(e.newMultiplier));
    if (e.oldCapacity !== e.newCapacity) change.push('capacity ' + fmt(e.oldCapacity) + ' \\u2192 ' + fmt(e.newCapacity));
    return el('li', { 'data-rule': e.rule },
      el('span', { class: 'muted' }, new Date(e.at).toLocaleString() + ' '), el('strong', {}, e.clientId), ' ',
      el('span', { class: 'tag' }, e.rule), ' by ', e.actor, change.length ? ' \\u00b7 ' + change.join(', ') : '',
      e.reason ? el('div', { class: 'muted' }, e.reason) : null);
  }

  async function loadDetail(clientId) {
    const data = await call('GET', '/clients/' + encodeURIComponent(clientId));
    $('detail-title').textContent = clientId;
    $('detail').replaceChildren(...(data.audit.length ? data.audit.map(eventItem) : [el('li', { class: 'muted' }, 'no audit events')]));
  }

  async function refresh() {
    const [clients, audit] = await Promise.all([call('GET', '/clients?limit=100'), call('GET', '/audit?limit=30')]);
    renderClients(clients);
    $('events').replaceChildren(...(audit.events.length ? audit.events.map(eventItem) : [el('li', { class: 'muted' }, 'no adaptations yet')]));
    $('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
  }

  function start() {
    $('login').classList.add('hidden');
    $('app').classList.remove('hidden');
    refresh().then(() => status('')).catch((e) => status(e.message, 'bad'));
    clearInterval(timer);
    timer = setInterval(() => refresh().catch((e) => status(e.message, 'bad')), 10000);
  }

  const numberOf = (id) => ($(id).value.trim() === '' ? undefined : Number($(id).value));

  $('login-form').addEventListener('submit', (event) => {
    event.preventDefault();
    sessionStorage.setItem(KEY, $('token').value.trim());
    $('token').value = '';
    start();
  });
  $('logout').addEventListener('click', () => { sessionStorage.removeItem(KEY); showLogin(''); });
  $('refresh').addEventListener('click', () => refresh().catch((e) => status(e.message, 'bad')));
  $('override-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const id = $('ov-client').value.trim();
    const body = { capacity: numberOf('ov-capacity'), restoreRatePerSecond: numberOf('ov-rate'), multiplier: numberOf('ov-multiplier'),
      ttlSeconds: numberOf('ov-ttl'), reason: $('ov-reason').value.trim() || undefined };
    try {
      await call('PUT', '/clients/' + encodeURIComponent(id) + '/override', body);
      status('override set for ' + id, 'ok');
      await refresh();
      await loadDetail(id);
    } catch (e) { status(e.message, 'bad'); }
  });
  for (const [button, method, suffix, done] of [['ov-remove', 'DELETE', '/override', 'override removed'], ['ov-reset', 'POST', '/reset', 'client reset']]) {
    $(button).addEventListener('click', async () => {
      const id = $('ov-client').value.trim();
      try {
        await call(method, '/clients/' + encodeURIComponent(id) + suffix);
        status(done + ' for ' + id, 'ok');
        await refresh();
        await loadDetail(id);
      } catch (e) { status(e.message, 'bad'); }
    });
  }

  if (sessionStorage.getItem(KEY)) start(); else showLogin('');
})();
`;

export function dashboardHtml(apiBase: string): string {
  const base = apiBase.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>loopgate admin</title>
<style>${dashboardCss}</style>
</head>
<body data-api="${base}">
<header><h1>loopgate budgets</h1><span id="updated" class="muted"></span><span class="grow"></span>
<button id="refresh" type="button">Refresh</button><button id="logout" type="button">Forget token</button></header>
<div id="login" class="hidden"><section><h2>Admin token</h2>
<form id="login-form" class="grid"><label for="token">Bearer token</label><input id="token" type="password" autocomplete="off" required>
<div class="actions"><button class="primary" type="submit">Open</button></div></form>
<p id="login-error" class="muted"></p><p class="muted">The token stays in this tab (sessionStorage) and is sent only to this gateway's admin API.</p></section></div>
<main id="app" class="hidden">
<section class="wide"><h2>Clients <span id="client-count" class="muted"></span></h2>
<div class="scroll"><table id="clients"><thead><tr><th>client</th><th>tier</th><th class="num">capacity</th><th class="num">remaining</th>
<th class="num">multiplier</th><th>override</th><th class="num">cost</th><th class="num">throttled</th><th>signals</th><th>cost over time</th></tr></thead>
<tbody></tbody></table></div></section>
<section><h2>Override</h2>
<form id="override-form" class="grid">
<label for="ov-client">client id</label><input id="ov-client" required maxlength="256">
<label for="ov-capacity">capacity</label><input id="ov-capacity" type="number" min="0" step="any">
<label for="ov-rate">restore rate / s</label><input id="ov-rate" type="number" min="0" step="any">
<label for="ov-multiplier">pinned multiplier</label><input id="ov-multiplier" type="number" min="0" step="any">
<label for="ov-ttl">expires in (s)</label><input id="ov-ttl" type="number" min="1" step="1">
<label for="ov-reason">reason</label><input id="ov-reason" maxlength="500">
<div class="actions"><button id="ov-submit" class="primary" type="submit">Set override</button>
<button id="ov-remove" type="button">Remove override</button><button id="ov-reset" type="button">Reset client</button></div>
</form><p id="status"></p></section>
<section><h2>History of <span id="detail-title" class="muted">(pick a client)</span></h2><ol id="detail" class="events"></ol></section>
<section><h2>Recent adaptations</h2><ol id="events" class="events"></ol></section>
</main>
<script>${dashboardJs}</script>
</body>
</html>
`;
}
