// Checks an action's inclusion proof in this browser with Web Crypto only, as scripts/verify-proof.py does: the
// checkpoint's Ed25519 signature (C2SP signed note) by the verifier key, each leaf hash (RFC 9162 §2.1:
// SHA-256(0x00 || leaf)), each audit path up to the checkpoint's root (RFC 9162 §2.1.3.2), and that every leaf is
// the action's. Pure functions of their arguments and the SubtleCrypto given: no page, no network, so that tests
// can call them with altered proofs.

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

/** The first check one entry fails (a Problem), or null. */
async function checkEntry(entry, n, checkpoint, uuid, subtle) {
  const where = `entry ${n} (leaf ${entry.leaf_index})`;
  const leafHash = await sha256(subtle, Uint8Array.of(0), utf8.encode(entry.leaf));
  if (!same(leafHash, fromBase64(entry.leaf_hash))) {
    return new Problem('leaf-hash', `${where}: the leaf hash is not SHA-256(0x00 || leaf): the leaf differs from `
      + 'what was hashed into the tree', n);
  }
  let owner;
  try {
    owner = JSON.parse(entry.leaf).uuid;
  } catch {
    owner = undefined;
  }
  if (owner !== uuid) return new Problem('uuid', `${where}: the leaf is of action ${owner}, not of ${uuid}`, n);
  let root;
  try {
    root = await rootFromPath(subtle, BigInt(entry.leaf_index), checkpoint.size, leafHash,
      entry.audit_path.map(fromBase64));
  } catch (e) {
    if (e instanceof Problem) return new Problem(e.check, `${where}: ${e.message}`, n);
    throw e;
  }
  return same(root, checkpoint.root) ? null
    : new Problem('root', `${where}: the audit path leads to a root other than the checkpoint's (root mismatch)`, n);
}

/** The proof's own tree size and root must be the signed checkpoint's. */
function checkHead(proof, checkpoint) {
  const out = [];
  if (String(proof.tree_size) !== String(checkpoint.size)) {
    out.push(new Problem('tree-size', `the proof's tree_size ${proof.tree_size} is not the checkpoint's ${checkpoint.size}`));
  }
  if (!same(fromBase64(proof.root_hash), checkpoint.root)) {
    out.push(new Problem('root', "the proof's root_hash is not the checkpoint's root (root mismatch)"));
  }
  if (!proof.entries.length) out.push(new Problem('entries', 'the proof has no entries'));
  return out;
}

const plain = (p) => ({ check: p.check, entry: p.entry, text: p.message });

/**
 * Checks one answer of GET /api/v1/action/<uuid>/proof/ against the verifier key's text, for the action `uuid`.
 * Resolves to {status: 'verified' | 'failed' | 'unavailable', reason, problems: [{check, entry, text}], origin,
 * treeSize, entries, key}; never rejects. `first` numbers the entries of a later page of the same proof.
 */
export async function verifyProof(proof, keyText, uuid, { subtle = globalThis.crypto?.subtle, first = 1 } = {}) {
  if (!subtle) {
    return { status: 'unavailable', problems: [], reason: 'this page has no Web Crypto (browsers offer it only to '
      + 'pages served over HTTPS or from localhost)' };
  }
  let head = {};
  try {
    const key = await parseKey(keyText, subtle);
    const checkpoint = parseCheckpoint(String(proof.checkpoint));
    head = { origin: checkpoint.origin, treeSize: String(checkpoint.size), entries: proof.entries.length,
      key: `${key.name} (id ${hex(key.keyId)})` };
    const problems = [];
    let unchecked = null;
    try {
      unchecked = await checkSignature(checkpoint, key, subtle);
    } catch (e) {
      if (!(e instanceof Problem)) throw e;
      problems.push(e);
    }
    problems.push(...checkHead(proof, checkpoint));
    for (let i = 0; i < proof.entries.length; i++) {
      const p = await checkEntry(proof.entries[i], first + i, checkpoint, uuid, subtle);
      if (p) problems.push(p);
    }
    if (problems.length) return { ...head, status: 'failed', reason: problems[0].message, problems: problems.map(plain) };
    if (unchecked) {
      return { ...head, status: 'unavailable', problems: [], reason: `${unchecked}; the leaf hashes and audit paths `
        + "lead to the checkpoint's root, but without its signature that proves nothing" };
    }
    const what = head.entries === 1 ? 'its entry is' : `its ${head.entries} entries are`;
    return { ...head, status: 'verified', problems: [], reason: `${what} in the tree of ${head.treeSize} leaves of `
      + `${head.origin}, whose checkpoint is signed by key ${head.key}` };
  } catch (e) {
    const p = e instanceof Problem ? e : new Problem('format', `the proof or key is malformed: ${e.message}`);
    return { ...head, status: 'failed', reason: p.message, problems: [plain(p)] };
  }
}
