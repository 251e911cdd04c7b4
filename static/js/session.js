// The signed-in session (AUTH-3) and the one place that decides what the
// user may see and do (AUTH-2).
//
// - loadSession() asks GET /api/auth/me; login() / logout() change the session.
// - can(permission) is the permission check. Permissions come from /me:
//   owner ["read","download","manage","manage_access"], manager
//   ["read","download","manage"], viewer ["read"], operator ["operator"].
// - Controls that edit or download carry data-requires="manage" | "download" |
//   "manage_access"; pages pass them through guard() (not rendered without
//   the permission) and the router runs enforceRequires() on every page as a
//   safety net. Nothing else in the UI checks roles.
// - routeAllowed(route) decides which pages (and nav items) the user gets.
import { api, onUnauthorized, setCsrfToken } from './api.js';

const EMPTY = Object.freeze({ user: null, tenant: null, permissions: Object.freeze([]) });
let state = EMPTY;
const listeners = new Set();

function notify() {
  for (const fn of [...listeners]) {
    try {
      fn(state);
    } catch (e) {
      console.warn('session listener failed', e);
    }
  }
}

/** Current session: { user, tenant, permissions } (user null when signed out). */
export function session() {
  return state;
}

export function signedIn() {
  return !!state.user;
}

export function isOperator() {
  return state.permissions.includes('operator') || state.user?.role === 'operator';
}

/** The permission check: true when the signed-in user holds `permission`. */
export function can(permission) {
  return !!permission && state.permissions.includes(permission);
}

/**
 * An element marked data-requires="<permission>" is returned only when the
 * user holds that permission (else null, so h() skips it). Unmarked elements
 * pass through.
 */
export function guard(el) {
  if (!el) return null;
  const p = el.dataset ? el.dataset.requires : undefined;
  return p === undefined || can(p) ? el : null;
}

/** Remove every [data-requires] element under `root` the user may not use. */
export function enforceRequires(root) {
  if (!root || typeof root.querySelectorAll !== 'function') return;
  for (const el of root.querySelectorAll('[data-requires]')) {
    if (!can(el.dataset.requires)) el.remove();
  }
}

/**
 * Whether the user may open a route (and sees it in the nav).
 * Route flags (routes.js): `public` (login), `requires` ("operator" or a
 * permission), `audience: "all"` (tenant users and the operator alike).
 * Everything else is a tenant page: hidden for the operator.
 */
export function routeAllowed(route) {
  if (!route) return false;
  if (route.public) return true;
  if (!signedIn()) return false;
  if (isOperator()) return route.requires === 'operator' || route.audience === 'all';
  if (route.requires === 'operator') return false;
  return !route.requires || can(route.requires);
}

/** The tenant's time zone (operator and unknown: the platform default). */
export function timeZone() {
  return (state.tenant && state.tenant.time_zone) || 'Asia/Seoul';
}

/** Register a listener for session changes; returns an unsubscribe function. */
export function onSessionChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function setFromMe(me) {
  const perms = Array.isArray(me && me.permissions) ? me.permissions.map(String) : [];
  state = Object.freeze({
    user: (me && me.user) || null,
    tenant: (me && me.tenant) || null,
    permissions: Object.freeze(perms),
  });
  setCsrfToken(me && me.csrf_token);
}

/** Forget the session locally (after logout or a 401). */
export function clearSession() {
  const had = !!state.user;
  state = EMPTY;
  setCsrfToken(null);
  if (had) notify();
}

/**
 * GET /api/auth/me. Resolves true when signed in, false on 401. Other errors
 * (network, server) are thrown; the session is then treated as signed out.
 */
export async function loadSession() {
  try {
    const me = await api('GET', '/api/auth/me', undefined, { noAuthRedirect: true });
    setFromMe(me);
    notify();
    return true;
  } catch (e) {
    state = EMPTY;
    setCsrfToken(null);
    notify();
    if (e && e.status === 401) return false;
    throw e;
  }
}

/** POST /api/auth/login, then /me for the tenant and permissions. Throws ApiError. */
export async function login(loginId, password) {
  const res = await api('POST', '/api/auth/login', { login_id: loginId, password }, { noAuthRedirect: true });
  setCsrfToken(res && res.csrf_token);
  const ok = await loadSession();
  if (!ok) {
    // Signed in but /me says otherwise (cookie refused?): report it like a 401.
    const err = new Error('session cookie not accepted');
    err.status = 401;
    err.code = 'unauthenticated';
    throw err;
  }
  return state;
}

/** POST /api/auth/logout; the local session is cleared even when the call fails. */
export async function logout() {
  try {
    await api('POST', '/api/auth/logout', undefined, { noAuthRedirect: true });
  } finally {
    clearSession();
  }
}

/** Start page for the signed-in user. */
export function defaultPath() {
  return isOperator() ? '/admin/tenants' : '/dashboard';
}

// Any 401 from a later API call: the session is gone; the app sends the user to login.
let expiredHandler = null;
export function onSessionExpired(fn) {
  expiredHandler = fn;
}
onUnauthorized(() => {
  clearSession();
  if (expiredHandler) expiredHandler();
});
