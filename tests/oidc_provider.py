"""A minimal OpenID provider on a loopback port, for tests: real HTTP, real RS256 signatures.

It serves discovery, authorization (answers at once for the identity the test set), token
(client_secret_post, client_secret_basic or private_key_jwt; PKCE), JWKS and userinfo. A test
can make it misbehave: sign with a key it does not publish, or put a wrong nonce or issuer in
the ID token.
"""

import base64
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

CLIENT_ID = "samhandling-test"
CLIENT_SECRET = "provider-shared-secret"


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class Identity:
    """Who logs in at the provider next, and what the ID token and userinfo say."""

    sub: str
    id_token_claims: dict = field(default_factory=dict)
    userinfo_claims: dict = field(default_factory=dict)


@dataclass
class Grant:
    identity: Identity
    nonce: str | None
    redirect_uri: str
    code_challenge: str | None


class Provider:
    def __init__(self):
        self.key = new_key()
        self.kid = "test-key-1"
        self.identity: Identity | None = None
        self.grants: dict[str, Grant] = {}
        self.tokens: dict[str, Identity] = {}
        # Misbehaviour switches.
        self.sign_with_unpublished_key = False
        self.nonce_override: str | None = None
        self.issuer_override: str | None = None
        # How the client must authenticate at the token endpoint, and the key for private_key_jwt.
        self.client_auth = "client_secret_post"
        self.client_public_key = None
        self.token_requests: list[dict] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def issuer(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "Provider":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def discovery(self) -> dict:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic", "private_key_jwt"],
            "code_challenge_methods_supported": ["S256"],
        }

    def jwks(self) -> dict:
        public = RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return {"keys": [{**public, "kid": self.kid, "alg": "RS256", "use": "sig"}]}

    def id_token(self, grant: Grant) -> str:
        now = int(time.time())
        claims = {
            "iss": self.issuer_override or self.issuer,
            "sub": grant.identity.sub,
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 120,
            "auth_time": now,
            **grant.identity.id_token_claims,
        }
        nonce = self.nonce_override or grant.nonce
        if nonce is not None:
            claims["nonce"] = nonce
        key = new_key() if self.sign_with_unpublished_key else self.key
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": self.kid})

    # Endpoint logic; each returns (status, headers, body).

    def authorize(self, query: dict) -> tuple[int, dict, bytes]:
        if query.get("client_id") != CLIENT_ID or query.get("response_type") != "code" or self.identity is None:
            return 400, {}, b"bad authorization request"
        if "openid" not in query.get("scope", "").split():
            return 400, {}, b"openid scope missing"
        code = secrets.token_urlsafe(16)
        self.grants[code] = Grant(self.identity, query.get("nonce"), query["redirect_uri"], query.get("code_challenge"))
        location = f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"
        return 302, {"Location": location}, b""

    def token(self, form: dict, authorization: str | None) -> tuple[int, dict, bytes]:
        self.token_requests.append(dict(form))
        if not self._client_authenticated(form, authorization):
            return 401, {}, _json({"error": "invalid_client"})
        grant = self.grants.pop(form.get("code", ""), None)  # a code works once
        if grant is None or form.get("grant_type") != "authorization_code":
            return 400, {}, _json({"error": "invalid_grant"})
        if form.get("redirect_uri") != grant.redirect_uri:
            return 400, {}, _json({"error": "invalid_grant", "error_description": "redirect_uri"})
        if grant.code_challenge is not None:
            verifier = form.get("code_verifier", "").encode()
            challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier).digest()).rstrip(b"=").decode()
            if challenge != grant.code_challenge:
                return 400, {}, _json({"error": "invalid_grant", "error_description": "PKCE"})
        access_token = secrets.token_urlsafe(16)
        self.tokens[access_token] = grant.identity
        body = {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": 60,
            "id_token": self.id_token(grant),
        }
        return 200, {"Content-Type": "application/json"}, _json(body)

    def _client_authenticated(self, form: dict, authorization: str | None) -> bool:
        if self.client_auth == "client_secret_post":
            return form.get("client_id") == CLIENT_ID and form.get("client_secret") == CLIENT_SECRET
        if self.client_auth == "client_secret_basic":
            expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
            return authorization == f"Basic {expected}" and "client_secret" not in form
        if self.client_auth == "private_key_jwt":
            if form.get("client_assertion_type") != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer":
                return False
            if "client_secret" in form:
                return False
            try:
                claims = jwt.decode(
                    form.get("client_assertion", ""),
                    self.client_public_key,
                    algorithms=["RS256"],
                    audience=self.issuer,
                    options={"require": ["exp", "iat", "jti"]},
                )
            except jwt.PyJWTError:
                return False
            return claims["iss"] == claims["sub"] == CLIENT_ID
        return False

    def userinfo(self, authorization: str | None) -> tuple[int, dict, bytes]:
        token = (authorization or "").removeprefix("Bearer ")
        identity = self.tokens.get(token)
        if identity is None:
            return 401, {}, b""
        return 200, {"Content-Type": "application/json"}, _json({"sub": identity.sub, **identity.userinfo_claims})


def _json(data: dict) -> bytes:
    return json.dumps(data).encode()


def _handler_for(provider: Provider):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            url = urlsplit(self.path)
            query = {key: values[0] for key, values in parse_qs(url.query).items()}
            if url.path == "/.well-known/openid-configuration":
                self._answer(200, {"Content-Type": "application/json"}, _json(provider.discovery()))
            elif url.path == "/jwks":
                self._answer(200, {"Content-Type": "application/json"}, _json(provider.jwks()))
            elif url.path == "/authorize":
                self._answer(*provider.authorize(query))
            elif url.path == "/userinfo":
                self._answer(*provider.userinfo(self.headers.get("Authorization")))
            else:
                self._answer(404, {}, b"")

        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            form = {key: values[0] for key, values in parse_qs(self.rfile.read(length).decode()).items()}
            if urlsplit(self.path).path == "/token":
                self._answer(*provider.token(form, self.headers.get("Authorization")))
            else:
                self._answer(404, {}, b"")

        def _answer(self, status: int, headers: dict, body: bytes) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format, *args):  # keep test output quiet
            pass

    return Handler
