#!/usr/bin/env python3
"""Writes pre-signed webhook requests for the ingest benchmark (scripts/bench.sh).

    ingest_requests.py SECRET LINE COUNT EVENTS_PER_REQUEST OUT_FILE

One request per line: "<timestamp>\t<signature>\t<body>". Every event ID and
call ID is unique, so each request stores new events (no duplicates), and a
batch carries whole calls (received, queued, offered, answered, ended), so
the triggers do their full work. Signed now: the run must start within the
5-minute window.
"""
import hashlib, hmac, json, sys, time, datetime

secret, line, count, per = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
out = open(sys.argv[5], "w")
ts = str(int(time.time()))
base = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
phases = [("call.received", {"from": "010-1234-5678"}), ("call.queued", {"digit": 1}),
          ("call.offered", {"agent": "bench"}), ("call.answered", {"agent": "bench"}),
          ("call.ended", {})]
seq = 0
for r in range(count):
    events = []
    for i in range(per):
        call = f"b{r}-{i // len(phases)}" if per > 1 else f"s{r}"
        kind, extra = phases[i % len(phases)] if per > 1 else phases[0]
        at = (base + datetime.timedelta(seconds=i)).isoformat().replace("+00:00", "Z")
        events.append(dict(id=f"bench-{ts}-{seq}", type=kind, at=at, line=line, call=call, **extra))
        seq += 1
    body = json.dumps(events[0] if per == 1 else {"events": events}, separators=(",", ":"))
    sig = hmac.new(secret.encode(), f"{ts}.{body}".encode(), hashlib.sha256).hexdigest()
    out.write(f"{ts}\t{sig}\t{body}\n")
