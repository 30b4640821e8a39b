// Checks an action's inclusion proof in this browser with Web Crypto only, as scripts/verify-proof.py does: the
// checkpoint's Ed25519 signature (C2SP signed note) by the verifier key, each leaf hash (RFC 9162 §2.1:
// SHA-256(0x00 || leaf)), each audit path up to the checkpoint's root (RFC 9162 §2.1.3.2), and that every leaf is
// the action's; page by page, each page going on from the one before against the same checkpoint. Pure functions
// of their arguments and the SubtleCrypto given: no page, no network, so that tests can call them with altered
// proofs.

const DASH = '\u2014 ';
const utf8 = new TextEncoder();

/** A check that did not pass: which one (`check`), the entry it concerns (1-based, or null), and the words shown. */
class Problem extends Error {
  constructor(check, text, entry = null) {
    super(text);
    this.check = check;
    this.entry = entry;
  }
}

export function fromBase64(text) {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

export function toBase64(bytes) {
  return btoa(String.fromCharCode(...bytes));
}

const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

async function sha256(subtle, ...parts) {
  return new Uint8Array(await subtle.digest('SHA-256', concat(...parts)));
}

/** The verifier key `<name>+<hex key id>+<base64 of 0x01 || Ed25519 public key>`, its id checked. */
export async function parseKey(text, subtle) {
  const line = String(text).split('\n').map((l) => l.trim()).find(Boolean) || '';
  const [name, id, ...rest] = line.split('+');
  let raw = null;
  try {
    raw = fromBase64(rest.join('+'));
  } catch {
    // reported below
  }
  if (!name || !/^[0-9a-f]{8}$/.test(id || '') || !raw || raw.length !== 33 || raw[0] !== 1) {
    throw new Problem('key', `the verifier key is not an Ed25519 signed-note key: ${line}`);
  }
  const keyId = (await sha256(subtle, utf8.encode(name + '\n'), raw)).slice(0, 4);
  if (hex(keyId) !== id) throw new Problem('key', `the verifier key's id ${id} does not match its name and key`);
  return { name, keyId, publicKey: raw.slice(1) };
}

/** A C2SP checkpoint: the signed body (origin, tree size, base64 root, newline), a blank line, signature lines. */
export function parseCheckpoint(note) {
  const blank = note.indexOf('\n\n');
  if (blank < 0 || !note.endsWith('\n')) {
    throw new Problem('checkpoint', 'the checkpoint is not a signed note (no blank line before its signatures)');
  }
  const body = note.slice(0, blank + 1);
  const [origin, size, root] = body.split('\n');
  let rootHash = null;
  try {
    rootHash = fromBase64(root || '');
  } catch {
    // reported below
  }
  if (!origin || !/^(0|[1-9][0-9]*)$/.test(size || '') || !rootHash || rootHash.length !== 32) {
    throw new Problem('checkpoint', 'the checkpoint has no origin, tree size and 32-byte root hash lines');
  }
  const signatures = note.slice(blank + 2).split('\n').filter((l) => l.startsWith(DASH)).map((l) => {
    const space = l.indexOf(' ', DASH.length);
    return { name: l.slice(DASH.length, space), value: l.slice(space + 1) };
  });
  return { origin, size: BigInt(size), root: rootHash, body, signatures };
}

/**
 * Checks the checkpoint's signature by the key: null when it verifies, the reason when this browser cannot check
 * Ed25519; a Problem when it does not verify or the key never signed it.
 */
async function checkSignature(checkpoint, key, subtle) {
  const who = `key ${key.name} (id ${hex(key.keyId)})`;
  for (const s of checkpoint.signatures) {
    let sig = null;
    try {
      sig = s.name === key.name ? fromBase64(s.value) : null;
    } catch {
      // not base64: not this key's signature
    }
    if (!sig || sig.length !== 68 || !same(sig.slice(0, 4), key.keyId)) continue;
    let publicKey;
    try {
      publicKey = await subtle.importKey('raw', key.publicKey, { name: 'Ed25519' }, false, ['verify']);
    } catch (e) {
      return `this browser's Web Crypto does not check Ed25519 signatures (${e.name}: ${e.message})`;
    }
    if (await subtle.verify({ name: 'Ed25519' }, publicKey, sig.slice(4), utf8.encode(checkpoint.body))) return null;
    throw new Problem('signature', `the checkpoint's signature by ${who} does not verify`);
  }
  throw new Problem('signature', `the checkpoint carries no signature by ${who}`);
}

/**
 * The root that the audit path leads to from the leaf hash at `index` in a tree of `size` leaves (BigInts), by
 * RFC 9162 §2.1.3.2; a Problem names a path of the wrong length.
 */
export async function rootFromPath(subtle, index, size, leafHash, path) {
  if (index < 0n || index >= size) throw new Problem('root', `leaf ${index} is not in a tree of ${size}`);
  let fn = index;
  let sn = size - 1n;
  let r = leafHash;
  const node = (left, right) => sha256(subtle, Uint8Array.of(1), left, right);
  for (const p of path) {
    if (sn === 0n) throw new Problem('root', 'the audit path is longer than the tree is high');
    if ((fn & 1n) === 1n || fn === sn) {
      r = await node(p, r);
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      r = await node(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n) throw new Problem('root', 'the audit path is shorter than the tree is high');
  return r;
}

/** A leaf index as the API gives one (`leaf_index`, `next_before`): a JSON number, a non-negative safe integer. */
const isLeafIndex = (v) => Number.isSafeInteger(v) && v >= 0;

/** The bytes of a base64 field; a format Problem naming the field when it is not a base64 string. */
function base64Field(value, name) {
  if (typeof value === 'string') {
    try {
      return fromBase64(value);
    } catch {
      // reported below
    }
  }
  throw new Problem('format', `${name} is not base64`);
}

/** Throws the first check an entry (whose leaf_index is a leaf index) fails. */
async function checkEntry(entry, checkpoint, uuid, subtle) {
  if (typeof entry.leaf !== 'string') throw new Problem('format', 'leaf is not a string');
  const claimed = base64Field(entry.leaf_hash, 'leaf_hash');
  if (!Array.isArray(entry.audit_path)) throw new Problem('format', 'audit_path is not a list');
  const path = entry.audit_path.map((h, i) => base64Field(h, `audit_path[${i}]`));
  const leafHash = await sha256(subtle, Uint8Array.of(0), utf8.encode(entry.leaf));
  if (!same(leafHash, claimed)) {
    throw new Problem('leaf-hash', 'the leaf hash is not SHA-256(0x00 || leaf): the leaf differs from what was '
      + 'hashed into the tree');
  }
  let owner;
  try {
    owner = JSON.parse(entry.leaf).uuid;
  } catch {
    owner = undefined;
  }
  if (owner !== uuid) throw new Problem('uuid', `the leaf is of action ${owner}, not of ${uuid}`);
  const root = await rootFromPath(subtle, BigInt(entry.leaf_index), checkpoint.size, leafHash, path);
  if (!same(root, checkpoint.root)) {
    throw new Problem('root', "the audit path leads to a root other than the checkpoint's (root mismatch)");
  }
}

/**
 * A Problem for each entry of the page that fails a check: its leaf_index a leaf index, greater than the one
 * before it (a page lists each leaf once, oldest first) and below `below`, where the pages before stopped (pages go
 * back from the action's newest entry); then the first check of its own it fails.
 */
async function checkEntries(entries, page, below, checkpoint, uuid, subtle) {
  const out = [];
  let last = -1;
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    const leaf = entry?.leaf_index;
    const where = `${page > 1 ? `page ${page}, ` : ''}entry ${i + 1}`;
    if (!isLeafIndex(leaf)) {
      out.push(new Problem('format', `${where}: leaf_index ${JSON.stringify(leaf)} is not a non-negative integer`, i + 1));
      continue;
    }
    const named = `${where} (leaf ${leaf})`;
    if (leaf <= last) {
      out.push(new Problem('entries', `${named}: it does not come after leaf ${last} (a page lists each leaf once, `
        + 'oldest first)', i + 1));
    } else if (below !== null && leaf >= below) {
      out.push(new Problem('entries', `${named}: it is not below leaf ${below}, where the pages before stopped `
        + '(pages go back, each leaf once)', i + 1));
    }
    last = Math.max(last, leaf);
    try {
      await checkEntry(entry, checkpoint, uuid, subtle);
    } catch (e) {
      if (!(e instanceof Problem)) throw e;
      out.push(new Problem(e.check, `${named}: ${e.message}`, i + 1));
    }
  }
  return out;
}

/**
 * The page's own tree size and root must be the signed checkpoint's, and a later page's checkpoint the first
 * page's; its next_before, when there is one, a leaf index below the page before's (so that pages end); a page
 * with no entries must have one.
 */
function checkHead(proof, checkpoint, previous, page) {
  const out = [];
  const on = page > 1 ? `page ${page}: ` : '';
  if (String(proof.tree_size) !== String(checkpoint.size)) {
    out.push(new Problem('tree-size', `${on}the proof's tree_size ${proof.tree_size} is not the checkpoint's ${checkpoint.size}`));
  }
  try {
    if (!same(base64Field(proof.root_hash, "the proof's root_hash"), checkpoint.root)) {
      out.push(new Problem('root', `${on}the proof's root_hash is not the checkpoint's root (root mismatch)`));
    }
  } catch (e) {
    out.push(new Problem(e.check, `${on}${e.message}`));
  }
  if (previous && String(checkpoint.size) !== previous.treeSize) {
    out.push(new Problem('tree-size', `${on}the checkpoint is of tree size ${checkpoint.size}, not the first page's `
      + previous.treeSize));
  } else if (previous && toBase64(checkpoint.root) !== previous.root) {
    out.push(new Problem('root', `${on}the checkpoint's root is not the first page's (root mismatch)`));
  }
  const next = proof.next_before;
  if (next !== undefined && !isLeafIndex(next)) {
    out.push(new Problem('format', `${on}next_before ${JSON.stringify(next)} is not a non-negative integer`));
  } else if (next !== undefined && typeof previous?.nextBefore === 'number' && next >= previous.nextBefore) {
    out.push(new Problem('entries', `${on}next_before ${next} does not go back from the page before's `
      + previous.nextBefore));
  }
  if (!proof.entries.length && next === undefined) {
    out.push(new Problem('entries', page > 1 ? `${on}the page has no entries and no next_before` : 'the proof has no entries'));
  }
  return out;
}

const plain = (p) => ({ check: p.check, entry: p.entry, text: p.message });

/** The leaf index and type of a page's oldest entry, or of the pages' before it when this one has none. */
function oldestOf(entries, previous) {
  if (!entries.length) return previous ? previous.oldest : null;
  let type;
  try {
    type = JSON.parse(entries[0].leaf).type;
  } catch {
    type = undefined;
  }
  return { leaf: entries[0].leaf_index, type };
}

/**
 * Inclusion proves each entry shown, not that none was left out; but an action's history starts with its creation
 * (or retention's copy of it), so a whole proof, its last page read, that starts elsewhere left its first entries out.
 */
function checkStart(proof, oldest) {
  if (proof.next_before !== undefined || !oldest || ['created', 'carried'].includes(oldest.type)) return [];
  return [new Problem('entries', `the oldest entry, leaf ${oldest.leaf}, is a ${JSON.stringify(oldest.type ?? null)} `
    + "entry, not the action's creation: the proof leaves out the action's first entries")];
}

/**
 * Checks one page of GET /api/v1/action/<uuid>/proof/ against the verifier key's text, for the action `uuid`.
 * `previous` is the verdict on the page before (null for the first), which this page must go on from: the same
 * checkpoint, every leaf below those before, a lower next_before. Resolves to {status: 'verified' | 'failed' |
 * 'unavailable', reason, problems: [{check, entry, text}], origin, treeSize, root, key, page, entries (this page's),
 * checked (all pages' so far), nextBefore (null on the last page), below (what the next page's leaves must be
 * under), oldest (the oldest entry so far, {leaf, type})}; never rejects.
 */
export async function verifyProof(proof, keyText, uuid, { subtle = globalThis.crypto?.subtle, previous = null } = {}) {
  if (!subtle) {
    return { status: 'unavailable', problems: [], reason: 'this page has no Web Crypto (browsers offer it only to '
      + 'pages served over HTTPS or from localhost)' };
  }
  const page = previous ? previous.page + 1 : 1;
  let head = {};
  try {
    if (proof === null || typeof proof !== 'object' || !Array.isArray(proof.entries)) {
      throw new Problem('format', 'the proof is not an object with a list of entries');
    }
    const key = await parseKey(keyText, subtle);
    const checkpoint = parseCheckpoint(String(proof.checkpoint));
    const entries = proof.entries.length;
    head = { origin: checkpoint.origin, treeSize: String(checkpoint.size), root: toBase64(checkpoint.root),
      key: `${key.name} (id ${hex(key.keyId)})`, page, entries, checked: (previous ? previous.checked : 0) + entries };
    const problems = [];
    let unchecked = null;
    try {
      unchecked = await checkSignature(checkpoint, key, subtle);
    } catch (e) {
      if (!(e instanceof Problem)) throw e;
      problems.push(e);
    }
    problems.push(...checkHead(proof, checkpoint, previous, page));
    problems.push(...await checkEntries(proof.entries, page, previous ? previous.below : null, checkpoint, uuid, subtle));
    head.oldest = oldestOf(proof.entries, previous);
    if (!problems.length) problems.push(...checkStart(proof, head.oldest));
    if (problems.length) return { ...head, status: 'failed', reason: problems[0].message, problems: problems.map(plain) };
    if (unchecked) {
      return { ...head, status: 'unavailable', problems: [], reason: `${unchecked}; the leaf hashes and audit paths `
        + "lead to the checkpoint's root, but without its signature that proves nothing" };
    }
    const nextBefore = proof.next_before === undefined ? null : proof.next_before;
    const below = Math.min(previous ? previous.below : Infinity, entries ? proof.entries[0].leaf_index : Infinity,
      nextBefore === null ? Infinity : nextBefore);
    const what = head.checked === 1 ? 'its entry is' : `its ${head.checked} entries are`;
    return { ...head, status: 'verified', problems: [], nextBefore, below, reason: head.checked
      ? `${what} in the tree of ${head.treeSize} leaves of ${head.origin}, whose checkpoint is signed by key ${head.key}`
      : `no entries so far: the proof goes on before leaf ${nextBefore}` };
  } catch (e) {
    const p = e instanceof Problem ? e : new Problem('format', `the proof or key is malformed: ${e.message}`);
    return { ...head, status: 'failed', reason: p.message, problems: [plain(p)] };
  }
}
