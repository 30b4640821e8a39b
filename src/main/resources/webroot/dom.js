// Every recorded value reaches the page as a text node or a property, never as markup.

/** An element with attributes (strings) and children (nodes, or strings made text nodes). */
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) {
    if (c !== null && c !== undefined) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

export const $ = (id) => document.getElementById(id);

export function clear(node) {
  node.replaceChildren();
  return node;
}

/** Saves a blob as a file named `name`, as a download the browser asks no question about. */
export function saveFile(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = el('a', { download: name, hidden: true });
  a.href = url;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

/** A link inside the viewer: only ever a same-origin path with a query, so a value can never become a scheme. */
export function viewerLink(params, text) {
  const a = el('a', {}, text);
  a.href = '/?' + new URLSearchParams(params).toString();
  return a;
}

const units = [['year', 31536000], ['month', 2592000], ['day', 86400], ['hour', 3600], ['minute', 60], ['second', 1]];
const rtf = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** "5 minutes ago" for an RFC 1123 or ISO date, from this browser's clock. */
export function relative(date, now = Date.now()) {
  const seconds = Math.round((Date.parse(date) - now) / 1000);
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size || unit === 'second') return rtf.format(Math.trunc(seconds / size), unit);
  }
  return '';
}

/** The exact time in UTC, ISO style, as the search's after: and before: take it. */
export function exact(date) {
  const t = Date.parse(date);
  return Number.isNaN(t) ? String(date) : new Date(t).toISOString().replace('.000Z', 'Z');
}

/** A state badge: colour by a class chosen from a closed list, and the state's own text. */
const STATES = ['Pending', 'In progress', 'Canceling', 'Canceled', 'Success', 'Failed'];
export function badge(state) {
  const known = STATES.includes(state) ? state.toLowerCase().replace(' ', '-') : 'unknown';
  return el('span', { class: 'badge state-' + known }, state);
}
export { STATES };
