// One action in full: every field the API gives, body and metadata pretty-printed, links, buttons, live logs, and
// whether its inclusion proof checks.
import { el, $, clear, badge, relative, exact, viewerLink } from './dom.js';
import { get, post, ApiError } from './api.js';
import { term } from './search.js';
import * as proof from './proof-panel.js';
import * as logs from './logs.js';
import { indent, memberText } from './json-text.js';

const RUNNING = ['Pending', 'In progress', 'Canceling'];
/**
 * The opening shown (as in proof-panel.js): an answer for a detail left meanwhile, for another action or the list,
 * is dropped, so that it never opens its logs socket (one of the six connections a browser allows to one host)
 * nor writes its fields or logs over those of the detail shown now.
 */
let current = 0;

/** Stops following logs and drops any answer still awaited (leaving the detail). */
export function stop() {
  current++;
  proof.hide();
  logs.stop();
}

/** A body (a string, JSON text or not) or metadata (`text`: its JSON text in the answer) pretty-printed. */
function pretty(value, text) {
  if (typeof value === 'string') {
    try {
      const parsed = JSON.parse(value);
      if (parsed !== null && typeof parsed === 'object') return indent(value);
    } catch {
      // not JSON: shown as recorded
    }
    return value;
  }
  return text ? indent(text) : JSON.stringify(value, null, 2);
}

function value(key, v, answer) {
  if (v === null || v === undefined) return el('span', { class: 'muted' }, 'none');
  switch (key) {
    case 'state': return badge(v);
    case 'start_date':
    case 'end_date': return el('span', {}, exact(v), ' ', el('span', { class: 'muted' }, `(${relative(v)}; ${v})`));
    case 'parents':
      return v.length ? el('ul', { class: 'plain' }, ...v.map((p) => el('li', {}, viewerLink({ q: term('object', p) }, p))))
        : el('span', { class: 'muted' }, 'none');
    case 'retry_of': return viewerLink({ open: v }, v);
    case 'body':
    case 'metadata': return el('pre', { class: 'json', tabindex: '0' }, pretty(v, answer && memberText(answer, key)));
    default: return el('span', { class: typeof v === 'string' && v.includes('\n') ? 'pre' : null }, String(v));
  }
}

/** The fields of the action `a`, read from the detail's answer, whose JSON text is `answer`. */
function fields(a, answer) {
  const dl = clear($('fields'));
  for (const [k, v] of Object.entries(a)) {
    if (k === 'logs' || k === 'logs_truncated') continue;
    dl.append(el('div', { 'data-field': k }, el('dt', {}, k), el('dd', {}, value(k, v, answer))));
  }
}

function buttons(a, show) {
  const box = clear($('detail-actions'));
  const act = (label, path, then) => {
    const b = el('button', { type: 'button' }, label);
    b.addEventListener('click', async () => {
      b.disabled = true;
      try {
        then((await post(`/api/v1/action/${a.uuid}/${path}/`)).body);
      } catch (e) {
        $('detail-error').textContent = e instanceof ApiError && e.status === 405
          ? `${label}: only the action's owner or an admin may do this.` : `${label}: ${e.message}`;
        b.disabled = false;
      }
    });
    box.append(b);
  };
  if (a.can_be_canceled) act('Cancel', 'cancel', () => show(a.uuid));
  if (a.can_be_retried) act('Retry', 'retry', (retry) => show(retry.uuid, true));
}

/** Shows the action with this uuid; {@code show} reopens a detail (after cancel or retry). */
export async function render(uuid, show) {
  stop();
  const mine = current;
  $('detail-error').textContent = '';
  let a;
  let answer;
  try {
    ({ body: a, text: answer } = await get(`/api/v1/action/${encodeURIComponent(uuid)}/`));
  } catch (e) {
    if (mine !== current) return;
    $('detail-title').textContent = e.status === 404 ? 'No such action' : 'Could not load the action';
    $('detail-error').textContent = e.message;
    clear($('fields'));
    clear($('detail-actions'));
    logs.clearPanel();
    return;
  }
  if (mine !== current) return;
  $('detail-title').textContent = a.action;
  fields(a, answer);
  buttons(a, show);
  proof.show(a.uuid);
  if (RUNNING.includes(a.state)) {
    logs.follow(a.uuid, () => refreshFields(uuid, show, mine));
  } else {
    logs.show(a);
  }
}

/** Reads the fields again (the logs stream ended); whether the action still runs, or null when that is unknown. */
async function refreshFields(uuid, show, mine) {
  try {
    const { body: a, text } = await get(`/api/v1/action/${encodeURIComponent(uuid)}/`);
    if (mine !== current) return null;
    fields(a, text);
    buttons(a, show);
    return RUNNING.includes(a.state);
  } catch {
    // the fields shown stay; the next opening reads them again
    return null;
  }
}
