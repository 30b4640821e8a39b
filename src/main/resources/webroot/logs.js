// The logs of the detail: a running action's followed over the logs WebSocket, resumed when the socket drops, the
// newest lines only; a finished action's end from the detail; all of them as a download.
import { $, clear, saveFile } from './dom.js';
import { download, streamQuery } from './api.js';

/**
 * What the panel keeps of a followed action's logs: the newest 5,000 lines, and of those no more than 2,000,000
 * characters (a line may be 65,536). Past that the oldest go, so a long follow holds a bounded page.
 */
export const KEEP_LINES = 5000;
const KEEP_CHARS = 2_000_000;
/** Most lines a logs stream gives back before its new ones (its tail's cap): a resume asks for all of them. */
const TAIL = 10000;
/** The newest lines shown that a resumed stream's lines are matched against, to find where it joins them. */
const JOIN = 20;
/** How long a resumed stream that has not joined may send nothing before its tail counts as all sent. */
const QUIET_MS = 1000;
/**
 * How long after it opens a resumed stream that has not joined has its lines held at most: the tail comes at once,
 * but an action that logs more often than QUIET_MS never lets the stream go quiet.
 */
const HOLD_MS = 3000;
/** The refusals a resume gets past, and what the panel says of them; any other ends the follow, named. */
const RESUMABLE = { SLOW_CONSUMER: 'this page fell behind the logs and was cut off', SERVER_STOPPING:
  'the server is stopping' };

let follower = null;

/** Stops following (leaving the detail). */
export function stop() {
  if (!follower) return;
  follower.stopped = true;
  if (follower.socket) {
    follower.socket.onclose = null;
    follower.socket.close();
  }
  follower = null;
}

function status(text, state) {
  const s = $('logs-status');
  s.textContent = text;
  s.dataset.logs = state;
}

function trimmed(shown) {
  $('logs-trimmed').hidden = !shown;
}

/** No action shown (it could not be read): nothing of the panel of the one before, not even its download. */
export function clearPanel() {
  stop();
  trimmed(false);
  status('', 'finished');
  clear($('logs'));
  $('logs-download').hidden = true;
  $('logs-download').onclick = null;
  $('logs-download-status').textContent = '';
}

/** A finished action: the end of its logs, as the detail gives it. */
export function show(a) {
  stop();
  trimmed(false);
  wireDownload(a.uuid);
  status(a.logs_truncated ? '(the end only)' : '', 'finished');
  $('logs').textContent = a.logs;
}

function wireDownload(uuid) {
  const button = $('logs-download');
  const said = $('logs-download-status');
  said.textContent = '';
  button.hidden = false;
  const onclick = async () => {
    said.textContent = 'Downloading…';
    // A download that ends after the detail moved on to another action is saved, but not said under it.
    const mine = () => button.onclick === onclick;
    try {
      const file = await download(`/api/v1/action/${encodeURIComponent(uuid)}/logs/`, {}, `logs-${uuid}.txt`);
      saveFile(file.blob, file.name);
      if (mine()) said.textContent = `Saved ${file.name}: ${file.blob.size.toLocaleString('en')} bytes.`;
    } catch (e) {
      if (mine()) said.textContent = `Download failed: ${e.message}`;
    }
  };
  button.onclick = onclick;
}

/**
 * Follows the logs of the running action `uuid`. When its socket closes normally the action has ended, as
 * `running()` (a promise of true, false, or null when it could not tell) confirms; any other close resumes.
 */
export function follow(uuid, running) {
  stop();
  const f = { uuid, running, stopped: false, socket: null, recent: [], chars: 0, failures: 0 };
  follower = f;
  clear($('logs'));
  trimmed(false);
  wireDownload(uuid);
  open(f, false);
}

function open(f, resume) {
  const q = streamQuery();
  // One line more than the panel keeps, so that older ones, when there are, show as trimmed.
  q.set('tail', String(resume ? TAIL : KEEP_LINES + 1));
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const socket = new WebSocket(`${scheme}//${location.host}/v1/action/${encodeURIComponent(f.uuid)}/logs/?${q}`);
  f.socket = socket;
  const join = resume ? joiner(f.recent) : null;
  let refused = null;
  let live = !resume;
  let quiet = null;
  let hold = null;
  status(resume ? '(resuming…)' : '(following live)', resume ? 'resuming' : 'following');
  const goLive = () => {
    if (live || !join.joined()) return;
    live = true;
    clearTimeout(quiet);
    clearTimeout(hold);
    status('(following live)', 'following');
  };
  // The server sends a tail at once: a resumed stream that has gone quiet without joining, or has been open HOLD_MS,
  // has sent all of it (a tail cut short by stream.max_pending_bytes may hold fewer lines than are matched), so its
  // lines are shown as they are.
  const unjoined = () => {
    if (f.stopped || f.socket !== socket || join.joined()) return;
    join.rest().forEach((line) => add(f, line));
    goLive();
  };
  const waitQuiet = () => {
    clearTimeout(quiet);
    quiet = setTimeout(unjoined, QUIET_MS);
    if (hold === null) hold = setTimeout(unjoined, HOLD_MS);
  };
  socket.onopen = () => {
    if (!join) return;
    goLive();
    if (!live) waitQuiet();
  };
  socket.onmessage = (m) => {
    let frame;
    try {
      frame = JSON.parse(m.data);
    } catch {
      return;
    }
    if (frame.type === 'log') {
      const fresh = join ? join.push(frame) : [frame];
      if (join) {
        goLive();
        if (!live) waitQuiet();
      }
      for (const line of fresh) add(f, line);
      if (fresh.length) f.failures = 0;
    } else if (frame.type === 'error') {
      refused = (frame.data && frame.data.errorMessage) || 'error';
    }
  };
  socket.onclose = (e) => {
    clearTimeout(quiet);
    clearTimeout(hold);
    f.socket = null;
    if (join && !join.joined()) join.rest().forEach((line) => add(f, line));
    closed(f, refused, e.code);
  };
}

/** What a closed socket means: the end, a refusal to show, or a drop to resume from. */
async function closed(f, refused, code) {
  if (!refused && code === 1000) {
    const running = await f.running();
    if (f.stopped) return;
    if (running === false) return status('(finished)', 'finished');
  } else if (refused && !(refused in RESUMABLE)) {
    return status(`(stopped: ${refused})`, 'stopped');
  }
  const why = refused ? RESUMABLE[refused] : 'connection lost';
  // A second, doubling up to a minute while resumes bring nothing new: a server cutting a slow page off is not
  // asked for the same tail again at once.
  const wait = Math.min(60000, 1000 * 2 ** f.failures++);
  status(`(${why}; resuming in ${Math.round(wait / 1000)} s…)`, 'resuming');
  setTimeout(() => (f.stopped ? null : open(f, true)), wait);
}

/** Adds a line to the panel, letting the oldest go past what it keeps. */
function add(f, frame) {
  const pre = $('logs');
  const text = frame.log + '\n';
  pre.append(document.createTextNode(text));
  f.chars += text.length;
  // The viewer's own note is not a line of the logs: a later resume could never match a run that holds it.
  if (!frame.note) f.recent.push(key(frame));
  if (f.recent.length > JOIN) f.recent.shift();
  while (pre.childNodes.length > KEEP_LINES || (f.chars > KEEP_CHARS && pre.childNodes.length > 1)) {
    f.chars -= pre.firstChild.data.length;
    pre.firstChild.remove();
    trimmed(true);
  }
}

function key(frame) {
  return `${frame.timestamp} ${frame.log}`;
}

/**
 * Where a resumed stream joins the lines shown. It starts again with up to TAIL of the newest lines, so its lines
 * are held until a run of them matches the newest lines shown (text and second alike); those after that run are
 * new. When none does among the lines the stream gives back (more were missed than it gives back, or its tail was
 * cut by size), once the stream has gone quiet for QUIET_MS, been open HOLD_MS or ended, the held lines follow a line
 * saying that lines around it may be missing or shown twice. Logs whose lines repeat by the run, in the same second,
 * could be joined at the wrong run.
 */
function joiner(recent) {
  const pattern = recent.slice();
  const held = [];
  let joined = pattern.length === 0;
  const matches = () => held.length >= pattern.length
    && pattern.every((k, i) => k === key(held[held.length - pattern.length + i]));
  const rest = () => {
    joined = true;
    const note = '[resumed here: lines around this point may be missing or shown twice; download all logs to see them]';
    const out = [{ note: true, log: note, timestamp: 0 }, ...held];
    held.length = 0;
    return out;
  };
  return {
    joined: () => joined,
    rest,
    push(frame) {
      if (joined) return [frame];
      held.push(frame);
      if (matches()) {
        joined = true;
        held.length = 0;
      } else if (held.length >= TAIL) {
        return rest();
      }
      return [];
    },
  };
}
