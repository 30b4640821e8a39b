// The detail's tamper-evidence panel: fetches the action's inclusion proof and the verifier key, checks them in this
// browser (proof.js), and says in words what it found; shows the command that checks the same proof elsewhere.
import { el, $, clear } from './dom.js';
import { get, text, credential, ApiError } from './api.js';
import { verifyProof } from './proof.js';

/**
 * An answer is a page of at most 1,000 entries going back from the action's newest: the panel checks pages until
 * it has checked this many entries, or asked for MAX_PAGES pages (a page may hold few entries, or none).
 */
const MAX_ENTRIES = 10000;
const MAX_PAGES = 100;
/** The waits before asking again after a 503: the action's newest entry is recorded but not yet in the tree. */
const RETRY_MS = [250, 500, 1000];
const LABEL = { checking: 'Checking', verified: '✓ Verified', failed: '✗ Not verified', unavailable: '? Not checked' };
/** The opening whose result may be shown: a result for an action left meanwhile is dropped. */
let current = 0;

/** Hides the panel and drops any check still running. */
export function hide() {
  current++;
  $('proof').hidden = true;
}

/** Checks and shows the proof of the action with this uuid (one the caller may read). */
export async function show(uuid) {
  const mine = ++current;
  $('proof').hidden = false;
  clear($('proof-problems'));
  result('checking', null, 'fetching the proof and the verifier key…');
  command(uuid, null);
  const r = await check(uuid, () => mine === current);
  if (mine !== current) return;
  const entries = r.checked === 1 ? 'its entry is' : `its ${(r.checked || 0).toLocaleString('en')} entries are`;
  const more = r.more ? ` It has more entries than the viewer checks (${r.checked.toLocaleString('en')}).` : '';
  result(r.status, r.treeSize, r.status === 'verified' ? `${entries} in the tree of ${BigInt(r.treeSize).toLocaleString('en')} `
    + `leaves of ${r.origin}, whose checkpoint is signed by key ${r.key}.${more}` : `${r.reason}.`);
  $('proof-problems').append(...(r.problems || []).map((p) => el('li', { 'data-check': p.check }, p.text)));
  if (r.treeSize) command(uuid, r.treeSize);
}

/**
 * The proof's pages, each checked against the first page's checkpoint: every later page is asked with the first
 * page's tree size, which is the size shown; the first page that does not verify ends it.
 */
async function check(uuid, still) {
  const path = `/api/v1/action/${encodeURIComponent(uuid)}/proof/`;
  let first = null;
  let last = null;
  const ending = (r) => ({ ...r, treeSize: first?.treeSize });
  try {
    const key = await text('/api/v1/integrity/key/');
    for (let page = 0; page < MAX_PAGES && still(); page++) {
      const params = last && { tree_size: first.treeSize, before: last.nextBefore };
      last = await verifyProof(await fetchPage(path, params, still), key, uuid, { previous: last });
      first = first || last;
      if (last.status !== 'verified') return ending(last);
      if (last.nextBefore === null) return ending({ ...last, more: false });
      if (last.checked >= MAX_ENTRIES) break;
    }
  } catch (e) {
    return ending({ status: 'unavailable', reason: `the proof could not be fetched (${e.message})` });
  }
  if (last && !last.checked) {
    const reason = `the first ${last.page} pages of the proof hold no entries`;
    return ending({ ...last, status: 'failed', reason, problems: [{ check: 'entries', entry: null, text: reason }] });
  }
  return ending({ ...last, more: true });
}

/** One page of the proof; a 503 is asked again a few times. */
async function fetchPage(path, params, still) {
  for (let attempt = 0; ; attempt++) {
    try {
      return (await get(path, params)).body;
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 503 || attempt === RETRY_MS.length || !still()) throw e;
      await new Promise((done) => setTimeout(done, RETRY_MS[attempt]));
    }
  }
}

function result(status, treeSize, words) {
  const out = $('proof-result');
  out.dataset.proof = status;
  out.dataset.treeSize = treeSize || '';
  out.replaceChildren(el('strong', {}, `${LABEL[status]}: `), words);
}

/** The verify-proof.py command for this proof (never the key itself: it stays in $ACTIONLOG_KEY). */
function command(uuid, treeSize) {
  const c = credential();
  const auth = c && c.name ? `ApiKey ${c.name}:$ACTIONLOG_KEY` : 'Token $ACTIONLOG_KEY';
  const url = `${location.origin}/api/v1/action/${encodeURIComponent(uuid)}/proof/${treeSize ? `?tree_size=${treeSize}` : ''}`;
  $('proof-command').textContent = `curl -s ${location.origin}/api/v1/integrity/key/ > actionlog.pub   # or the key you kept\n`
    + `scripts/verify-proof.py --key actionlog.pub \\\n    --header "Authorization: ${auth}" '${url}'`;
}
