#!/usr/bin/env python3
"""A minimal webhook receiver that checks MeshFlow signatures with the documented verify function.

Usage: python3 scripts/python-receiver.py --port 8090 --secret hmac-secret
It listens on 127.0.0.1, returns 200 for a valid signature and 401 otherwise, and prints each
request's delivery id, event type, verification result and body.
"""
import argparse
import hashlib
import hmac
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer


def verify(payload: bytes, signature: str, secret: str) -> bool:
    expected = hmac.new(secret.encode(), payload, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)


def make_handler(secret: str):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            header = self.headers.get("X-MeshFlow-Signature", "")
            hex_digest = header[len("sha256="):] if header.startswith("sha256=") else ""
            ok = bool(hex_digest) and verify(body, hex_digest, secret)
            print(
                f"delivery={self.headers.get('X-MeshFlow-Delivery')} "
                f"event={self.headers.get('X-MeshFlow-Event')} verified={ok}",
                flush=True,
            )
            print(body.decode("utf-8"), flush=True)
            self.send_response(200 if ok else 401)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format, *args):
            # The request line is printed above in a shorter form.
            pass

    return Handler


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8090, help="TCP port on 127.0.0.1 (default 8090)")
    parser.add_argument("--secret", required=True, help="the webhook secret to verify with")
    args = parser.parse_args()
    server = HTTPServer(("127.0.0.1", args.port), make_handler(args.secret))
    print(f"Listening on http://127.0.0.1:{args.port}/ (Ctrl+C to stop)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
