#!/usr/bin/env python3
"""The dashboard bench's data (issue 15): a company with 1 000 000 calls over
90 days ending now, 200 agents with their state history, 10 queues (ARS-3
allows digits 0-9, so 10 is a company's most; calls are spread over them)
and 30 calls live now (waiting, ringing, talking), written straight into
the app's SQLite file (schema made by the app; the company, its queues and
agents made through the API beforehand by scripts/bench.sh).

    dashboard_data.py DB TENANT_ID [CALLS] [DAYS]

Rows are what the ingest triggers would leave (the generated columns are
computed by SQLite); a few hundred events give the version its MAX(seq).
"""
import random
import sqlite3
import sys
import time

db_path, tenant = sys.argv[1], int(sys.argv[2])
calls_total = int(sys.argv[3]) if len(sys.argv) > 3 else 1_000_000
days = int(sys.argv[4]) if len(sys.argv) > 4 else 90
rng = random.Random(20261207)
db = sqlite3.connect(db_path)
db.execute("PRAGMA journal_mode=WAL")
db.execute("PRAGMA synchronous=OFF")
line = db.execute("SELECT representative_number FROM ars_settings WHERE tenant_id = ?", (tenant,)).fetchone()[0]
menus = db.execute("SELECT id, digit FROM ars_menus WHERE tenant_id = ? AND kind = 'agents'", (tenant,)).fetchall()
agents = db.execute("SELECT id, login_id FROM agents WHERE tenant_id = ? AND status = 'active'", (tenant,)).fetchall()
assert menus and agents, "set up the company (queues, agents) first"

now_ms = int(time.time() * 1000)
start_ms = now_ms - days * 86_400_000
step = (now_ms - 3_600_000 - start_ms) / calls_total  # the last hour: live calls only

COLS = ("tenant_id, call_id, line, first_ms, event_count, received_ms, received_event, received_number, "
        "received_hours, outbound_ms, outbound_event, outbound_agent, outbound_number, queued_ms, queued_event, "
        "queued_digit, answered_ms, answered_event, answered_agent, menu_ms, menu_event, menu_digit, offered_ms, "
        "abandoned_ms, callback_ms, ended_ms, agent_id, menu_id")
SQL = f"INSERT INTO calls ({COLS}) VALUES ({', '.join('?' * 28)})"


def call_row(i, t, live=None):
    cid = f"bench-{i}"
    number = f"010{rng.randrange(10**8):08d}"
    menu_id, digit = rng.choice(menus)
    agent_id, login = rng.choice(agents)
    r = rng.random()
    if r < 0.10 and live is None:  # an agent's outbound call
        ans = t + rng.randrange(3_000, 20_000) if rng.random() < 0.7 else None
        end = (ans or t) + rng.randrange(20_000, 400_000)
        return (tenant, cid, line, t, 3, None, None, None, None, t, f"{cid}-o", login, number, None, None, None,
                ans, f"{cid}-a" if ans else None, login if ans else None, None, None, None, None, None, None,
                end, agent_id, None)
    if r < 0.18 and live is None:  # ended in the menu (information, out of hours)
        return (tenant, cid, line, t, 2, t, f"{cid}-r", number, rng.choice(["open", "closed"]), None, None, None,
                None, None, None, None, None, None, None, t + 4_000, f"{cid}-m", digit, None, None, None,
                t + rng.randrange(10_000, 60_000), None, None)
    queued = t + rng.randrange(4_000, 15_000)
    wait = int(rng.expovariate(1 / 25_000))
    fate = rng.random()
    answered = abandoned = callback = ended = offered = None
    if live == "waiting":
        pass
    elif live == "ringing":
        offered = queued + wait
    elif live == "talking" or fate < 0.82:
        offered = queued + wait
        answered = offered + rng.randrange(2_000, 8_000)
        if live != "talking":
            ended = answered + rng.randrange(30_000, 600_000)
    elif fate < 0.95:
        abandoned = queued + wait
        ended = abandoned
    else:
        callback = queued + wait
        ended = callback + 5_000
    who = login if answered else None
    return (tenant, cid, line, t, 5, t, f"{cid}-r", number, "open", None, None, None, None, queued, f"{cid}-q",
            digit, answered, f"{cid}-a" if answered else None, who, t + 3_000, f"{cid}-m", digit, offered,
            abandoned, callback, ended, agent_id if answered else None, menu_id)


started = time.time()
batch = []
for i in range(calls_total):
    batch.append(call_row(i, int(start_ms + i * step)))
    if len(batch) == 20_000:
        db.executemany(SQL, batch)
        batch.clear()
db.executemany(SQL, batch)
# 30 live calls: 15 waiting, 5 ringing, 10 talking, started in the last minutes.
for j, live in enumerate(["waiting"] * 15 + ["ringing"] * 5 + ["talking"] * 10):
    db.execute(SQL, call_row(calls_total + j, now_ms - rng.randrange(20_000, 300_000), live))

# Agent states: each agent's working days (every other day), a few states a day, the current one open.
states = ["ready", "on_call", "after_call_work", "ready", "away", "on_call", "after_call_work", "ready"]
rows = []
for agent_id, login in agents:
    for d in range(days, -1, -2):
        t = now_ms - d * 86_400_000 - 8 * 3_600_000
        for k, s in enumerate(states):
            rows.append((tenant, login, agent_id, s, t, t + 3_000_000 if (d or k < len(states) - 1) else None,
                         f"bench-{login}-{d}-{k}"))
            t += 3_000_000
db.executemany("INSERT INTO agent_states (tenant_id, agent, agent_id, state, started_ms, ended_ms, event_id) "
               "VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
# A few events, so the version has a latest one.
db.executemany("INSERT INTO telephony_events (event_id, tenant_id, line, type, known, source, at_ms, received_ms) "
               "VALUES (?, ?, ?, 'call.note', 0, 'provider', ?, ?)",
               [(f"bench-ev-{k}", tenant, line, now_ms, now_ms) for k in range(300)])
db.commit()
db.execute("ANALYZE")
db.commit()
n = db.execute("SELECT COUNT(*) FROM calls WHERE tenant_id = ?", (tenant,)).fetchone()[0]
live = db.execute("SELECT COUNT(*) FROM calls WHERE tenant_id = ? AND live IS NOT NULL", (tenant,)).fetchone()[0]
print(f"bench data: {n} calls over {days} days, {live} live, {len(agents)} agents ({len(rows)} state intervals), "
      f"{len(menus)} queues; {time.time() - started:.0f} s")
