// Actions per hour or day, stacked by state: one button per bucket, which narrows the search to it.
import { el, clear, STATES } from './dom.js';

const HOUR = 3600e3;
const DAY = 24 * HOUR;

/** Day buckets, or hour buckets when the matches span three days or less: the interval the range calls for. */
export function interval(dayBuckets) {
  if (dayBuckets.length === 0) return 'day';
  const first = Date.parse(dayBuckets[0].start);
  const last = Date.parse(dayBuckets[dayBuckets.length - 1].start);
  return last - first < 3 * DAY ? 'hour' : 'day';
}

function label(b, width) {
  const from = new Date(Date.parse(b.start)).toISOString();
  const when = width === HOUR ? from.slice(0, 13).replace('T', ' ') + ':00 UTC' : from.slice(0, 10);
  const parts = STATES.filter((s) => b.states[s]).map((s) => `${b.states[s]} ${s}`);
  return `${when}: ${b.total} actions (${parts.join(', ')})`;
}

/** Draws the stats answer; {@code narrow(fromIso, toIso)} is called when a bar is chosen. */
export function draw(figure, stats, narrow) {
  const bars = clear(figure.querySelector('.bars'));
  const width = stats.interval === 'hour' ? HOUR : DAY;
  const max = Math.max(1, ...stats.buckets.map((b) => b.total));
  figure.querySelector('figcaption').textContent =
    `${stats.total} actions per ${stats.interval} (UTC), by state. Choose a bar to narrow the search to it.`;
  for (const b of stats.buckets) {
    const bar = el('button', { type: 'button', class: 'bar', 'data-count': b.total, 'data-start': b.start,
      title: label(b, width), 'aria-label': label(b, width) });
    const stack = el('span', { class: 'stack' });
    stack.style.height = `${(100 * b.total) / max}%`;
    for (const s of STATES) {
      if (!b.states[s]) continue;
      const part = el('span', { class: `part state-${s.toLowerCase().replace(' ', '-')}` });
      part.style.flexGrow = String(b.states[s]);
      stack.append(part);
    }
    bar.append(stack);
    const from = Date.parse(b.start);
    bar.addEventListener('click', () => narrow(iso(from), iso(from + width)));
    bars.append(bar);
  }
  const legend = clear(figure.querySelector('.legend'));
  for (const s of STATES) {
    legend.append(el('li', {}, el('span', { class: `swatch state-${s.toLowerCase().replace(' ', '-')}` }), s));
  }
  figure.hidden = stats.buckets.length === 0;
}

function iso(ms) {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}
