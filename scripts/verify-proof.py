#!/usr/bin/env python3
"""Checks an actionlog proof without trusting actionlog.

  verify-proof.py --key KEY_FILE [--uuid UUID] [--header 'Authorization: ...'] PROOF
  verify-proof.py --key KEY_FILE --since KEPT_CHECKPOINT [--save FILE] [--header 'Authorization: ...'] SERVER_URL
  verify-proof.py --key KEY_FILE --since KEPT_CHECKPOINT --consistency PROOF_FILE CHECKPOINT_FILE

KEY_FILE holds the verifier key (GET /api/v1/integrity/key/ or `actionlog integrity key`, kept by the auditor):
`<name>+<hex key id>+<base64 of 0x01 || Ed25519 public key>`. PROOF is the answer of
GET /api/v1/action/<uuid>/proof/, as a file or a URL (fetched with the --header lines given, redirects refused,
so that a credential goes to that server only). A URL's proof is followed page after page back to the action's
first entry (`next_before`), every page against the first page's tree size.

It checks the checkpoint's Ed25519 signature (C2SP signed-note: with the `cryptography` package when Python has
it, else the `openssl` command), that the proof's tree size and root are the checkpoint's, recomputes every leaf
hash from its leaf text (RFC 9162 §2.1: SHA-256(0x00 || leaf)) and the root from each audit path (RFC 9162
§2.1.3.2), and that every leaf is of the action asked for (the URL's uuid, or --uuid), each once, in journal order
within a page and each page before the one that named it, and that a whole proof starts with the action's
creation (a `created` leaf, or `carried` after retention): inclusion cannot show that no entry in between was left
out, but a proof cut short at its start fails.
It prints one line and exits with:
  0  OK: every entry of the action up to the proof's tree size checks;
  1  FAILED: what did not check (or could not be read);
  3  PARTIAL: the entries given check, but the proof goes on (a page saved to a file, or --max-pages reached).
With --since it checks instead that the log only grew since KEPT_CHECKPOINT (a checkpoint the auditor kept): the
server's latest checkpoint (GET SERVER_URL/api/v1/integrity/checkpoint/) or a saved one is signed by the key, of the
same origin, of no fewer leaves, and the consistency proof between the two (from
SERVER_URL/api/v1/integrity/consistency/, which takes an auditor's or an admin's credential, or saved in a file)
leads to both roots (RFC 9162 §2.1.4.2). A log rolled back, truncated or rewritten since fails; --save FILE keeps the
new checkpoint (written whole or not at all) for the next check. Exit 0 (OK) or 1 (FAILED).
Python 3 standard library, plus `cryptography` or openssl 3; it shares no code with the server.
"""
import argparse
import base64
import binascii
import contextlib
import hashlib
import http.client
import json
import math
import os
import re
import signal
import stat
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

DASH = "\u2014 "
ED25519_X509_PREFIX = bytes.fromhex("302a300506032b6570032100")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
UUID_IN_URL = re.compile(r"/action/([0-9a-fA-F-]{36})/proof/?$")
CHUNK = 1 << 16
MAX_CHECKPOINT_BYTES = 64 * 1024
# A consistency proof holds at most two hashes a level of the tree: a few KB, whatever --max-bytes says.
MAX_CONSISTENCY_BYTES = 64 * 1024
EMPTY_ROOT = hashlib.sha256(b"").digest()


class Failed(Exception):
    pass


def b64(value, what, length=None):
    """Strict base64: the one encoding of its bytes (no spaces, no stray characters, exact padding)."""
    if not isinstance(value, str):
        raise Failed("%s: not a base64 string" % what)
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise Failed("%s: not base64" % what)
    if base64.b64encode(raw).decode("ascii") != value:
        raise Failed("%s: not in canonical base64" % what)
    if length is not None and len(raw) != length:
        raise Failed("%s: %d bytes, not %d" % (what, len(raw), length))
    return raw


def whole(value, what):
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise Failed("%s: not a whole number of 0 or more: %s" % (what, json.dumps(value)))
    return value


def read_key(path):
    try:
        with open(path, encoding="utf-8") as f:
            lines = [l.strip() for l in f if l.strip() and not l.startswith("PRIVATE+KEY+")]
    except (OSError, UnicodeDecodeError) as e:
        raise Failed("cannot read the key file %s: %s" % (path, e))
    if not lines:
        raise Failed("no verifier key in " + path)
    parts = lines[0].split("+", 2)
    if len(parts) != 3 or not re.fullmatch(r"[0-9a-fA-F]{8}", parts[1]):
        raise Failed("not a verifier key (name+hex id+base64 key): " + lines[0])
    name, key_id, encoded = parts
    raw = b64(encoded, "the verifier key")
    if len(raw) != 33 or raw[0] != 1:
        raise Failed("not an Ed25519 verifier key: " + lines[0])
    expected_id = hashlib.sha256(name.encode() + b"\n" + raw).digest()[:4]
    if expected_id.hex() != key_id.lower():
        raise Failed("the verifier key's id %s does not match its name and key (%s)" % (key_id, expected_id.hex()))
    return name, expected_id, raw[1:]


def fetch(url, headers, deadline, max_bytes, limit="--max-bytes"):
    """The bytes of fetch_once, again after the wait a 503 asks for (an entry not yet in a signed checkpoint), a few
    times."""
    for attempt in range(5):
        try:
            return fetch_once(url, headers, deadline, max_bytes, limit)
        except Busy as e:
            if attempt == 4 or time.monotonic() + e.wait > deadline:
                raise Failed("%s answered HTTP 503 %d times: %s" % (url, attempt + 1, e.reason))
            time.sleep(e.wait)


class Busy(Exception):
    def __init__(self, wait, reason):
        super().__init__(reason)
        self.wait, self.reason = wait, reason


def fetch_once(url, headers, deadline, max_bytes, limit):
    """The answer at url: no redirect followed, at most max_bytes read, given up at the deadline."""
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, req, fp, code, msg, hdrs, newurl):
            raise Failed("%s answered %d, a redirect to %s: not followed (the credential would go along)"
                         % (url, code, newurl))

    left = deadline - time.monotonic()
    if left <= 0:
        raise Failed("%s: --timeout reached" % url)
    try:
        request = urllib.request.Request(url)
        for h in headers:
            name, colon, value = h.partition(":")
            if not colon or not name.strip() or any(c in h for c in "\r\n\0"):
                raise Failed("--header %r: expected 'Name: value' on one line" % h)
            request.add_header(name.strip(), value.strip())
        with deadline_alarm(left), urllib.request.build_opener(NoRedirect).open(
                request, timeout=min(30.0, left)) as answer:
            body = bytearray()
            while True:
                piece = answer.read1(CHUNK)
                if not piece:
                    break
                body += piece
                if len(body) > max_bytes:
                    raise Failed("%s: the answer is longer than %s (%d bytes)" % (url, limit, max_bytes))
                if time.monotonic() > deadline:
                    raise Failed("%s: --timeout reached while reading the answer" % url)
    except urllib.error.HTTPError as e:
        if e.code == 503:
            after = (e.headers.get("Retry-After") or "1").strip()
            raise Busy(min(int(after), 10) if re.fullmatch(r"[0-9]{1,6}", after) else 1, e.reason)
        said = "%s answered HTTP %d %s" % (url, e.code, e.reason) + refusal(e, deadline)
        if e.code in (401, 405) and "/integrity/consistency/" in url:
            said += " (a consistency proof takes an auditor's or an admin's credential: --header)"
        raise Failed(said)
    except urllib.error.URLError as e:
        raise Failed("cannot fetch %s: %s" % (url, e.reason))
    # A timeout or a reset in the middle of the answer, an answer that is not HTTP, a URL that does not parse.
    except (OSError, http.client.HTTPException, ValueError) as e:
        raise Failed("cannot fetch %s: %s" % (url, e.__class__.__name__ + (": %s" % e if str(e) else "")))
    return bytes(body)


def refusal(error, deadline):
    """The server's reason for a refusal (such as 'tree_size: no checkpoint of size 9'), when its answer gives one:
    the status alone does not say which value was wrong. At most a few KB of the answer are read, within --timeout."""
    left = deadline - time.monotonic()
    if left <= 0:
        return ""
    try:
        with deadline_alarm(left):
            reason = json.loads(error.read(4096).decode("utf-8")).get("error")
    except (OSError, http.client.HTTPException, ValueError, AttributeError, RecursionError):
        return ""
    if not isinstance(reason, str):
        return ""
    reason = "".join(c if c.isprintable() else " " for c in reason)
    return ": " + (reason[:300] + "…" if len(reason) > 300 else reason)


class DeadlinePassed(OSError):
    pass


@contextlib.contextmanager
def deadline_alarm(seconds):
    """Bounds the whole request, its status line and headers included (a socket timeout bounds each read only):
    with a real-time timer where the platform has one, in the main thread."""
    if not hasattr(signal, "setitimer"):
        yield
        return

    def expired(signum, frame):
        raise DeadlinePassed("--timeout reached")

    before = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, max(seconds, 0.001))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, before)


def parse(data, source):
    try:
        proof = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        raise Failed("%s: not a JSON proof: %s" % (source, e))
    except RecursionError:
        raise Failed("%s: not a JSON proof: nested too deep" % source)
    if not isinstance(proof, dict):
        raise Failed("%s: not a JSON object" % source)
    return proof


def read_file(path, max_bytes, limit="--max-bytes"):
    return parse(read_bytes(path, max_bytes, limit), path)


def read_bytes(path, max_bytes, limit="--max-bytes"):
    try:
        with open(path, "rb") as f:
            data = f.read(max_bytes + 1)
    except OSError as e:
        raise Failed("cannot read %s: %s" % (path, e))
    if len(data) > max_bytes:
        raise Failed("%s is longer than %s (%d bytes)" % (path, limit, max_bytes))
    return data


def ed25519_verifies(public_key, message, signature):
    try:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    except ImportError:
        return openssl_verifies(public_key, message, signature)
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, message)
        return True
    except InvalidSignature:
        return False


def openssl_verifies(public_key, message, signature):
    der = ED25519_X509_PREFIX + public_key
    pem = "-----BEGIN PUBLIC KEY-----\n" + base64.b64encode(der).decode() + "\n-----END PUBLIC KEY-----\n"
    with tempfile.TemporaryDirectory() as tmp:
        paths = {n: os.path.join(tmp, n) for n in ("key.pem", "msg", "sig")}
        for n, data in (("key.pem", pem.encode()), ("msg", message), ("sig", signature)):
            with open(paths[n], "wb") as f:
                f.write(data)
        try:
            result = subprocess.run(["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", paths["key.pem"], "-rawin",
                                     "-in", paths["msg"], "-sigfile", paths["sig"]], capture_output=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired) as e:
            raise Failed("cannot check an Ed25519 signature: Python has no cryptography package and openssl did "
                         "not run (%s)" % e)
    said = (result.stdout + result.stderr).decode("utf-8", "replace")
    if result.returncode == 0 and "Signature Verified Successfully" in said:
        return True
    if result.returncode != 0 and "Signature Verification Failure" in said:
        return False
    # Anything else is openssl unable to check (too old for -rawin, another library), not a bad signature.
    first = said.strip().splitlines()[0] if said.strip() else "exit code %d" % result.returncode
    raise Failed("cannot check an Ed25519 signature with this openssl (version 3 is needed): " + first)


def check_checkpoint(note, key):
    """C2SP signed-note and tlog-checkpoint: the text up to the last blank line, then only signature lines."""
    name, key_id, public_key = key
    if not isinstance(note, str):
        raise Failed("checkpoint: not a string")
    cut = note.rfind("\n\n")
    if cut < 0 or not note.endswith("\n"):
        raise Failed("checkpoint: not a signed note (text, a blank line, signature lines, each ending in a newline)")
    text, signatures = note[:cut + 1], note[cut + 2:-1].split("\n")
    if signatures == [""]:
        raise Failed("checkpoint: no signature lines after the blank line")
    lines = text[:-1].split("\n")
    if len(lines) < 3 or not lines[0] or "" in lines:
        raise Failed("checkpoint: expected an origin, a tree size and a root hash line")
    origin = lines[0]
    if not re.fullmatch(r"0|[1-9][0-9]{0,19}", lines[1]):
        raise Failed("checkpoint: the tree size line is not a decimal number: %r" % lines[1])
    size, root = int(lines[1]), b64(lines[2], "checkpoint: the root hash line", 32)
    if size == 0 and root != EMPTY_ROOT:
        raise Failed("checkpoint: a tree of 0 leaves has SHA-256 of nothing as its root, not this one")
    if origin != name:
        raise Failed("checkpoint: the origin %r is not the key's name %r" % (origin, name))
    found = None
    for line in signatures:
        m = re.fullmatch(r"\u2014 (\S+) (\S+)", line)
        if not m:
            raise Failed("checkpoint: a malformed signature line: %r" % line)
        sig = b64(m.group(2), "checkpoint: the signature of key " + m.group(1))
        if len(sig) < 5:
            raise Failed("checkpoint: the signature of key %s is too short" % m.group(1))
        if m.group(1) != name or sig[:4] != key_id:
            continue  # another key's: signed-note says to pass over it
        if len(sig) != 68 or not ed25519_verifies(public_key, text.encode("utf-8"), sig[4:]):
            raise Failed("checkpoint: the signature of key %s does not verify" % name)
        found = True
    if not found:
        raise Failed("checkpoint: no signature by key %s+%s" % (name, key_id.hex()))
    return origin, size, root


def node(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def root_from_path(index, size, leaf_hash, path):
    """RFC 9162 §2.1.3.2."""
    if index >= size:
        raise Failed("leaf %d is not in a tree of %d" % (index, size))
    fn, sn, r = index, size - 1, leaf_hash
    for p in path:
        if sn == 0:
            raise Failed("leaf %d: the audit path is longer than the tree is high" % index)
        if fn & 1 or fn == sn:
            r = node(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise Failed("leaf %d: the audit path is shorter than the tree is high" % index)
    return r


def roots_from_consistency(first, second, first_root, path):
    """RFC 9162 §2.1.4.2: the roots of the trees of first and second leaves that the proof leads to."""
    if not path:
        raise Failed("the consistency proof from %d to %d leaves is empty" % (first, second))
    if first & (first - 1) == 0:
        path = [first_root] + path  # the first tree is a complete subtree of the second: its root starts the path
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise Failed("the consistency proof from %d to %d leaves is longer than the trees need" % (first, second))
        if fn & 1 or fn == sn:
            fr, sr = node(c, fr), node(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise Failed("the consistency proof from %d to %d leaves is shorter than the trees need" % (first, second))
    return fr, sr


class Checked:
    """What the pages checked so far proved: the checkpoint's size and root, the action, where the next page ends."""

    def __init__(self, uuid):
        self.uuid = uuid
        self.asked = uuid is not None
        self.size = self.root = self.origin = None
        self.entries = 0
        self.bound = None  # the previous page's next_before: every later leaf lies below it
        self.oldest = None  # the oldest leaf so far, (index, type): a whole proof starts where the action does


def check_page(proof, key, seen):
    """Checks one answer (a page) against the key, and against the pages before it (seen); returns next_before."""
    origin, size, root = check_checkpoint(proof.get("checkpoint"), key)
    if whole(proof.get("tree_size"), "tree_size") != size:
        raise Failed("tree_size %s is not the checkpoint's %d" % (proof.get("tree_size"), size))
    if b64(proof.get("root_hash"), "root_hash", 32) != root:
        raise Failed("root_hash is not the checkpoint's")
    if seen.size is None:
        seen.size, seen.root, seen.origin = size, root, origin
    elif (size, root) != (seen.size, seen.root):
        raise Failed("a later page is against a tree of %d leaves, the first against %d" % (size, seen.size))
    entries = proof.get("entries")
    if not isinstance(entries, list):
        raise Failed("entries: not a list")
    older = proof.get("next_before")
    if older is not None:
        whole(older, "next_before")
        if seen.bound is not None and older >= seen.bound:
            raise Failed("next_before %d does not go back from the page before's %d" % (older, seen.bound))
    if not entries and older is None and seen.entries == 0:
        raise Failed("the proof has no entries")
    last = -1
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise Failed("entries[%d]: not an object" % i)
        index = whole(entry.get("leaf_index"), "entries[%d].leaf_index" % i)
        if index <= last:
            raise Failed("leaf %d after leaf %d: the entries are not in journal order, each once"
                         % (index, last))
        if seen.bound is not None and index >= seen.bound:
            raise Failed("leaf %d is on a page that should hold only leaves below %d" % (index, seen.bound))
        if older is not None and index < older:
            raise Failed("leaf %d is below the page's own next_before %d" % (index, older))
        text = entry.get("leaf")
        if not isinstance(text, str):
            raise Failed("leaf %d: the leaf text is not a string" % index)
        try:
            leaf = text.encode("utf-8")
        except UnicodeEncodeError:
            raise Failed("leaf %d: the leaf text is not valid Unicode (a lone surrogate)" % index)
        leaf_hash = hashlib.sha256(b"\x00" + leaf).digest()
        if b64(entry.get("leaf_hash"), "leaf %d: leaf_hash" % index, 32) != leaf_hash:
            raise Failed("leaf %d: leaf_hash is not SHA-256(0x00 || leaf)" % index)
        path = entry.get("audit_path")
        if not isinstance(path, list):
            raise Failed("leaf %d: audit_path is not a list" % index)
        hashes = [b64(h, "leaf %d: audit_path[%d]" % (index, j), 32) for j, h in enumerate(path)]
        if root_from_path(index, size, leaf_hash, hashes) != root:
            raise Failed("leaf %d: the audit path does not lead to the checkpoint's root" % index)
        try:
            parsed = json.loads(text)
            uuid = parsed.get("uuid")
        except (ValueError, AttributeError):
            raise Failed("leaf %d: the leaf text is not a JSON object" % index)
        if i == 0:
            seen.oldest = (index, parsed.get("type"))
        if not isinstance(uuid, str) or not UUID.match(uuid):
            raise Failed("leaf %d: the leaf names no action (uuid %s)" % (index, json.dumps(uuid)))
        if seen.uuid is None:
            seen.uuid = uuid
        elif uuid != seen.uuid:
            raise Failed("leaf %d is of action %s, not of %s" % (index, uuid, seen.uuid))
        last = index
        seen.entries += 1
    seen.bound = older
    return older


def check(args, key):
    expected = args.uuid
    if expected is None and is_url(args.proof):
        try:
            m = UUID_IN_URL.search(urllib.parse.urlsplit(args.proof).path)
        except ValueError as e:
            raise Failed("cannot fetch %s: %s" % (args.proof, e))
        expected = m.group(1) if m else None
    if expected is not None:
        expected = expected.lower()
        if not UUID.match(expected):
            raise Failed("not a uuid: %s" % expected)
    seen = Checked(expected)
    deadline = time.monotonic() + args.timeout
    if not is_url(args.proof):
        older = check_page(read_file(args.proof, args.max_bytes), key, seen)
        return summary(seen, key, older, "saved page")
    url, pages = args.proof, 0
    while True:
        older = check_page(parse(fetch(url, args.header, deadline, args.max_bytes), url), key, seen)
        pages += 1
        if older is None or pages == args.max_pages:
            return summary(seen, key, older, "--max-pages")
        url = with_query(args.proof, tree_size=seen.size, before=older)


def summary(seen, key, older, stopped_by):
    said = "%d entries of action %s are in the tree of %d leaves of %s, signed by %s" % (
        seen.entries, seen.uuid, seen.size, seen.origin, key[0])
    if not seen.asked:
        said += " (the action was not given: --uuid checks that it is the one you asked for)"
    if older is None:
        # Inclusion proves each entry shown, not that none was left out; but an action's history starts with its
        # creation (or retention's copy of it), so a whole proof that starts elsewhere left its first entries out.
        index, kind = seen.oldest
        if kind not in ("created", "carried"):
            raise Failed("the oldest entry, leaf %d, is a %s entry, not the action's creation: the proof leaves "
                         "out the action's first entries" % (index, json.dumps(kind)))
        return 0, "OK: " + said
    return 3, "PARTIAL: %s; older entries come before leaf %d (%s): ask again with ?tree_size=%d&before=%d" % (
        said, older, stopped_by, seen.size, older)


def read_checkpoint(data, source):
    """The text of a checkpoint read or fetched (at most MAX_CHECKPOINT_BYTES, which the reading bounds)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise Failed("%s: not UTF-8 text" % source)


def check_since(args, key):
    """That the server's (or a saved) checkpoint extends the one kept in --since: same origin, no fewer leaves, and
    a consistency proof from the kept tree to the new one (RFC 9162 §2.1.4)."""
    kept_note = read_checkpoint(read_bytes(args.since, MAX_CHECKPOINT_BYTES, "a checkpoint"), args.since)
    try:
        origin, first, first_root = check_checkpoint(kept_note, key)
    except Failed as e:
        raise Failed("the kept checkpoint %s: %s" % (args.since, e))
    deadline = time.monotonic() + args.timeout
    if is_url(args.proof):
        base = args.proof if args.proof.endswith("/") else args.proof + "/"
        source = base + "api/v1/integrity/checkpoint/"
        new_note = read_checkpoint(fetch(source, args.header, deadline, MAX_CHECKPOINT_BYTES, "a checkpoint"),
                                   source)
    else:
        source = args.proof
        new_note = read_checkpoint(read_bytes(source, MAX_CHECKPOINT_BYTES, "a checkpoint"), source)
    try:
        new_origin, second, second_root = check_checkpoint(new_note, key)
    except Failed as e:
        raise Failed("the checkpoint of %s: %s" % (source, e))
    if new_origin != origin:
        raise Failed("the checkpoint of %s is of log %r, the kept one of %r" % (source, new_origin, origin))
    if second < first:
        raise Failed("the checkpoint of %s signs %d leaves, fewer than the kept one's %d: the log was rolled back "
                     "or truncated since" % (source, second, first))
    hashes = 0
    if second == first:
        if second_root != first_root:
            raise Failed("the checkpoint of %s signs another root for the same %d leaves as the kept one: the log's "
                         "history was rewritten (or forked)" % (source, first))
    elif first > 0:
        if is_url(args.proof):
            where = with_query(base + "api/v1/integrity/consistency/", first=first, second=second)
            proof = parse(fetch(where, args.header, deadline, MAX_CONSISTENCY_BYTES, "a consistency proof"), where)
        elif args.consistency:
            where = args.consistency
            proof = read_file(where, MAX_CONSISTENCY_BYTES, "a consistency proof")
        else:
            raise Failed("%s signs %d leaves and the kept one %d: --consistency FILE (the answer of "
                         "/api/v1/integrity/consistency/?first=%d&second=%d) is needed to check it offline"
                         % (source, second, first, first, second))
        if whole(proof.get("first"), "first") != first or whole(proof.get("second"), "second") != second:
            raise Failed("%s is a proof from %s to %s leaves, not from %d to %d"
                         % (where, proof.get("first"), proof.get("second"), first, second))
        path = proof.get("proof")
        if not isinstance(path, list):
            raise Failed("%s: proof is not a list" % where)
        path = [b64(h, "proof[%d]" % j, 32) for j, h in enumerate(path)]
        hashes = len(path)
        old_root, new_root = roots_from_consistency(first, second, first_root, path)
        # Either root missed means the same: with a first tree of 2^k leaves its root starts the path, so a fork
        # shows only at the new root.
        missed = ("the kept checkpoint's root" if old_root != first_root
                  else "the root of the checkpoint of " + source if new_root != second_root else None)
        if missed:
            raise Failed("the consistency proof from %d to %d leaves does not lead to %s: the log of %d leaves is not "
                         "shown to extend the kept one of %d (its history was rewritten or forked, or the proof is "
                         "wrong)" % (first, second, missed, second, first))
    said = "the tree of %d leaves of %s signed by %s extends the kept one of %d leaves (%d proof hashes)" % (
        second, origin, key[0], first, hashes)
    if args.save:
        save(args.save, new_note)
        said += "; its checkpoint saved to " + args.save
    return 0, "OK: " + said


def save(path, note):
    """Replaces the file whole or not at all (a checkpoint half written would fail the next check), through a
    symbolic link to where it points, keeping the file's mode; refuses anything but a regular file there."""
    target = os.path.realpath(path)
    mode = 0o644  # a checkpoint is public
    try:
        st = os.stat(target)
        if not stat.S_ISREG(st.st_mode):
            raise Failed("the checkpoint checks, but %s is not a regular file: not replaced" % path)
        mode = stat.S_IMODE(st.st_mode)
    except FileNotFoundError:
        pass
    except OSError as e:
        raise Failed("the checkpoint checks, but cannot be saved to %s: %s" % (path, e))
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(target), prefix=".checkpoint-")
        with os.fdopen(fd, "wb") as f:
            f.write(note.encode("utf-8"))
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
        tmp = None
    except OSError as e:
        raise Failed("the checkpoint checks, but cannot be saved to %s: %s" % (path, e))
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def is_url(source):
    return source.startswith("http://") or source.startswith("https://")


def with_query(url, **params):
    parts = urllib.parse.urlsplit(url)
    query = [(k, v) for k, v in urllib.parse.parse_qsl(parts.query) if k not in params]
    query += [(k, str(v)) for k, v in params.items()]
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


def main():
    parser = argparse.ArgumentParser(description="Check an actionlog inclusion proof, or that a checkpoint extends "
                                                 "one kept before, against a verifier key.")
    parser.add_argument("--key", required=True, metavar="KEY_FILE", help="file holding the verifier key")
    parser.add_argument("--uuid", help="the action the proof must be of (default: the URL's)")
    parser.add_argument("--header", action="append", default=[], metavar="'NAME: VALUE'",
                        help="header sent when PROOF is a URL, such as Authorization (repeatable)")
    parser.add_argument("--max-pages", type=int, default=1000, help="pages of a URL's proof to follow (1,000)")
    parser.add_argument("--max-bytes", type=int, default=256 << 20, help="longest answer or file read (256 MiB)")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds for all of a URL's pages (300); where there is no SIGALRM "
                        "(Windows), each read of an answer is bounded instead")
    parser.add_argument("--since", metavar="KEPT_CHECKPOINT",
                        help="check instead that SOURCE's checkpoint extends this one, kept from before")
    parser.add_argument("--consistency", metavar="FILE",
                        help="with --since and a checkpoint file as SOURCE: the saved consistency proof between them")
    parser.add_argument("--save", metavar="FILE", help="with --since: where to keep the new checkpoint once it checks")
    parser.add_argument("proof", metavar="SOURCE",
                        help="the proof response, a file or a URL; with --since, the server's URL or a checkpoint file")
    args = parser.parse_args()
    if args.max_pages < 1 or args.max_bytes < 1 or not math.isfinite(args.timeout) or args.timeout <= 0:
        parser.error("--max-pages, --max-bytes and --timeout must be above 0")
    if args.since is None and (args.consistency or args.save):
        parser.error("--consistency and --save go with --since")
    if args.since is not None:
        if args.uuid:
            parser.error("--uuid is for a proof, not with --since")
        if args.save == "":
            parser.error("--save needs a file name")
        if is_url(args.proof):
            if args.consistency:
                parser.error("--consistency goes with a checkpoint file as SOURCE; a server's URL gives its own")
            try:
                parts = urllib.parse.urlsplit(args.proof)
            except ValueError as e:
                parser.error("SOURCE %r: %s" % (args.proof, e))
            if parts.query or parts.fragment:
                parser.error("with --since, SOURCE is the server's URL (such as http://HOST:8080/), without a query")
        elif args.header:
            parser.error("--header goes with a URL")
    try:
        key = read_key(args.key)
        code, line = check_since(args, key) if args.since is not None else check(args, key)
    except Failed as e:
        code, line = 1, "FAILED: %s" % e
    print(line)
    return code


if __name__ == "__main__":
    sys.exit(main())
