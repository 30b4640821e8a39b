// The rows of the list: one per action, newest first, each carrying its uuid in data-uuid.
import { el, badge, relative, exact, viewerLink } from './dom.js';

function time(date) {
  if (!date) return el('span', { class: 'muted' }, '—');
  const t = el('time', { datetime: exact(date), title: exact(date) }, relative(date));
  return el('span', { class: 'when' }, t, el('span', { class: 'exact' }, exact(date)));
}

function cell(label, ...content) {
  return el('td', { 'data-label': label }, ...content);
}

/** A row for one action of the list (the Tutum list's row object). */
export function row(a, fresh = false) {
  const open = viewerLink({ open: a.uuid }, a.action || '(no name)');
  open.setAttribute('aria-label', `${a.action}, ${a.state}, by ${a.user || 'nobody'}: open`);
  const tr = el('tr', { 'data-uuid': a.uuid, class: fresh ? 'fresh' : null },
    cell('State', badge(a.state)),
    cell('Started', time(a.start_date)),
    cell('User', a.user),
    cell('Action', open),
    cell('Object', el('span', { class: 'path' }, a.object)),
    cell('IP', a.ip));
  return tr;
}

/** Replaces the state badge of a listed action (a live update). */
export function restate(tbody, uuid, state) {
  for (const tr of tbody.querySelectorAll('tr[data-uuid]')) {
    if (tr.dataset.uuid === uuid) tr.cells[0].replaceChildren(badge(state));
  }
}
