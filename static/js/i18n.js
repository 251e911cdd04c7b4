// Internationalisation (UI-2): Korean and English, Korean by default for a
// Korean browser. Every user-visible string goes through t(key).
//
// The chosen language is stored in localStorage under STORAGE_KEY; the
// <html lang> attribute follows it; listeners registered with onLangChange()
// re-render the UI without a reload.
import en from './i18n/en.js';
import ko from './i18n/ko.js';

export const LANGS = Object.freeze(['ko', 'en']);
export const STORAGE_KEY = 'switchboard.lang';

const DICTS = { en, ko };
const listeners = new Set();
let current = 'en';

function readStored() {
  try {
    const v = globalThis.localStorage?.getItem(STORAGE_KEY);
    return LANGS.includes(v) ? v : null;
  } catch {
    return null; // storage disabled (privacy mode, sandboxed frame)
  }
}

function writeStored(lang) {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, lang);
  } catch {
    /* not fatal: the choice just will not survive a reload */
  }
}

/** Language from the browser preferences: 'ko' if the preferred one is Korean, else 'en'. */
export function browserLang(nav = globalThis.navigator) {
  const preferred = (nav?.languages && nav.languages[0]) || nav?.language || '';
  return preferred.toLowerCase().startsWith('ko') ? 'ko' : 'en';
}

/** Stored choice first, then the browser preference. */
export function detectLang() {
  return readStored() ?? browserLang();
}

export function getLang() {
  return current;
}

/**
 * Switch language. `persist` saves the choice (an explicit user choice);
 * initial detection does not save, so a browser-language change still applies
 * until the user picks one.
 */
export function setLang(lang, { persist = true } = {}) {
  if (!LANGS.includes(lang)) throw new Error(`unsupported language: ${lang}`);
  const changed = lang !== current;
  current = lang;
  if (persist) writeStored(lang);
  if (globalThis.document) document.documentElement.lang = lang;
  if (changed) for (const fn of [...listeners]) fn(lang);
}

/** Register a listener; returns an unsubscribe function. */
export function onLangChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/**
 * Translate a key. Missing keys fall back to English, then to the key itself
 * (so a missing string is visible, not blank). `{name}` placeholders are
 * replaced from `params`.
 */
export function t(key, params) {
  let s = DICTS[current][key] ?? DICTS.en[key] ?? key;
  if (params) {
    s = s.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
  }
  return s;
}

/** Whether a key has text in the current language or in English. */
export function has(key) {
  return key in DICTS[current] || key in DICTS.en;
}

/** Locale tag for Intl formatters. */
export function locale() {
  return current === 'ko' ? 'ko-KR' : 'en-US';
}
