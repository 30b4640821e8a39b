// The detail's tamper-evidence panel: fetches the action's inclusion proof and the verifier key, checks them in this
// browser (proof.js), and says in words what it found; shows the command that checks the same proof elsewhere.
import { el, $, clear } from './dom.js';
import { get, text, credential } from './api.js';
import { verifyProof } from './proof.js';

/** An answer proves at most 1,000 entries; an action with more is checked up to this many answers. */
const MAX_PAGES = 10;
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

/** Every answer of the proof against one checkpoint, each checked; the first that does not verify ends it. */
async function check(uuid, still) {
  const path = `/api/v1/action/${encodeURIComponent(uuid)}/proof/`;
  let key;
  let params = null;
  let last = null;
  let checked = 0;
  try {
    key = await text('/api/v1/integrity/key/');
    for (let page = 0; page < MAX_PAGES && still(); page++) {
      const proof = (await get(path, params)).body;
      last = await verifyProof(proof, key, uuid, { first: checked + 1 });
      if (last.status !== 'verified') return { ...last, checked };
      checked += last.entries;
      if (proof.next_after === undefined) return { ...last, checked, more: false };
      params = { tree_size: proof.tree_size, after: proof.next_after };
    }
  } catch (e) {
    return { status: 'unavailable', reason: `the proof could not be fetched (${e.message})`, treeSize: last?.treeSize };
  }
  return { ...last, checked, more: true };
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
