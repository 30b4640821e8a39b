// The events stream (Server-Sent Events), read with fetch so that the key travels in a header, not in a URL.
import { authorization } from './api.js';

/**
 * Follows /api/v1/events/ and calls onEvent(frame) per create or state change, onOpen(resumed) each time the stream
 * opens (resumed: after the last event seen, so nothing was missed), and onRefused() instead of trying again when
 * the key is refused; returns a function that stops.
 */
export function follow(onEvent, onRefused, onOpen = () => {}) {
  const abort = new AbortController();
  let lastId = null;
  let stopped = false;

  async function once() {
    const headers = { Authorization: authorization(), 'X-Requested-With': 'actionlog-viewer', Accept: 'text/event-stream' };
    const resumed = lastId !== null;
    if (resumed) headers['Last-Event-ID'] = lastId;
    const response = await fetch('/api/v1/events/?type=action', { headers, signal: abort.signal, cache: 'no-store' });
    // A refused key stays refused: asking again every few seconds would only count failures against this
    // address until the server's throttle blocks it, for everyone behind it too.
    if (response.status === 401) {
      stop();
      onRefused();
      return;
    }
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    document.body.dataset.live = 'connected';
    onOpen(resumed);
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        dispatch(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
      }
    }
  }

  function dispatch(block) {
    let data = '';
    let event = 'message';
    for (const line of block.split('\n')) {
      if (line.startsWith('id:')) lastId = line.slice(3).trim();
      else if (line.startsWith('data:')) data += line.slice(5).trim();
      else if (line.startsWith('event:')) event = line.slice(6).trim();
    }
    if (!data || event === 'error') return;
    try {
      const frame = JSON.parse(data);
      if (frame.type === 'action') onEvent(frame);
    } catch {
      // a frame that is not JSON is not ours to show
    }
  }

  (async () => {
    while (!stopped) {
      try {
        await once();
      } catch {
        document.body.dataset.live = 'retrying';
        // dropped or refused: try again shortly, resuming after the last event seen
      }
      if (!stopped) await new Promise((r) => setTimeout(r, 2000));
    }
  })();

  function stop() {
    stopped = true;
    document.body.dataset.live = 'off';
    abort.abort();
  }
  return stop;
}
