// The search box's language: qualifiers mapped to the list's query parameters, plain words to the action name.
import { STATES } from './dom.js';

// Inside quotes, \" is a quote and \\ a backslash; a bare value is taken as typed, backslashes and all.
const TERM = /(?:([A-Za-z_]+):)?(?:"((?:[^"\\]|\\.)*\\?)"?|(\S+))/g;
const DATE = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?))?(Z|[+-]\d{2}:\d{2})?$/;
const UUID_PREFIX = new RegExp('^(?:[0-9a-f]{0,8}|[0-9a-f]{8}-[0-9a-f]{0,4}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{0,4}'
  + '|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{0,4}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{0,12})$');
const SINGLE = { user: 'user', object: 'object', action: 'action', ip: 'ip' };

/** A quoted value as meant: each backslash stands for the character after it (a lone one at the end for itself). */
function unescape(quoted) {
  return quoted.replace(/\\(.)/g, '$1');
}

/** The terms of a search: {key, value, text}, key null for a plain word. */
export function terms(q) {
  const out = [];
  for (const m of (q || '').matchAll(TERM)) {
    if (!m[0].trim()) continue;
    out.push({ key: m[1] ? m[1].toLowerCase() : null, value: m[2] !== undefined ? unescape(m[2]) : m[3], text: m[0] });
  }
  return out;
}

/** A date as the API takes it: a day alone means its midnight, no offset means UTC. */
export function isoDate(v) {
  const m = DATE.exec(v);
  if (!m) return null;
  const iso = `${m[1]}T${m[2] || '00:00:00'}${m[3] || 'Z'}`;
  return Number.isNaN(Date.parse(iso)) ? null : iso;
}

function state(v) {
  const wanted = v.toLowerCase().replace(/[_-]/g, ' ');
  return STATES.find((s) => s.toLowerCase() === wanted) || null;
}

/**
 * Parses a search into list parameters. Every term that cannot be applied is reported in {@code invalid}, with
 * the reason, and the search is not run: a narrower search must never quietly become a wider one.
 */
export function parse(q) {
  const params = {};
  const invalid = [];
  const states = [];
  const words = [];
  const once = (name, value, term) => {
    if (name in params) invalid.push(`${term.text}: ${term.key || 'action'} is given twice`);
    else params[name] = value;
  };
  for (const t of terms(q)) {
    if (t.key === null) {
      words.push(t.value);
    } else if (t.key in SINGLE) {
      if (t.value === '') invalid.push(`${t.text}: empty value`);
      else once(SINGLE[t.key], t.value, t);
    } else if (t.key === 'state') {
      const s = state(t.value);
      if (s) states.push(s);
      else invalid.push(`${t.text}: not a state (${STATES.join(', ')})`);
    } else if (t.key === 'uuid') {
      const prefix = t.value.toLowerCase();
      if (prefix && UUID_PREFIX.test(prefix)) once('uuid__startswith', prefix, t);
      else invalid.push(`${t.text}: not the start of a uuid`);
    } else if (t.key === 'after' || t.key === 'before') {
      const d = isoDate(t.value);
      if (d) once(t.key === 'after' ? 'start_date__gte' : 'start_date__lt', d, t);
      else invalid.push(`${t.text}: not a date (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS, UTC unless an offset is given)`);
    } else {
      invalid.push(`${t.text}: unknown qualifier ${t.key}: (state, user, object, action, ip, uuid, after, before)`);
    }
  }
  if (words.length) once('action', words.join(' '), { text: words.join(' '), key: null });
  if (states.length === 1) params.state = states[0];
  if (states.length > 1) params.state__in = states.join(',');
  return { params, invalid };
}

/** A value as a term takes it: quoted, with its quotes and backslashes escaped, when a bare word would not keep it. */
function quote(v) {
  return /[\s"]/.test(v) || v === '' ? `"${v.replace(/[\\"]/g, '\\$&')}"` : v;
}

/** The search narrowed to [from, to): its own after: and before: replaced. */
export function withRange(q, from, to) {
  const kept = terms(q).filter((t) => t.key !== 'after' && t.key !== 'before').map((t) => t.text);
  return [...kept, `after:${from}`, `before:${to}`].join(' ');
}

/** A qualifier term for a value, quoted when it must be. */
export function term(key, value) {
  return `${key}:${quote(value)}`;
}
