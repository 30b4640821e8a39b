// The viewer: sign in, the list with its search, chart and live mode, and the detail of one action.
import { $, el, clear, saveFile } from './dom.js';
import * as api from './api.js';
import { parse, withRange } from './search.js';
import { row, restate } from './list.js';
import * as chart from './chart.js';
import * as detail from './detail.js';
import * as live from './live.js';

const LIMIT = 25;
/**
 * Most rows the list holds: its page and the newest that live mode added on top. Past that the oldest rows go (their
 * actions stay counted in the total and on the older pages), so a page left following holds a bounded list.
 */
const MAX_ROWS = 500;
/** The list shown: its search, where it starts, and the moment it is pinned to so that paging never shifts. */
const view = { q: '', offset: 0, count: 0, at: null, total: 0, shown: new Set(), fresh: 0, unseen: 0, liveFrom: null };
let stopLive = null;
let listUrl = '/';
/**
 * The list shown (as in proof-panel.js): an answer for a search replaced meanwhile, or for a list left for a detail,
 * is dropped, so that a slow answer never overwrites a newer one's rows, chart or count, nor starts following events.
 */
let listing = 0;

function show(section) {
  for (const id of ['signin', 'browse', 'detail']) $(id).hidden = id !== section;
  $('signout').hidden = section === 'signin';
  const c = api.credential();
  $('who').textContent = c ? (c.name ? `Signed in as ${c.name}` : 'Signed in with a key') : '';
}

function address(params) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== '' && v !== 0) p.set(k, v);
  const s = p.toString();
  return s ? `/?${s}` : '/';
}

function go(url, replace = false) {
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  route();
}

/** Reads the page's address and shows what it names. */
function route() {
  const p = new URLSearchParams(location.search);
  // Whatever the address names now, a list answer still awaited is for what was shown before.
  listing++;
  if (!api.credential()) {
    stopFollowing();
    detail.stop();
    show('signin');
    $('key').focus();
    return;
  }
  if (p.get('open')) {
    stopFollowing();
    show('detail');
    $('back').href = listUrl;
    detail.render(p.get('open'), (uuid, push) => go(address({ open: uuid }), !push));
    return;
  }
  detail.stop();
  listUrl = location.pathname + location.search;
  show('browse');
  view.q = p.get('q') || '';
  view.offset = Math.max(0, parseInt(p.get('offset') || '0', 10) || 0);
  view.at = p.get('at');
  $('q').value = view.q;
  list();
}

function stopFollowing() {
  if (stopLive) stopLive();
  stopLive = null;
}

async function list() {
  const mine = ++listing;
  const { params, invalid } = parse(view.q);
  const error = clear($('search-error'));
  $('export-ndjson').disabled = $('export-csv').disabled = invalid.length > 0;
  $('export-status').textContent = '';
  if (invalid.length) {
    error.append(el('p', {}, 'This search was not run; these terms are not valid:'),
      el('ul', {}, ...invalid.map((m) => el('li', { class: 'invalid' }, m))));
    clear($('rows'));
    setTotal(null);
    $('chart').hidden = true;
    return;
  }
  $('total').dataset.total = '';
  clear($('bars'));
  const pinned = view.at ? { ...params, start_date__lte: view.at } : params;
  try {
    const asked = Date.now();
    const r = await api.get('/api/v1/action/', { ...pinned, limit: LIMIT, offset: view.offset });
    if (mine !== listing) return;
    // The pin: the server's clock, or the newest start date shown when a recorder's clock is ahead of it.
    const local = Date.now();
    const trusted = clockAgrees(r.date, local);
    const now = trusted ? local : Date.parse(r.date);
    view.at = view.at || isoOf(Math.max(now,
      r.body.objects.length && view.offset === 0 ? Date.parse(r.body.objects[0].start_date) : 0));
    // Live mode starts when the list was asked, not answered: an action recorded after the answer but before the
    // events stream opens must still come. One recorded while the list was asked is in its answer, on the first
    // page (newest first; a later page is pinned before it), and is not listed twice.
    view.liveFrom = isoOf(trusted ? asked : now);
    view.total = r.body.meta.total_count;
    view.fresh = 0;
    view.unseen = 0;
    view.shown = new Set(r.body.objects.map((a) => a.uuid));
    $('rows').replaceChildren(...r.body.objects.map((a) => row(a)));
    setTotal(view.total);
    pager(r.body.objects.length);
    newCount();
  } catch (e) {
    if (mine !== listing) return;
    if (e.status === 401) return signOut('Your key is no longer accepted; sign in again.');
    error.append(el('p', {}, `The server refused this search: ${e.message}`));
    clear($('rows'));
    setTotal(null);
    return;
  }
  drawChart({ ...params, start_date__lte: view.at }, mine);
  following(params);
}

/**
 * Whether this browser's clock, read at `local` when an answer came, agrees with that answer's Date. The Date has
 * whole seconds, and a pin in whole seconds covers that whole second, so an action recorded later in it would join
 * pages already counted: this browser's clock is taken instead while it agrees, and the Date when this clock is off.
 */
function clockAgrees(date, local) {
  const server = Date.parse(date);
  return Number.isNaN(server) || (local >= server && local < server + 2000);
}

function isoOf(ms) {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

function setTotal(n) {
  const t = $('total');
  t.dataset.total = n === null ? '' : String(n);
  t.textContent = n === null ? '—' : `${n.toLocaleString('en')} ${n === 1 ? 'action' : 'actions'}`;
}

function pager(count) {
  view.count = count;
  const first = view.offset + 1;
  $('range').textContent = count ? `(showing ${first}–${view.offset + count}, newest first)` : '';
  $('newer').disabled = view.offset === 0;
  $('older').disabled = view.offset + count >= view.total;
}

function page(offset) {
  go(address({ q: view.q, offset, at: offset > 0 ? view.at : null }));
}

async function drawChart(params, mine) {
  try {
    let stats = (await api.get('/api/v1/action/stats/', { ...params, interval: 'day' })).body;
    if (chart.interval(stats.buckets) === 'hour') {
      stats = (await api.get('/api/v1/action/stats/', { ...params, interval: 'hour' })).body;
    }
    if (mine !== listing) return;
    chart.draw($('chart'), stats, (from, to) => go(address({ q: withRange(view.q, from, to) })));
  } catch (e) {
    if (mine === listing) $('chart').hidden = true;
  }
}

/** Live mode: new matching actions go on top of the first page; state changes of listed ones update in place. */
function following(params) {
  stopFollowing();
  if (!$('live').checked) return;
  const mine = listing;
  let timer = null;
  const changed = new Set();
  // The first time the stream opens (not when it resumes after the last event seen), what was recorded between the
  // list's answer and the stream's start is asked for: the stream follows only from its own start.
  const caughtUp = (resumed) => (resumed ? null : arrivals(params, null, mine));
  stopLive = live.follow((f) => {
    if (f.action === 'update' && view.shown.has(f.uuid)) restate($('rows'), f.uuid, f.state);
    else if (f.action === 'create') changed.add(f.uuid);
    if (!timer && changed.size) {
      timer = setTimeout(() => {
        timer = null;
        const created = new Set(changed);
        changed.clear();
        arrivals(params, created, mine);
      }, 250);
    }
  }, () => signOut('Your key is no longer accepted; sign in again.'), caughtUp);
}

/**
 * Lists the actions just `created` (uuids from their events; null: every one not listed yet) that match the search,
 * among those started since the list was asked. Events name new actions only; the catch-up when the stream first
 * opens (null) counts on the first page holding every action of the list's answer started since then. The search's
 * own after: stays when it is later, so that live mode never widens a search.
 */
async function arrivals(params, created, mine) {
  const since = params.start_date__gte && Date.parse(params.start_date__gte) > Date.parse(view.liveFrom)
    ? params.start_date__gte : view.liveFrom;
  try {
    const r = await api.get('/api/v1/action/', { ...params, start_date__gte: since, order_by: '-start_date',
      limit: 1000 });
    if (mine !== listing) return;
    const fresh = r.body.objects.filter((a) => (!created || created.has(a.uuid)) && !view.shown.has(a.uuid))
      .reverse();
    for (const a of fresh) {
      view.shown.add(a.uuid);
      view.fresh++;
      if (view.offset === 0) $('rows').prepend(row(a, true));
      if (scrolledDown() || view.offset > 0) view.unseen++;
    }
    trimRows();
    setTotal(view.total + view.fresh);
    newCount();
  } catch {
    // the next event tries again
  }
}

/**
 * Lets the oldest rows go past MAX_ROWS. A later page gets no rows, only a count: of the new actions it counted,
 * it remembers the newest (not to count one twice) within the same bound, and its own rows always.
 */
function trimRows() {
  const rows = $('rows');
  while (rows.rows.length > MAX_ROWS) {
    view.shown.delete(rows.lastElementChild.dataset.uuid);
    rows.lastElementChild.remove();
  }
  const listed = new Set([...rows.rows].map((tr) => tr.dataset.uuid));
  for (const uuid of view.shown) {
    if (view.shown.size <= MAX_ROWS) break;
    if (!listed.has(uuid)) view.shown.delete(uuid);
  }
}

function scrolledDown() {
  return window.scrollY > $('rows').getBoundingClientRect().top + window.scrollY - 80;
}

function newCount() {
  const b = $('new-count');
  b.hidden = view.unseen === 0;
  b.textContent = view.offset === 0 ? `↑ ${view.unseen} new at the top` : `${view.unseen} new: show the newest`;
}

/** Exports the list as shown (its search and its pin) through GET /api/v1/action/export/, saved as a file. */
async function exportList(format) {
  const status = $('export-status');
  const { params, invalid } = parse(view.q);
  if (invalid.length || !view.at) return;
  status.textContent = 'Exporting…';
  try {
    const file = await api.download('/api/v1/action/export/', { ...params, start_date__lte: view.at, format },
      'actions');
    saveFile(file.blob, file.name);
    // Counting lines reads the file once more: only for an NDJSON export of modest size.
    const lines = format === 'ndjson' && file.blob.size < 20e6
      ? ` ${(await file.blob.text()).split('\n').filter(Boolean).length} actions,` : '';
    status.textContent = `Saved ${file.name}:${lines} ${file.blob.size.toLocaleString('en')} bytes.`;
  } catch (e) {
    status.textContent = `Export failed: ${e.message}`;
  }
}

function signOut(message = '') {
  api.forget();
  stopFollowing();
  detail.stop();
  clear($('rows'));
  $('key').value = '';
  $('signin-error').textContent = message;
  go('/', true);
}

async function signIn(event) {
  event.preventDefault();
  const name = $('name').value.trim();
  const key = $('key').value;
  const message = $('signin-error');
  message.textContent = '';
  if (!key) {
    message.textContent = 'Enter a key.';
    return;
  }
  try {
    await api.get('/api/v1/action/', { limit: 1 }, { name, key });
  } catch (e) {
    message.textContent = e.status === 401 ? 'That key was not accepted.' : `Could not sign in: ${e.message}`;
    $('key').select();
    return;
  }
  api.remember(name, key);
  $('key').value = '';
  route();
  $('main').focus();
}

function wire() {
  $('signin-form').addEventListener('submit', signIn);
  $('signout').addEventListener('click', () => signOut());
  $('search-form').addEventListener('submit', (e) => {
    e.preventDefault();
    go(address({ q: $('q').value.trim() }));
  });
  $('live').addEventListener('change', () => (view.at ? following(parse(view.q).params) : null));
  for (const id of ['export-ndjson', 'export-csv']) {
    $(id).addEventListener('click', (e) => exportList(e.currentTarget.dataset.format));
  }
  $('newer').addEventListener('click', () => page(Math.max(0, view.offset - LIMIT)));
  // The server may end a page before LIMIT rows (its byte bound): the next page starts after the last row shown.
  $('older').addEventListener('click', () => page(view.offset + Math.max(1, view.count)));
  $('new-count').addEventListener('click', () => {
    if (view.offset > 0) return go(address({ q: view.q }));
    view.unseen = 0;
    newCount();
    window.scrollTo(0, 0);
    $('rows').querySelector('a')?.focus();
  });
  window.addEventListener('scroll', () => {
    if (view.unseen && view.offset === 0 && !scrolledDown()) {
      view.unseen = 0;
      newCount();
    }
  }, { passive: true });
  // Links inside the viewer change the address without reloading the page.
  document.addEventListener('click', (e) => {
    const a = e.target.closest('a[href^="/"]');
    if (!a || e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0 || a.classList.contains('skip')) return;
    e.preventDefault();
    go(a.getAttribute('href'));
  });
  window.addEventListener('popstate', route);
  // A page kept in the back/forward cache keeps its streams open, each holding one of the six connections a
  // browser allows to one host, so the next pages of the viewer could wait on them: close them when the page is
  // hidden, and show the address afresh when the page comes back from that cache.
  window.addEventListener('pagehide', () => {
    stopFollowing();
    detail.stop();
  });
  window.addEventListener('pageshow', (e) => (e.persisted ? route() : null));
}

wire();
route();
