// Showing API errors to the user (UI-4, UI-5): field errors next to the form
// inputs, a summary at the top of the form, and the text for an error in the
// user's language. Everything is written as text, never as HTML.
// (api.js is the transport and ApiError; this module is the DOM side.)
import { isAborted } from './api.js';
import { t } from './i18n.js';

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

/** Text for an error thrown by api(): the server's message, or a translated fallback ('' for an aborted call). */
export function errorText(err, t) {
  if (!err || isAborted(err)) return '';
  if (err.code === 'network_error' || err.code === 'timeout') return t('error.network');
  return String(err.message || err);
}

/**
 * showFieldErrors() with the lead text in the user's language: the server's
 * generic validation message (English, for developers) is replaced by
 * "Please correct the errors below."; other messages (401/403/409/429 …)
 * are the server's own and are shown as they are. An aborted call shows
 * nothing (returns 0).
 */
export function showFormErrors(form, err, t) {
  if (isAborted(err)) return 0;
  let message;
  if (!err || err.code === 'validation_failed') message = t('form.fixErrors');
  else if (err.code === 'network_error' || err.code === 'timeout') message = t('error.network');
  else message = err.message;
  return showFieldErrors(form, { message, fields: (err && err.fields) || {} });
}
