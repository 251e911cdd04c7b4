// Accounts for the browser tests: the platform operator from the environment
// (scripts/browser-test.sh sets it), unique login IDs per run, an API client
// that keeps its own session cookie + CSRF token (for setting up tenants and
// users without clicking through the UI), and signing a browser context in.
import { baseUrl } from './browser.mjs';

/** The platform operator of the instance under test. Throws when not configured. */
export function operator() {
  const login = process.env.SWITCHBOARD_OPERATOR_LOGIN;
  const password = process.env.SWITCHBOARD_OPERATOR_PASSWORD;
  if (!login || !password) {
    throw new Error(
      'SWITCHBOARD_OPERATOR_LOGIN / SWITCHBOARD_OPERATOR_PASSWORD are not set. Run scripts/browser-test.sh, ' +
        'or set them to the platform operator of the instance at SWITCHBOARD_URL.',
    );
  }
  return { login, password };
}

let seq = 0;
const runTag = Date.now().toString(36);

/** A login ID unique to this run: lower-case, ≤ 32 chars, [a-z0-9._-]. */
export function uniqueLogin(prefix) {
  seq += 1;
  return `${prefix}-${runTag}${process.pid.toString(36)}${seq}`.toLowerCase().slice(0, 32);
}

export const PASSWORD = 'test-password-123';

/** Thrown by ApiClient for a non-2xx answer. */
export class HttpError extends Error {
  constructor(method, path, status, body) {
    super(`${method} ${path} → ${status}: ${typeof body === 'string' ? body : JSON.stringify(body)}`);
    this.status = status;
    this.body = body;
    this.code = body?.error?.code;
  }
}

/** Node-side API client with its own session (cookie) and CSRF token. */
export class ApiClient {
  constructor() {
    this.cookies = new Map();
    this.csrf = null;
    this.user = null;
  }

  static async signIn(login, password) {
    const c = new ApiClient();
    const res = await c.call('POST', '/api/auth/login', { login_id: login, password });
    c.csrf = res.csrf_token;
    c.user = res.user;
    return c;
  }

  async call(method, path, body, { raw = false } = {}) {
    const headers = { Accept: 'application/json' };
    if (this.cookies.size) headers.Cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (method !== 'GET' && this.csrf) headers['X-CSRF-Token'] = this.csrf;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(`${baseUrl()}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect: 'manual',
    });
    for (const sc of res.headers.getSetCookie?.() ?? []) {
      const [pair] = sc.split(';');
      const i = pair.indexOf('=');
      if (i > 0) {
        const name = pair.slice(0, i).trim();
        const value = pair.slice(i + 1).trim();
        if (value === '' || /max-age=0\b/i.test(sc)) this.cookies.delete(name);
        else this.cookies.set(name, value);
      }
    }
    if (raw) return res;
    const text = await res.text();
    let parsed = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON */
    }
    if (!res.ok) throw new HttpError(method, path, res.status, parsed);
    return parsed;
  }
}

/**
 * Create a tenant with its first owner through the operator API.
 * `licenceCount` sets the tenant's licences (default 10); `numbers` are
 * provisioned to it by the operator (the only way a company gets numbers).
 * Returns { tenant, owner: { login, password, name, user } }.
 */
export async function createTenant(op, { name, ownerLogin, ownerName, timeZone = 'Asia/Seoul', licenceCount = 10, numbers = [] } = {}) {
  const login = ownerLogin || uniqueLogin('owner');
  const displayName = ownerName || `Owner ${login}`;
  const res = await op.call('POST', '/api/operator/tenants', {
    name: name || `Test Co ${login}`,
    business_number: '123-45-67890',
    representative: 'Kim Test',
    phone: '02-1234-5678',
    email: `${login}@example.com`,
    address: 'Seoul',
    time_zone: timeZone,
    plan: 'basic',
    licence_count: licenceCount,
    service_start: '2026-01-01',
    service_end: '2027-12-31',
    owner: { login_id: login, name: displayName, password: PASSWORD },
  });
  for (const number of numbers) {
    await op.call('POST', '/api/operator/numbers', { number, tenant_id: res.tenant.id });
  }
  return { tenant: res.tenant, owner: { login, password: PASSWORD, name: displayName, user: res.owner } };
}

let numberSeq = 0;
/**
 * A telephone number no other test of this run uses: `prefix` (070, 02,
 * 010 …) and eight digits from the run and a counter, as digits.
 */
export function uniqueNumber(prefix = '070') {
  numberSeq += 1;
  // Subscriber numbers start with 2–9.
  const tail = String(20000000 + ((Date.now() + process.pid * 7919 + numberSeq * 104729) % 70000000));
  return `${prefix}${tail}`;
}

/**
 * Sign a browser context in (its cookie jar gets the session cookie) without
 * the login form. Returns the login response body ({user, csrf_token}).
 */
export async function signInContext(context, login, password) {
  const res = await context.request.post('/api/auth/login', {
    data: { login_id: login, password },
    headers: { Accept: 'application/json' },
  });
  const body = await res.json().catch(() => null);
  if (!res.ok()) throw new Error(`sign-in of ${login} failed: ${res.status()} ${JSON.stringify(body)}`);
  return body;
}
