"""One virtual user's HTTP session: the web client's JSON-RPC calls, timed."""

import itertools
import time

import requests
from benchmark.webclient import WEB_CONTEXT

TIMEOUT = 120  # seconds: a call slower than Odoo's limit_time_real is an error anyway


class CallError(Exception):
    """A non-200 answer or a JSON-RPC error."""


class Client:
    """``requests.Session`` with Odoo's session cookie; ``record(kind, ms, ok,
    error)`` receives every call."""

    _ids = itertools.count(1)

    def __init__(self, url, db, record):
        self.url = url.rstrip("/")
        self.db = db
        self.record = record
        self.http = requests.Session()
        self.context = dict(WEB_CONTEXT)
        self.uid = None

    def jsonrpc(self, kind, path, params):
        """POST a JSON-RPC call; its result, or CallError (recorded either way)."""
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": next(self._ids),
            "params": params,
        }
        start = time.perf_counter()
        error = None
        try:
            response = self.http.post(self.url + path, json=payload, timeout=TIMEOUT)
            if response.status_code != 200:
                error = f"HTTP {response.status_code} on {path}: {response.text[:200]}"
            else:
                body = response.json()
                if "error" in body:
                    data = body["error"].get("data") or {}
                    error = f"{data.get('name') or body['error'].get('message')}: "
                    error += str(data.get("message") or body["error"])[:300]
        except (requests.RequestException, ValueError) as exc:
            error = f"{type(exc).__name__}: {exc}"[:300]
        ms = (time.perf_counter() - start) * 1000
        self.record(kind, ms, error is None, error)
        if error:
            raise CallError(error)
        return body.get("result")

    def authenticate(self, login, password):
        result = self.jsonrpc(
            "authenticate",
            "/web/session/authenticate",
            {"db": self.db, "login": login, "password": password},
        )
        if not result or not result.get("uid"):
            raise CallError(f"{login}: no session (two factors still required?)")
        self.uid = result["uid"]
        self.context.update(result.get("user_context") or {})
        self.context.update(WEB_CONTEXT)
        return result

    def call_kw(self, kind, model, method, args=(), **kwargs):
        kwargs.setdefault("context", self.context)
        return self.jsonrpc(
            kind,
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def load_action(self, kind, xmlid):
        return self.jsonrpc(
            kind, "/web/action/load", {"action_id": xmlid, "context": self.context}
        )
