"""Schemathesis hooks for scripts/api-schema-test.sh (issue 14, finding 7).

At import: sets up one company on the instance at SWITCHBOARD_URL through
its own API (operator → company with numbers → owner, an agent signed in
on the agent API). For every generated request: the credentials its path
needs (operator session for /api/operator, agent bearer token for
/api/agent, the owner's session and CSRF token otherwise), and for the
provider routes a valid signature over the exact bytes sent, so the
fuzzing reaches the handlers instead of stopping at 401.
"""

import datetime
import hashlib
import hmac
import json
import os
import time

import requests
import schemathesis

BASE = os.environ["SWITCHBOARD_URL"].rstrip("/")
OPERATOR = (os.environ["SWITCHBOARD_OPERATOR_LOGIN"], os.environ["SWITCHBOARD_OPERATOR_PASSWORD"])
SECRET = os.environ["SWITCHBOARD_WEBHOOK_SECRET"]
OWNER_PASSWORD = "owner-pass-12345"
AGENT_PASSWORD = "agent-pass-12345"


def _login(login_id, password):
    s = requests.Session()
    r = s.post(f"{BASE}/api/auth/login", json={"login_id": login_id, "password": password}, timeout=30)
    r.raise_for_status()
    return {"session": s.cookies["sb_session"], "csrf": r.json()["csrf_token"]}


def _call(session, method, path, body=None):
    r = requests.request(
        method,
        f"{BASE}{path}",
        json=body,
        cookies={"sb_session": session["session"]},
        headers={"x-csrf-token": session["csrf"]},
        timeout=30,
    )
    if r.status_code >= 300:
        raise RuntimeError(f"setup {method} {path}: {r.status_code} {r.text}")
    return r.json() if r.content else None


def _setup():
    op = _login(*OPERATOR)
    tenant = _call(op, "POST", "/api/operator/tenants", {
        "name": "스키마 시험", "plan": "basic", "licence_count": 20,
        "service_start": "2026-01-01", "service_end": "2099-12-31",
        "owner": {"login_id": "schema-owner", "name": "시험 관리자", "password": OWNER_PASSWORD},
    })["tenant"]
    for number in ("070-1234-5678", "02-123-4567"):
        _call(op, "POST", "/api/operator/numbers", {"number": number, "tenant_id": tenant["id"]})
    owner = _login("schema-owner", OWNER_PASSWORD)
    _call(owner, "POST", "/api/settings/agents", {"login_id": "kim", "name": "김상담", "password": AGENT_PASSWORD})
    r = requests.post(f"{BASE}/api/agent/login", json={
        "tenant_id": tenant["id"], "login_id": "kim", "password": AGENT_PASSWORD, "platform": "pc",
    }, timeout=30)
    r.raise_for_status()
    return op, owner, r.json()["token"]


OP, OWNER, AGENT_TOKEN = _setup()


def _unset(value):
    return value is None or type(value).__name__ == "NotSet"


def _admin_auth(who):
    """An admin session where the document declares it (the `sb_session`
    cookie) plus its CSRF token, set by an auth provider so schemathesis
    knows they are real and its `ignored_auth` probes take them away."""

    class AdminAuth:
        def get(self, case, context):
            return who

        def set(self, case, data, context):
            cookies = dict(case.cookies) if not _unset(case.cookies) else {}
            cookies["sb_session"] = data["session"]
            case.cookies = cookies
            headers = dict(case.headers) if not _unset(case.headers) else {}
            headers["X-CSRF-Token"] = data["csrf"]
            case.headers = headers

    return AdminAuth


schemathesis.auth().apply_to(path_regex="^/api/operator/")(_admin_auth(OP))
schemathesis.auth().apply_to(path_regex="^/api/").skip_for(path_regex="^/api/(operator|agent)/")(_admin_auth(OWNER))


@schemathesis.auth().apply_to(path_regex="^/api/agent/")
class AgentAuth:
    def get(self, case, context):
        return AGENT_TOKEN

    def set(self, case, data, context):
        headers = dict(case.headers) if not _unset(case.headers) else {}
        headers["Authorization"] = f"Bearer {data}"
        case.headers = headers


@schemathesis.auth().apply_to(path_regex="^/hooks/(events|flow)$")
class ProviderSignature:
    """The provider's signature over the exact bytes sent (TEL-1), for the
    events and the call flow (TEL-3). A case generated to break the headers
    keeps them as generated: signing it would make it a valid request."""

    def get(self, case, context):
        return SECRET

    def set(self, case, data, context):
        meta = getattr(case, "meta", None)
        components = getattr(meta, "components", None) or {}
        for location, info in components.items():
            if str(getattr(location, "value", location)) == "header" and "negative" in str(info.mode).lower():
                return
        headers = dict(case.headers) if not _unset(case.headers) else {}
        body = case.body
        # The bytes the transport will send: `requests` writes a JSON body
        # with json.dumps' defaults. The body itself is left as generated, so
        # schemathesis still knows whether it is valid.
        raw = b"" if _unset(body) else body if isinstance(body, bytes) else json.dumps(body).encode()
        ts = str(int(time.time()))
        mac = hmac.new(data.encode(), ts.encode() + b"." + raw, hashlib.sha256).hexdigest()
        headers["X-Switchboard-Timestamp"] = ts
        headers["X-Switchboard-Signature"] = f"v1={mac}"
        case.headers = headers


def _date(value):
    try:
        return datetime.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


@schemathesis.hook
def before_call(ctx, case, **kwargs):
    """Rules between two fields, which JSON Schema cannot state (the
    document says them in words): a date range ends on or after its start,
    and a statistics range is at most 366 days (README, "API document").
    Only a request whose dates are both well-formed is touched: the range is
    put in order (and cut to 366 days for the statistics), so the run still
    checks every other part of it. Refusing a reversed or too-long range is
    tested natively."""
    path = case.operation.path
    if not _unset(case.query) and isinstance(case.query, dict):
        q = dict(case.query)
        start, end = _date(q.get("from")), _date(q.get("to"))
        stats = path.startswith("/api/stats/")
        if stats and start and "to" not in q:
            end = start
        if stats and end and "from" not in q:
            start = end
        if start and end:
            start, end = min(start, end), max(start, end)
            if stats and (end - start).days > 365:
                start = end - datetime.timedelta(days=365)
            q["from"], q["to"] = start.isoformat(), end.isoformat()
            case.query = q
    if path == "/api/settings/hours" and isinstance(case.body, dict):
        case.body = _hours_in_order(case.body)
    if path == "/api/settings/access" and isinstance(case.body, dict) and isinstance(case.body.get("rules"), list):
        # Each rule once: "unique by one field" is not JSON Schema.
        seen, rules = set(), []
        for r in case.body["rules"]:
            key = r.get("rule") if isinstance(r, dict) and isinstance(r.get("rule"), str) else None
            if key is None or key not in seen:
                rules.append(r)
                seen.add(key)
        case.body = {**case.body, "rules": rules}
    if path == "/api/operator/numbers" and isinstance(case.body, dict):
        # `since` is a day between 2000-01-01 and today: bounded by the clock.
        since = _date(case.body.get("since"))
        if since and not (datetime.date(2000, 1, 1) <= since <= datetime.date.today()):
            case.body = {**case.body, "since": datetime.date.today().isoformat()}
    if path == "/api/operator/tenants" and isinstance(case.body, dict):
        start, end = _date(case.body.get("service_start")), _date(case.body.get("service_end"))
        if start and end and end < start:
            body = dict(case.body)
            body["service_start"], body["service_end"] = end.isoformat(), start.isoformat()
            case.body = body


def _hours_in_order(body):
    """A day's ranges start before they end and do not overlap: rules
    between items, which JSON Schema cannot state. Well-formed ranges that
    break them are replaced by one range, so the rest is still sent."""

    def fix(entry):
        if not isinstance(entry, dict) or not isinstance(entry.get("ranges"), list):
            return entry
        spans = []
        for r in entry["ranges"]:
            if not (isinstance(r, dict) and isinstance(r.get("start"), str) and isinstance(r.get("end"), str)):
                return entry
            spans.append((r["start"], r["end"]))
        ordered = sorted(spans)
        ok = all(s < e for s, e in ordered) and all(a[1] <= b[0] for a, b in zip(ordered, ordered[1:]))
        if ok or not spans:
            return entry
        return {**entry, "ranges": [{"start": "09:00", "end": "18:00"}]}

    body = dict(body)
    if isinstance(body.get("groups"), dict):
        body["groups"] = {k: fix(v) for k, v in body["groups"].items()}
    if isinstance(body.get("days"), dict):
        body["days"] = {k: fix(v) for k, v in body["days"].items()}
    return body
