// JSON API client for the Switchboard back end.
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
// - showFieldErrors() puts field errors next to form inputs (UI-4), always as
//   text (UI-5).
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
 * @throws {ApiError}
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

  let res;
  try {
    res = await fetch(path, init);
  } catch (e) {
    if (e && e.name === 'AbortError') throw e; // caller cancelled: not an API error
    throw new ApiError(0, 'network_error', (e && e.message) || 'Network error');
  }

  if (!res.ok) {
    const err = await errorFromResponse(res);
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
  const text = await res.text();
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

// ---------------------------------------------------------------------------
// Field errors (UI-4)

const ERROR_CLASS = 'field-error';
const SUMMARY_CLASS = 'form-error';

function controlsFor(form, name) {
  const item = form.elements.namedItem(name);
  if (!item) return [];
  // RadioNodeList (radio groups, repeated names) or a single element
  return typeof item.length === 'number' && !item.tagName ? [...item] : [item];
}

/** Remove errors added by showFieldErrors(). */
export function clearFieldErrors(form) {
  for (const el of form.querySelectorAll(`.${ERROR_CLASS}, .${SUMMARY_CLASS}`)) el.remove();
  for (const el of form.querySelectorAll('[aria-invalid="true"]')) {
    el.removeAttribute('aria-invalid');
    const ids = (el.getAttribute('aria-describedby') || '')
      .split(/\s+/)
      .filter((id) => id && !id.startsWith('err-'));
    if (ids.length) el.setAttribute('aria-describedby', ids.join(' '));
    else el.removeAttribute('aria-describedby');
  }
}

let errSeq = 0;

/**
 * Show an ApiError on a form: each entry of `apiError.fields` goes next to the
 * input with that `name` (in an element with role="alert", linked by
 * aria-describedby, the input marked aria-invalid). Fields without a matching
 * input, and the general message, go in a summary at the top of the form.
 * Focuses the first invalid input. Returns the number of matched fields.
 */
export function showFieldErrors(form, apiError) {
  clearFieldErrors(form);
  const fields = (apiError && apiError.fields) || {};
  const unmatched = [];
  let first = null;
  let matched = 0;

  for (const [name, message] of Object.entries(fields)) {
    const controls = controlsFor(form, name);
    if (!controls.length) {
      unmatched.push([name, message]);
      continue;
    }
    matched++;
    const id = `err-${++errSeq}`;
    const p = document.createElement('p');
    p.className = ERROR_CLASS;
    p.id = id;
    p.setAttribute('role', 'alert');
    p.dataset.field = name;
    p.textContent = String(message);

    for (const c of controls) {
      c.setAttribute('aria-invalid', 'true');
      const ids = (c.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
      ids.push(id);
      c.setAttribute('aria-describedby', ids.join(' '));
    }
    // Place it after the input's wrapper: .field / label / fieldset, or the input itself.
    const c0 = controls[0];
    const anchor =
      c0.closest('.field') ||
      (controls.length > 1 ? c0.closest('fieldset') : null) ||
      (c0.parentElement && c0.parentElement.tagName === 'LABEL' ? c0.parentElement : null);
    if (anchor) anchor.append(p);
    else c0.after(p);
    if (!first) first = c0;
  }

  const general = apiError && apiError.message ? String(apiError.message) : '';
  if (unmatched.length || general) {
    const box = document.createElement('div');
    box.className = SUMMARY_CLASS;
    box.setAttribute('role', 'alert');
    const lead = document.createElement('p');
    lead.textContent = general || t('form.fixErrors');
    box.append(lead);
    if (unmatched.length) {
      const ul = document.createElement('ul');
      for (const [name, message] of unmatched) {
        const li = document.createElement('li');
        li.textContent = `${name}: ${message}`;
        ul.append(li);
      }
      box.append(ul);
    }
    form.prepend(box);
  }

  if (first && typeof first.focus === 'function') first.focus();
  return matched;
}
