// JSON API client for the Switchboard back end: transport and ApiError only
// (showing errors on forms is form-errors.js).
//
// - Same-origin cookies (the session cookie is HttpOnly, SameSite=Strict).
// - State-changing requests carry the CSRF token in `X-CSRF-Token` (AUTH-3);
//   the token is set by the login/session code through setCsrfToken().
// - Every non-2xx answer becomes an ApiError. The server's error body is
//   {"error": {"code": "...", "message": "...",
//              "fields": {"name": {"code": "...", "message": "...", "params": {...}}}}};
//   a body that is not of that shape (an HTML 404 page, a proxy error) gives
//   code "http_<status>" so callers can always branch on `code`.
// - The server's messages are English; the user reads the UI's own text for
//   each code (`error.<code>`, `field.<code>` in i18n/*.js), in their language.
// - Cancelling: api(…, { signal }) hands the signal to fetch. When the signal
//   aborts, the call rejects with ApiError(status 0, code "aborted") — or code
//   "timeout" when the signal was AbortSignal.timeout() — and never runs the
//   401 handler. isAborted(err) tells such an error apart; it is not something
//   to show the user (the page that asked is gone).
// - Pages get one AbortSignal per visit (ctx.signal, aborted by the router on
//   navigation) and call through pageApi(signal): its reads (GET/HEAD) are
//   cancelled on navigation; its writes run to completion (a save or upload the
//   user started is not cut off half-way), and the page ignores their outcome
//   once `signal.aborted`.
import { has, t } from './i18n.js';

let csrfToken = null;

/** Set (or clear with null) the CSRF token sent on non-GET requests. */
export function setCsrfToken(token) {
  csrfToken = token == null || token === '' ? null : String(token);
}

export function getCsrfToken() {
  return csrfToken;
}

let unauthorizedHandler = null;

/**
 * Register the function called when an API call answers 401 (the session is
 * missing or expired). The session code uses it to send the user back to the
 * login page. Calls made with `{ noAuthRedirect: true }` (login itself, the
 * start-up /api/auth/me) do not trigger it.
 */
export function onUnauthorized(fn) {
  unauthorizedHandler = typeof fn === 'function' ? fn : null;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export class ApiError extends Error {
  /**
   * @param {number} status HTTP status (0 when the request never got an answer)
   * @param {string} code   machine-readable code from the server, or a fallback
   * @param {string} message human-readable message
   * @param {Record<string,string>} [fields] per-field messages keyed by input name
   */
  constructor(status, code, message, fields = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields;
  }
}

/** The error an aborted call rejects with: code "timeout" for AbortSignal.timeout(), else "aborted". */
function abortedError(signal) {
  const timeout = signal.reason?.name === 'TimeoutError';
  return new ApiError(0, timeout ? 'timeout' : 'aborted', timeout ? 'Request timed out' : 'Request aborted');
}

/** Whether `err` is the rejection of a call whose signal aborted (not a timeout): nothing to show. */
export function isAborted(err) {
  return err instanceof ApiError && err.code === 'aborted';
}

function isFormLike(body) {
  return (
    (typeof FormData !== 'undefined' && body instanceof FormData) ||
    (typeof Blob !== 'undefined' && body instanceof Blob) ||
    (typeof URLSearchParams !== 'undefined' && body instanceof URLSearchParams) ||
    body instanceof ArrayBuffer
  );
}

/** The UI's text for a coded field error, or the server's message. */
function fieldText(v) {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const key = `field.${v.code}`;
    if (typeof v.code === 'string' && has(key)) return t(key, v.params || {});
    return String(v.message ?? v.code ?? '');
  }
  return Array.isArray(v) ? v.map(String).join(' ') : String(v);
}

function fieldsFrom(raw) {
  const out = Object.create(null); // keys come from the server: no prototype to reach
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    for (const [k, v] of Object.entries(raw)) {
      if (v == null) continue;
      out[k] = fieldText(v);
    }
  }
  return out;
}

/** The UI's text for an error code, or the server's message. */
function errorMessage(code, serverMessage, params) {
  const key = `error.${code}`;
  if (!has(key)) return serverMessage;
  return t(key, params && typeof params === 'object' ? params : {});
}

/** Build an ApiError from a non-2xx Response. Never throws anything else. */
export async function errorFromResponse(res) {
  const fallbackCode = `http_${res.status}`;
  const fallbackMessage = `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
  let text = '';
  try {
    text = await res.text();
  } catch {
    /* body unreadable: use the fallback */
  }
  let parsed = null;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null; // HTML error page or plain text
    }
  }
  const err = parsed && typeof parsed === 'object' ? parsed.error : null;
  if (err && typeof err === 'object') {
    const code = typeof err.code === 'string' && err.code ? err.code : fallbackCode;
    const message = typeof err.message === 'string' && err.message ? err.message : fallbackMessage;
    const apiErr = new ApiError(res.status, code, errorMessage(code, message, err.params), fieldsFrom(err.fields));
    if (err.params && typeof err.params === 'object') apiErr.params = err.params; // e.g. menu_in_use {agents}
    return apiErr;
  }
  return new ApiError(res.status, fallbackCode, fallbackMessage);
}

/**
 * Call the API.
 * @param {string} method  HTTP method
 * @param {string} path    absolute path, e.g. "/api/dashboard/health"
 * @param {*} [body]       JSON-serialisable value, or FormData/Blob/URLSearchParams sent as is
 * @param {{signal?: AbortSignal, headers?: Record<string,string>, noAuthRedirect?: boolean}} [opts]
 * @returns parsed JSON, text for a non-JSON success body, or null when empty
 * @throws {ApiError} (code "aborted"/"timeout" when `opts.signal` aborted the call)
 */
export async function api(method, path, body, opts = {}) {
  const m = String(method || 'GET').toUpperCase();
  const headers = { Accept: 'application/json', ...(opts.headers || {}) };
  const init = { method: m, headers, credentials: 'same-origin', signal: opts.signal };

  if (body !== undefined && !SAFE_METHODS.has(m)) {
    if (isFormLike(body)) {
      init.body = body; // the browser sets the multipart/form content type
    } else {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
  }
  if (!SAFE_METHODS.has(m) && csrfToken) headers['X-CSRF-Token'] = csrfToken;

  const signal = opts.signal;
  let res;
  try {
    res = await fetch(path, init);
  } catch (e) {
    if (signal?.aborted) throw abortedError(signal);
    throw new ApiError(0, 'network_error', (e && e.message) || 'Network error');
  }

  if (!res.ok) {
    const err = await errorFromResponse(res);
    if (signal?.aborted) throw abortedError(signal); // the asker is gone: no 401 redirect either
    if (err.status === 401 && !opts.noAuthRedirect && unauthorizedHandler) {
      try {
        unauthorizedHandler(err, path);
      } catch (e) {
        console.warn('unauthorized handler failed', e);
      }
    }
    throw err;
  }

  if (res.status === 204 || m === 'HEAD') return null;
  let text;
  try {
    text = await res.text();
  } catch (e) {
    if (signal?.aborted) throw abortedError(signal);
    throw new ApiError(0, 'network_error', (e && e.message) || 'Network error');
  }
  if (!text) return null;
  const type = res.headers.get('Content-Type') || '';
  if (/[/+]json\b/i.test(type)) {
    try {
      return JSON.parse(text);
    } catch {
      throw new ApiError(res.status, 'invalid_json', 'The server sent invalid JSON.');
    }
  }
  return text;
}

export const get = (path, opts) => api('GET', path, undefined, opts);
export const post = (path, body, opts) => api('POST', path, body, opts);
export const put = (path, body, opts) => api('PUT', path, body, opts);
export const patch = (path, body, opts) => api('PATCH', path, body, opts);
export const del = (path, body, opts) => api('DELETE', path, body, opts);

/**
 * api() for a page visit: reads (GET/HEAD) carry `signal`, so navigating away
 * cancels them; writes do not (see the module comment).
 */
export function pageApi(signal) {
  return (method, path, body, opts = {}) =>
    SAFE_METHODS.has(String(method || 'GET').toUpperCase()) ? api(method, path, body, { signal, ...opts }) : api(method, path, body, opts);
}
