// The telephony provider's side for the browser tests: events signed as the
// provider signs them (README, "Telephony webhook"), with the secret
// scripts/browser-test.sh gives the dev server (SWITCHBOARD_WEBHOOK_SECRET).
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { baseUrl } from './browser.mjs';

export const WEBHOOK_SECRET = process.env.SWITCHBOARD_WEBHOOK_SECRET || '';

let seq = 0;

/**
 * Posts `events` ([type, fields, offset seconds]) on `line` as one signed
 * batch, each at now + its offset, with IDs `<prefix>-<now>-<n>`; asserts 200.
 */
export async function deliver(line, events, prefix = 'bt') {
  const now = Date.now();
  const body = JSON.stringify({
    events: events.map(([type, fields, offsetS = 0]) => ({
      id: `${prefix}-${now}-${++seq}`,
      type,
      at: new Date(now + offsetS * 1000).toISOString(),
      line,
      ...fields,
    })),
  });
  const ts = Math.floor(now / 1000);
  const sig = `v1=${createHmac('sha256', WEBHOOK_SECRET).update(`${ts}.${body}`).digest('hex')}`;
  const res = await fetch(`${baseUrl()}/hooks/events`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Switchboard-Timestamp': String(ts), 'X-Switchboard-Signature': sig },
    body,
  });
  assert.equal(res.status, 200, await res.text());
}
