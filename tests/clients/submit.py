"""A monitoring tool's submitter written from docs/protocol.md alone, with Python's
standard library: TLS 1.3 with the tool's enrolled certificate, `hello` with its
endorsement, one `submit`, and the `ack`.

Usage: submit.py CREDENTIALS.toml HOST:PORT ITEMS.json
Prints the ack as JSON; exits 1 on a refusal.
"""

import hashlib
import json
import os
import socket
import ssl
import struct
import sys
import tempfile
import time
import tomllib


def frame(message):
    payload = json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode()
    return struct.pack(">I", len(payload)) + payload


def read_frame(sock):
    def exactly(n):
        buf = b""
        while len(buf) < n:
            chunk = sock.recv(n - len(buf))
            if not chunk:
                raise EOFError("connection closed")
            buf += chunk
        return buf

    (length,) = struct.unpack(">I", exactly(4))
    return json.loads(exactly(length))


def main(cred_path, addr, items_path):
    with open(cred_path, "rb") as f:
        cred = tomllib.load(f)
    host, port = addr.rsplit(":", 1)
    der = ssl.PEM_cert_to_DER_cert(cred["cert"])
    # The ed25519 public key: the BIT STRING after OID 1.3.101.112 in the certificate's key info.
    marker = bytes.fromhex("06032b6570032100")
    at = der.index(marker) + len(marker)
    endorsement = {
        "name": cred["name"],
        "role": cred["role"],
        "cert": hashlib.sha256(der).hexdigest(),
        "key": der[at : at + 32].hex(),
        "sig": cred["endorsement"],
    }
    with tempfile.TemporaryDirectory() as tmp:
        paths = {}
        for name in ("authority_cert", "cert", "key"):
            paths[name] = os.path.join(tmp, name + ".pem")
            with open(paths[name], "w") as f:
                f.write(cred[name])
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_3
        ctx.load_verify_locations(paths["authority_cert"])
        ctx.load_cert_chain(paths["cert"], paths["key"])
        raw = socket.create_connection((host, int(port)), timeout=10)
        sock = ctx.wrap_socket(raw, server_hostname="cluster.yuqing")
    hello = {
        "t": "hello",
        "version": 2,
        "console": cred["name"],
        "realm": "live",
        "role": "submitter",
        "clock_ms": int(time.time() * 1000),
        "schema": 2,
        "endorsement": endorsement,
    }
    sock.sendall(frame(hello))
    theirs = read_frame(sock)
    if theirs["t"] != "hello":
        print(json.dumps(theirs, ensure_ascii=False))
        return 1
    with open(items_path, encoding="utf-8") as f:
        items = json.load(f)
    sock.sendall(frame({"t": "submit", "id": 1, "operator": cred["name"], "items": items}))
    ack = read_frame(sock)
    print(json.dumps(ack, ensure_ascii=False))
    sock.close()
    return 0 if ack["t"] == "ack" and not ack["refused"] else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
