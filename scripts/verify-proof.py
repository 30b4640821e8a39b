#!/usr/bin/env python3
"""Checks an actionlog proof without trusting actionlog.

  verify-proof.py --key KEY_FILE PROOF [--header 'Authorization: ...']

KEY_FILE holds the verifier key (GET /api/v1/integrity/key/ or `actionlog integrity key`, kept by the auditor):
`<name>+<hex key id>+<base64 of 0x01 || Ed25519 public key>`. PROOF is the answer of
GET /api/v1/action/<uuid>/proof/, as a file or a URL (fetched with the --header lines given).

It checks the checkpoint's Ed25519 signature (C2SP signed-note, with the `openssl` command), that the proof's
tree size and root are the checkpoint's, recomputes every leaf hash from its leaf text (RFC 9162 §2.1:
SHA-256(0x00 || leaf)) and the root from each audit path (RFC 9162 §2.1.3.2). It prints OK and what was proven,
or FAILED and exactly what did not check, with exit code 1. Python 3 standard library and openssl 3 only; it
shares no code with the server.
"""
import argparse
import base64
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import urllib.request

DASH = "\u2014 "
ED25519_X509_PREFIX = bytes.fromhex("302a300506032b6570032100")


class Failed(Exception):
    pass


def read_key(path):
    with open(path, encoding="utf-8") as f:
        lines = [l.strip() for l in f if l.strip() and not l.startswith("PRIVATE+KEY+")]
    if not lines:
        raise Failed("no verifier key in " + path)
    parts = lines[0].split("+", 2)
    if len(parts) != 3:
        raise Failed("not a verifier key (name+hex id+base64 key): " + lines[0])
    name, key_id, encoded = parts
    raw = base64.b64decode(encoded)
    if len(raw) != 33 or raw[0] != 1:
        raise Failed("not an Ed25519 verifier key: " + lines[0])
    expected_id = hashlib.sha256(name.encode() + b"\n" + raw).digest()[:4]
    if expected_id.hex() != key_id:
        raise Failed("the verifier key's id %s does not match its name and key (%s)" % (key_id, expected_id.hex()))
    return name, bytes.fromhex(key_id), raw[1:]


def read_proof(source, headers):
    if source.startswith("http://") or source.startswith("https://"):
        request = urllib.request.Request(source)
        for h in headers:
            name, _, value = h.partition(":")
            request.add_header(name.strip(), value.strip())
        with urllib.request.urlopen(request, timeout=30) as answer:
            return json.loads(answer.read().decode("utf-8"))
    with open(source, encoding="utf-8") as f:
        return json.load(f)


def ed25519_verifies(public_key, message, signature):
    der = ED25519_X509_PREFIX + public_key
    pem = "-----BEGIN PUBLIC KEY-----\n" + base64.b64encode(der).decode() + "\n-----END PUBLIC KEY-----\n"
    with tempfile.TemporaryDirectory() as tmp:
        paths = {n: os.path.join(tmp, n) for n in ("key.pem", "msg", "sig")}
        for n, data in (("key.pem", pem.encode()), ("msg", message), ("sig", signature)):
            with open(paths[n], "wb") as f:
                f.write(data)
        result = subprocess.run(["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", paths["key.pem"], "-rawin",
                                 "-in", paths["msg"], "-sigfile", paths["sig"]], capture_output=True)
        return result.returncode == 0


def check_checkpoint(note, key):
    name, key_id, public_key = key
    body, blank, signatures = note.partition("\n\n")
    if not blank:
        raise Failed("checkpoint: not a signed note (no blank line)")
    body += "\n"
    lines = body.split("\n")
    if len(lines) < 4:
        raise Failed("checkpoint: expected origin, tree size and root hash lines")
    origin, size, root = lines[0], int(lines[1]), base64.b64decode(lines[2])
    for line in signatures.split("\n"):
        if not line.startswith(DASH + name + " "):
            continue
        sig = base64.b64decode(line[len(DASH + name + " "):])
        if len(sig) == 68 and sig[:4] == key_id:
            if not ed25519_verifies(public_key, body.encode("utf-8"), sig[4:]):
                raise Failed("checkpoint: the signature of key %s does not verify" % name)
            return origin, size, root
    raise Failed("checkpoint: no signature by key %s+%s" % (name, key_id.hex()))


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


def check(proof, key):
    origin, size, root = check_checkpoint(proof["checkpoint"], key)
    if proof["tree_size"] != size:
        raise Failed("tree_size %s is not the checkpoint's %d" % (proof["tree_size"], size))
    if base64.b64decode(proof["root_hash"]) != root:
        raise Failed("root_hash is not the checkpoint's")
    uuids = set()
    for entry in proof["entries"]:
        index = entry["leaf_index"]
        leaf = entry["leaf"].encode("utf-8")
        leaf_hash = hashlib.sha256(b"\x00" + leaf).digest()
        if base64.b64decode(entry["leaf_hash"]) != leaf_hash:
            raise Failed("leaf %d: leaf_hash is not SHA-256(0x00 || leaf)" % index)
        path = [base64.b64decode(h) for h in entry["audit_path"]]
        if root_from_path(index, size, leaf_hash, path) != root:
            raise Failed("leaf %d: the audit path does not lead to the checkpoint's root" % index)
        uuids.add(json.loads(entry["leaf"]).get("uuid"))
    if not proof["entries"]:
        raise Failed("the proof has no entries")
    if len(uuids) != 1:
        raise Failed("the entries belong to %d actions, not one" % len(uuids))
    return "%d entries of action %s are in the tree of %d leaves of %s, signed by %s" % (
        len(proof["entries"]), uuids.pop(), size, origin, key[0])


def main():
    parser = argparse.ArgumentParser(description="Check an actionlog inclusion proof against a verifier key.")
    parser.add_argument("--key", required=True, metavar="KEY_FILE", help="file holding the verifier key")
    parser.add_argument("--header", action="append", default=[], metavar="'NAME: VALUE'",
                        help="header sent when PROOF is a URL, such as Authorization (repeatable)")
    parser.add_argument("proof", metavar="PROOF", help="the proof response: a file or a URL")
    args = parser.parse_args()
    try:
        print("OK: " + check(read_proof(args.proof, args.header), read_key(args.key)))
        return 0
    except (Failed, KeyError, ValueError, TypeError) as e:
        print("FAILED: %s" % (e if isinstance(e, Failed) else "malformed proof or key: %r" % e))
        return 1


if __name__ == "__main__":
    sys.exit(main())
