// Work management (업무관리) — SVC-4 (agent states after login and after a
// call, the after-call-work limit) and SVC-5 (the incoming-call popup URL).
//   GET/PUT /api/settings/work → {state_after_login: "ready"|"away",
//            state_after_call: "ready"|"after_call_work", acw_limit_seconds: null|int,
//            popup_url_template: null|string, popup_preview: null|string}
//   GET /api/settings/work/popup-preview?template=… → {url, placeholders} or 422 (field `template`)
// Field errors come back under the body's names and sit next to the inputs (UI-4);
// the preview's `template` error is shown next to the template input.
import { pageApi } from '../api.js';
import { clearFieldErrors, errorText, showFormErrors } from '../form-errors.js';
import { guard } from '../session.js';
import { serviceLevelCard } from './settings-service-level.js';
import { card, field, h, messageArea, pageHeader, replaceChildren, uid } from '../ui.js';
import { callbackPolicyBlock } from './settings-work-callbacks.js';
import { retentionBlock } from './settings-work-retention.js';

const PERM = 'manage';
const PLACEHOLDERS = ['caller', 'callId', 'dialed', 'agent', 'queue'];

export function render(main, ctx) {
  const { t, signal } = ctx;
  const api = pageApi(signal);
  const editable = !!guard(h('i', { dataset: { requires: PERM } }));
  const pageMsg = messageArea('work-message');

  function radios(name, legend, options) {
    const inputs = {};
    const labels = options.map(([value, key]) => {
      const r = h('input', { type: 'radio', name, value, id: uid('r'), dataset: { testid: `${name}-${value}` } });
      r.disabled = !editable;
      inputs[value] = r;
      return h('label', { class: 'radio', for: r.id }, r, ' ', t(key));
    });
    const set = h('fieldset', { class: 'radio-group' }, h('legend', {}, legend), labels);
    return {
      el: set,
      get: () => Object.entries(inputs).find(([, r]) => r.checked)?.[0] ?? null,
      set: (v) => {
        for (const [k, r] of Object.entries(inputs)) r.checked = k === v;
      },
    };
  }

  const afterLogin = radios('state_after_login', t('workset.afterLogin'), [
    ['ready', 'workset.state.ready'],
    ['away', 'workset.state.away'],
  ]);
  const afterCall = radios('state_after_call', t('workset.afterCall'), [
    ['ready', 'workset.state.ready'],
    ['after_call_work', 'workset.state.acw'],
  ]);

  const acwOn = h('input', { type: 'checkbox', id: uid('acw'), dataset: { testid: 'acw-limit-on' } });
  const acwIn = h('input', { type: 'number', name: 'acw_limit_seconds', min: '1', step: '1', inputmode: 'numeric', dataset: { testid: 'acw-limit' } });
  acwOn.disabled = acwIn.readOnly = !editable;
  const acwField = field(t('workset.acwSeconds'), acwIn, t('workset.acwHint'));
  const showAcw = () => {
    acwField.hidden = !acwOn.checked;
  };
  acwOn.addEventListener('change', () => {
    showAcw();
    if (acwOn.checked) acwIn.focus();
  });

  // ---- popup URL
  const tplIn = h('input', {
    type: 'url',
    name: 'popup_url_template',
    maxlength: '2000',
    autocomplete: 'off',
    autocapitalize: 'none',
    spellcheck: 'false',
    inputmode: 'url',
    dataset: { testid: 'popup-template' },
  });
  tplIn.readOnly = !editable;
  const insertButtons = PLACEHOLDERS.map((p) => {
    const b = h('button', { type: 'button', class: 'button small', 'aria-label': t('workset.insertN', { what: t(`workset.ph.${p}`) }), dataset: { testid: `insert-${p}` } }, t(`workset.ph.${p}`));
    b.hidden = !editable;
    b.addEventListener('click', () => {
      const token = `{${p}}`;
      const s = tplIn.selectionStart ?? tplIn.value.length;
      const e = tplIn.selectionEnd ?? s;
      tplIn.value = tplIn.value.slice(0, s) + token + tplIn.value.slice(e);
      tplIn.focus();
      try {
        tplIn.setSelectionRange(s + token.length, s + token.length);
      } catch {
        /* type=url has no selection API in some browsers */
      }
    });
    return b;
  });
  const tplField = field(t('workset.popupUrl'), tplIn, t('workset.popupHint'));
  tplField.append(h('div', { class: 'tts-tools', role: 'group', 'aria-label': t('workset.insertLabel') }, h('span', { class: 'muted' }, t('workset.insertLabel')), insertButtons));
  const previewBtn = h('button', { type: 'button', class: 'button', dataset: { testid: 'popup-preview-button' } }, t('workset.preview'));
  const previewOut = h('output', { class: 'popup-preview mono wrap', for: tplIn.id, dataset: { testid: 'popup-preview' } });
  const previewBox = h('div', { class: 'field popup-preview-box' }, h('span', { class: 'field-label' }, t('workset.previewLabel')), previewOut);
  previewBox.hidden = true;
  function showPreview(url) {
    previewOut.textContent = url ? String(url) : '';
    previewBox.hidden = !url;
  }

  const saveBtn = guard(h('button', { type: 'submit', class: 'button primary', dataset: { requires: PERM, testid: 'work-save' } }, t('workset.save')));
  const form = h(
    'form',
    { class: 'form work-form', novalidate: true, dataset: { testid: 'work-form' } },
    card(
      t('workset.statesTitle'),
      afterLogin.el,
      afterCall.el,
      h('div', { class: 'field checkbox-field' }, h('label', { for: acwOn.id }, acwOn, ' ', t('workset.acwLimit'))),
      acwField,
    ),
    card(t('workset.popupTitle'), h('p', { class: 'muted' }, t('workset.popupLead')), tplField, h('div', { class: 'form-actions' }, previewBtn), previewBox),
    saveBtn ? h('div', { class: 'form-actions sticky-actions' }, saveBtn) : null,
  );

  function templateErrors(err) {
    const fields = Object.create(null);
    for (const [k, v] of Object.entries(err?.fields || {})) fields[k === 'template' ? 'popup_url_template' : k] = v;
    return { code: err?.code, message: err?.message, fields };
  }

  previewBtn.addEventListener('click', async () => {
    clearFieldErrors(form);
    const tpl = tplIn.value.trim();
    if (!tpl) {
      showPreview('');
      return;
    }
    previewBtn.disabled = true;
    try {
      const r = await api('GET', `/api/settings/work/popup-preview?template=${encodeURIComponent(tpl)}`);
      if (!signal.aborted) showPreview(r?.url);
    } catch (err) {
      if (signal.aborted) return;
      showPreview('');
      showFormErrors(form, templateErrors(err), t);
    } finally {
      previewBtn.disabled = false;
    }
  });

  function show(d) {
    if (!d) return;
    afterLogin.set(d.state_after_login);
    afterCall.set(d.state_after_call);
    const limit = d.acw_limit_seconds;
    acwOn.checked = limit != null;
    acwIn.value = limit != null ? String(limit) : '';
    showAcw();
    tplIn.value = d.popup_url_template ?? '';
    showPreview(d.popup_preview);
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!saveBtn) return;
    clearFieldErrors(form);
    pageMsg.clear();
    const n = acwIn.value.trim() === '' ? NaN : Number(acwIn.value);
    const body = {
      state_after_login: afterLogin.get(),
      state_after_call: afterCall.get(),
      acw_limit_seconds: acwOn.checked ? (Number.isFinite(n) ? n : -1) : null,
      popup_url_template: tplIn.value.trim() || null,
    };
    saveBtn.disabled = true;
    try {
      const d = await api('PUT', '/api/settings/work', body);
      if (signal.aborted) return;
      show(d);
      pageMsg.show(t('workset.saved'));
    } catch (err) {
      if (signal.aborted) return;
      showFormErrors(form, templateErrors(err), t);
    } finally {
      saveBtn.disabled = false;
    }
  });

  replaceChildren(main, pageHeader(t('page.settings.work'), t('workset.lead')), pageMsg.el, form, serviceLevelCard(ctx), callbackPolicyBlock(ctx), retentionBlock(ctx));
  show({ state_after_login: 'ready', state_after_call: 'after_call_work', acw_limit_seconds: null, popup_url_template: null, popup_preview: null });

  (async () => {
    try {
      const d = await api('GET', '/api/settings/work');
      if (!signal.aborted) show(d);
    } catch (err) {
      if (signal.aborted) return;
      pageMsg.show(err?.status === 404 ? t('workset.unavailable') : errorText(err, t), 'error');
      if (err?.status === 404 && saveBtn) saveBtn.disabled = true;
    }
  })();
}
