#!/usr/bin/env python3
"""Bot Framework on loopback for the load test: OpenID metadata, a JWKS with one RSA key endorsed
for msteams, an OAuth token endpoint and a Bot Connector that accepts every activity. Writes a
Connector-to-bot token (valid 2 h) for the given app id and service URL to token.txt."""
import base64, json, sys, time
from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 5190
APP_ID = sys.argv[2] if len(sys.argv) > 2 else "00000000-1111-2222-3333-444444444444"
BASE = f"http://127.0.0.1:{PORT}"
SERVICE_URL = BASE + "/connector/"

key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
numbers = key.public_key().public_numbers()


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def int_b64(value: int) -> str:
    return b64(value.to_bytes((value.bit_length() + 7) // 8, "big"))


JWKS = {"keys": [{"kty": "RSA", "use": "sig", "kid": "bench-key", "n": int_b64(numbers.n), "e": int_b64(numbers.e), "endorsements": ["msteams"]}]}
now = int(time.time())
header = b64(json.dumps({"alg": "RS256", "typ": "JWT", "kid": "bench-key"}).encode())
payload = b64(json.dumps({"iss": "https://api.botframework.com", "aud": APP_ID, "serviceurl": SERVICE_URL, "nbf": now - 60, "iat": now - 60, "exp": now + 7200}).encode())
signature = key.sign(f"{header}.{payload}".encode(), padding.PKCS1v15(), hashes.SHA256())
with open("token.txt", "w") as f:
    f.write(f"{header}.{payload}.{b64(signature)}")


class Handler(BaseHTTPRequestHandler):
    # The handler writes headers and body in two sends; with Nagle's algorithm the body then waits for the client's
    # delayed ACK (40 ms on Linux), which capped every connection at ~25 answers a second.
    disable_nagle_algorithm = True
    protocol_version = "HTTP/1.1"

    def reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/openid":
            self.reply(200, {"issuer": "https://api.botframework.com", "jwks_uri": BASE + "/keys", "id_token_signing_alg_values_supported": ["RS256"]})
        elif self.path == "/keys":
            self.reply(200, JWKS)
        else:
            self.reply(404, {})

    def read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":  # HttpClient streams JSON content
            while True:
                size = int(self.rfile.readline().strip().split(b";")[0], 16)
                self.rfile.read(size + 2)
                if size == 0:
                    return
        self.rfile.read(int(self.headers.get("Content-Length", 0)))

    def do_POST(self):
        self.read_body()
        if self.path == "/token":
            self.reply(200, {"token_type": "Bearer", "expires_in": 3600, "access_token": "bench-bot-token"})
        else:
            self.reply(201, {"id": "1"})

    do_PUT = do_POST

    def log_message(self, *args):
        pass


print(f"fake Bot Framework on {BASE}, service URL {SERVICE_URL}", flush=True)
ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
