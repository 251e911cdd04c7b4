// ARS service (ARS서비스) — ARS-1, ARS-2, ARS-3, ARS-6. Owners and managers (manage).
//   GET  /api/settings/ars            → {saved, representative_number(_digits), caller_id(_digits),
//                                        greeting: {kind:"text",text,chars}|{kind:"audio",audio_id,audio},
//                                        out_of_hours, connecting, busy, busy_wait_seconds, callback,
//                                        limits: {max_chars, busy_wait_seconds: {min,max}}}
//   PUT  /api/settings/ars            same fields (numbers may be null; greeting {kind,text|audio_id})
//   GET  /api/settings/numbers        → {items: [{number, formatted, since, until, current}]}: the
//                                        numbers provisioned to the company, chosen from in selects
//   GET  /api/settings/ars/defaults?lang=ko|en → {greeting, out_of_hours, connecting, busy, callback}
//   GET  /api/settings/audio          → {items: [AudioMeta]}
//   POST /api/settings/audio?name=…   raw WAV/MP3 body with its media type → 201 AudioMeta
//   GET  /api/settings/audio/{id}     the file (played by <audio>)
//   GET/POST /api/settings/menus, PATCH/DELETE /api/settings/menus/{id}[?force=true]
// Field errors arrive under the JSON paths (greeting.text, menus: digit, queue,
// message.text …) and are shown next to the inputs of the same name (UI-4).
// The character counters count grapheme clusters like the server (Intl.Segmenter).
// Business hours and holidays (ARS-4, ARS-5) are two more cards, built in settings-hours.js.
import { pageApi } from '../api.js';
import { clearFieldErrors, errorText, showFormErrors } from '../form-errors.js';
import { can, guard } from '../session.js';
import { card, field, h, messageArea, pageHeader, replaceChildren, uid, dataTable, confirmInRow } from '../ui.js';
import { holidaysSection, hoursSection } from './settings-hours.js';
import { targetsButton } from './settings-queue-targets.js';

const PERM = 'manage';
const PROMPTS = ['connecting', 'busy', 'callback', 'out_of_hours'];
const PROMPT_LABEL = { connecting: 'ars.connecting', busy: 'ars.busy', callback: 'ars.callback', out_of_hours: 'ars.outOfHours' };
const AUDIO_TYPES = 'audio/wav,audio/x-wav,audio/wave,audio/mpeg,audio/mp3,.wav,.mp3';

const segmenter = typeof Intl !== 'undefined' && Intl.Segmenter ? new Intl.Segmenter(undefined, { granularity: 'grapheme' }) : null;

/** Characters as the server counts them: grapheme clusters of the trimmed text. */
export function charCount(text) {
  const s = String(text ?? '').trim().replace(/\r\n/g, '\n');
  if (!segmenter) return [...s].length;
  let n = 0;
  for (const _ of segmenter.segment(s)) n++;
  return n;
}

function formatSize(bytes, lang) {
  const mb = bytes / (1024 * 1024);
  const nf = new Intl.NumberFormat(lang === 'ko' ? 'ko-KR' : 'en-US', { maximumFractionDigits: 1 });
  return lang === 'ko' ? (mb >= 0.1 ? `${nf.format(mb)}메가바이트` : `${nf.format(bytes / 1024)}킬로바이트`) : mb >= 0.1 ? `${nf.format(mb)} MB` : `${nf.format(bytes / 1024)} KB`;
}

export function render(main, ctx) {
  const { t, lang, signal } = ctx;
  const api = pageApi(signal);
  const editable = can(PERM);
  let maxChars = 200;
  let audioFiles = [];
  const cleanups = [];
  const pageMsg = messageArea('ars-message');

  // ---- text areas with a live counter, default-text button and (greeting) listen button
  const defaultsLang = h(
    'select',
    { dataset: { testid: 'defaults-lang' } },
    h('option', { value: 'ko', selected: lang === 'ko' }, t('ars.lang.ko')),
    h('option', { value: 'en', selected: lang !== 'ko' }, t('ars.lang.en')),
  );
  const defaultsCache = {};
  async function defaults() {
    const l = defaultsLang.value;
    if (!defaultsCache[l]) defaultsCache[l] = await api('GET', `/api/settings/ars/defaults?lang=${encodeURIComponent(l)}`);
    return defaultsCache[l];
  }

  function ttsArea(name, labelKey, { listen = false } = {}) {
    const area = h('textarea', { name, rows: '3', dataset: { testid: `ars-${name.replace(/\./g, '-')}` } });
    area.readOnly = !editable;
    const counter = h('span', { class: 'char-counter', 'aria-live': 'polite', dataset: { testid: `counter-${name.replace(/\./g, '-')}` } });
    const update = () => {
      const n = charCount(area.value);
      counter.textContent = t('ars.counter', { n, max: maxChars });
      counter.setAttribute('aria-label', t('ars.counterLabel', { n, max: maxChars }));
      counter.classList.toggle('over', n > maxChars);
    };
    area.addEventListener('input', update);
    const key = name === 'greeting.text' ? 'greeting' : name;
    const fill = guard(h('button', { type: 'button', class: 'button small', dataset: { requires: PERM, testid: `default-${key}` } }, t('ars.defaultText')));
    if (fill) {
      fill.addEventListener('click', async () => {
        fill.disabled = true;
        try {
          const d = await defaults();
          if (signal.aborted) return;
          area.value = String(d?.[key] ?? '');
          update();
          pageMsg.show(t('ars.defaultsFilled'));
          area.focus();
        } catch (err) {
          if (!signal.aborted) pageMsg.show(errorText(err, t), 'error');
        } finally {
          fill.disabled = false;
        }
      });
    }
    let listenBtn = null;
    if (listen) {
      const synth = globalThis.speechSynthesis;
      listenBtn = h('button', { type: 'button', class: 'button small', dataset: { testid: 'listen' } }, t('ars.listen'));
      if (!synth || typeof SpeechSynthesisUtterance === 'undefined') {
        listenBtn.disabled = true;
        listenBtn.title = t('ars.noSpeech');
      } else {
        let speaking = false;
        const stop = () => {
          synth.cancel();
          speaking = false;
          listenBtn.textContent = t('ars.listen');
        };
        cleanups.push(() => synth.cancel());
        listenBtn.addEventListener('click', () => {
          if (speaking) return stop();
          const text = area.value.trim();
          if (!text) return;
          const u = new SpeechSynthesisUtterance(text);
          const wantKo = lang === 'ko' || /[\uAC00-\uD7A3]/.test(text);
          u.lang = wantKo ? 'ko-KR' : 'en-US';
          const voice = synth.getVoices().find((v) => v.lang && v.lang.toLowerCase().startsWith(wantKo ? 'ko' : 'en'));
          if (voice) u.voice = voice;
          u.onend = stop;
          u.onerror = stop;
          synth.cancel();
          synth.speak(u);
          speaking = true;
          listenBtn.textContent = t('ars.stop');
        });
      }
    }
    const wrap = field(t(labelKey), area);
    wrap.append(h('div', { class: 'tts-tools' }, counter, fill, listenBtn));
    return { area, update, wrap };
  }

  // ---- numbers ---------------------------------------------------------------
  // The platform operator provisions numbers to the company (issue 14,
  // finding 1); the company picks among those it holds now.
  const repIn = h('select', { name: 'representative_number', dataset: { testid: 'ars-representative' } });
  const callerIn = h('select', { name: 'caller_id', dataset: { testid: 'ars-caller-id' } });
  repIn.disabled = callerIn.disabled = !editable;
  const repField = field(t('ars.representative'), repIn, t('ars.representativeHint'));
  const callerField = field(t('ars.callerId'), callerIn, t('ars.callerIdHint'));
  const noNumbers = h('p', { class: 'muted', dataset: { testid: 'ars-no-numbers' } }, t('ars.noNumbers'));
  noNumbers.hidden = true;
  let ownNumbers = [];
  function fillNumbers(sel, chosen) {
    const opts = [h('option', { value: '' }, t('ars.numberNone'))];
    const digits = ownNumbers.map((n) => n.number);
    for (const n of ownNumbers) opts.push(h('option', { value: n.number }, n.formatted));
    // A saved number no longer held (released) is shown, so the page tells the truth.
    if (chosen && !digits.includes(chosen)) opts.push(h('option', { value: chosen }, chosen));
    replaceChildren(sel, ...opts);
    sel.value = chosen || '';
  }

  // ---- greeting ----------------------------------------------------------------
  const groupName = uid('greeting-kind');
  const kindRadio = (value, labelKey) => {
    const r = h('input', { type: 'radio', name: 'greeting.kind', value, id: uid('gk'), dataset: { testid: `greeting-kind-${value}` } });
    r.disabled = !editable;
    return { r, label: h('label', { class: 'radio', for: r.id }, r, ' ', t(labelKey)) };
  };
  const kText = kindRadio('text', 'ars.kindText');
  const kAudio = kindRadio('audio', 'ars.kindAudio');
  const kindSet = h('fieldset', { class: 'radio-group', id: groupName }, h('legend', {}, t('ars.greetingKind')), kText.label, kAudio.label);

  const greeting = ttsArea('greeting.text', 'ars.greetingText', { listen: true });
  const textBox = h('div', { class: 'greeting-text' }, greeting.wrap);

  const audioSel = h('select', { name: 'greeting.audio_id', dataset: { testid: 'greeting-audio' } });
  audioSel.disabled = !editable;
  const player = h('audio', { controls: true, preload: 'none', 'aria-label': t('ars.player'), dataset: { testid: 'greeting-player' } });
  player.hidden = true;
  const fileIn = guard(h('input', { type: 'file', name: 'greeting.file', accept: AUDIO_TYPES, dataset: { requires: PERM, testid: 'greeting-file' } }));
  const uploadState = h('p', { class: 'muted', role: 'status' });
  const audioBox = h(
    'div',
    { class: 'greeting-audio' },
    field(t('ars.audioFile'), audioSel),
    player,
    fileIn ? field(t('ars.upload'), fileIn, t('ars.uploadHint')) : null,
    uploadState,
  );

  function fillAudioOptions(selected) {
    const cur = selected ?? audioSel.value;
    replaceChildren(
      audioSel,
      h('option', { value: '' }, t('ars.audioNone')),
      audioFiles.map((a) => h('option', { value: String(a.id), selected: String(a.id) === String(cur) }, t('ars.audioOption', { name: String(a.name ?? ''), size: formatSize(Number(a.size) || 0, lang) }))),
    );
    updatePlayer();
  }
  function updatePlayer() {
    const id = audioSel.value;
    player.hidden = !id;
    if (id) {
      const src = `/api/settings/audio/${encodeURIComponent(id)}`;
      if (player.getAttribute('src') !== src) player.setAttribute('src', src);
    } else player.removeAttribute('src');
  }
  audioSel.addEventListener('change', updatePlayer);

  function showKind() {
    const audio = kAudio.r.checked;
    textBox.hidden = audio;
    audioBox.hidden = !audio;
  }
  kText.r.addEventListener('change', showKind);
  kAudio.r.addEventListener('change', showKind);

  // ---- other prompts -------------------------------------------------------------
  const prompts = Object.fromEntries(PROMPTS.map((p) => [p, ttsArea(p, PROMPT_LABEL[p])]));
  const waitIn = h('input', { name: 'busy_wait_seconds', type: 'number', inputmode: 'numeric', min: '5', max: '600', step: '1', dataset: { testid: 'ars-busy-wait' } });
  waitIn.readOnly = !editable;
  const waitField = field(t('ars.busyWait'), waitIn, t('ars.busyWaitHint', { min: 5, max: 600 }));

  const saveBtn = guard(h('button', { type: 'submit', class: 'button primary', dataset: { requires: PERM, testid: 'ars-save' } }, t('ars.save')));
  const savedNote = h('p', { class: 'muted', dataset: { testid: 'ars-not-saved' } });
  savedNote.hidden = true;

  const form = h(
    'form',
    { class: 'form ars-form', novalidate: true, dataset: { testid: 'ars-form' } },
    savedNote,
    card(t('ars.numbersTitle'), noNumbers, h('div', { class: 'form-grid' }, repField, callerField)),
    card(t('ars.greetingTitle'), kindSet, textBox, audioBox),
    card(
      t('ars.promptsTitle'),
      guard(h('div', { class: 'field defaults-lang', dataset: { requires: PERM } }, h('label', { for: (defaultsLang.id = uid('dl')) }, t('ars.defaultLang')), defaultsLang)),
      prompts.connecting.wrap,
      prompts.busy.wrap,
      waitField,
      prompts.callback.wrap,
      prompts.out_of_hours.wrap,
    ),
    saveBtn ? h('div', { class: 'form-actions sticky-actions' }, saveBtn) : null,
  );

  if (fileIn) {
    fileIn.addEventListener('change', async () => {
      const file = fileIn.files && fileIn.files[0];
      if (!file) return;
      clearFieldErrors(form);
      uploadState.textContent = t('ars.uploading');
      fileIn.disabled = true;
      try {
        const name = (file.name || 'audio').slice(0, 100);
        const type = file.type || (/\.mp3$/i.test(file.name) ? 'audio/mpeg' : 'audio/wav');
        const meta = await api('POST', `/api/settings/audio?name=${encodeURIComponent(name)}`, file, { headers: { 'Content-Type': type } });
        if (signal.aborted) return;
        audioFiles = [meta, ...audioFiles.filter((a) => a.id !== meta.id)];
        fillAudioOptions(meta.id);
        uploadState.textContent = t('ars.uploaded', { name: String(meta.name ?? name) });
      } catch (err) {
        if (signal.aborted) return;
        uploadState.textContent = '';
        const fields = Object.create(null);
        for (const [k, v] of Object.entries(err?.fields || {})) fields[k === 'file' || k === 'name' ? 'greeting.file' : k] = v;
        showFormErrors(form, { code: err?.code, message: err?.message, fields: Object.keys(fields).length ? fields : { 'greeting.file': errorText(err, t) } }, t);
      } finally {
        fileIn.disabled = false;
        fileIn.value = '';
      }
    });
  }

  function showArs(d) {
    if (!d) return;
    maxChars = Number(d.limits?.max_chars) || 200;
    const bw = d.limits?.busy_wait_seconds;
    if (bw) {
      waitIn.min = String(bw.min);
      waitIn.max = String(bw.max);
    }
    fillNumbers(repIn, d.representative_number_digits ?? '');
    fillNumbers(callerIn, d.caller_id_digits ?? '');
    noNumbers.hidden = ownNumbers.length > 0;
    const g = d.greeting || { kind: 'text', text: '' };
    kText.r.checked = g.kind !== 'audio';
    kAudio.r.checked = g.kind === 'audio';
    greeting.area.value = g.kind === 'text' ? String(g.text ?? '') : greeting.area.value;
    if (g.kind === 'audio') {
      if (g.audio && !audioFiles.some((a) => a.id === g.audio.id)) audioFiles.unshift(g.audio);
      fillAudioOptions(g.audio_id);
    }
    greeting.update();
    for (const p of PROMPTS) {
      prompts[p].area.value = String(d[p] ?? '');
      prompts[p].update();
    }
    waitIn.value = String(d.busy_wait_seconds ?? '');
    savedNote.hidden = !!d.saved;
    savedNote.textContent = d.saved ? '' : t('ars.notSavedYet');
    showKind();
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!saveBtn) return;
    clearFieldErrors(form);
    pageMsg.clear();
    const body = {
      representative_number: repIn.value || null,
      caller_id: callerIn.value || null,
      greeting: kAudio.r.checked
        ? { kind: 'audio', audio_id: audioSel.value ? Number(audioSel.value) : null }
        : { kind: 'text', text: greeting.area.value },
      busy_wait_seconds: waitIn.value === '' ? -1 : Number(waitIn.value),
    };
    for (const p of PROMPTS) body[p] = prompts[p].area.value;
    saveBtn.disabled = true;
    try {
      const d = await api('PUT', '/api/settings/ars', body);
      if (signal.aborted) return;
      showArs(d);
      pageMsg.show(t('ars.saved'));
    } catch (err) {
      if (signal.aborted) return;
      showFormErrors(form, err, t);
    } finally {
      saveBtn.disabled = false;
    }
  });

  // ---- menus -------------------------------------------------------------------
  const menus = menuSection(t, editable, pageMsg, signal);

  const hours = hoursSection(ctx, pageMsg);
  const holidays = holidaysSection(ctx, pageMsg, () => hours.loadStatus());
  const jump = h(
    'nav',
    { class: 'page-jump', 'aria-label': t('ars.jumpLabel') },
    h('a', { href: '#business-hours', dataset: { testid: 'jump-hours' } }, t('ars.hoursTitle')),
    h('a', { href: '#holidays', dataset: { testid: 'jump-holidays' } }, t('holidays.title')),
  );
  for (const a of jump.querySelectorAll('a')) {
    // In-page links must not change the hash route.
    a.addEventListener('click', (e) => {
      e.preventDefault();
      const target = document.getElementById(a.getAttribute('href').slice(1));
      if (!target) return;
      target.scrollIntoView({ block: 'start' });
      const heading = target.querySelector('.card-title');
      if (heading) {
        heading.tabIndex = -1;
        heading.focus({ preventScroll: true });
      }
    });
  }

  replaceChildren(main, pageHeader(t('ars.heading'), t('ars.lead')), jump, pageMsg.el, form, menus.el, hours.el, holidays.el);
  showKind();
  fillAudioOptions();

  (async () => {
    try {
      const [d, audio, nums] = await Promise.all([api('GET', '/api/settings/ars'), api('GET', '/api/settings/audio'), api('GET', '/api/settings/numbers')]);
      if (signal.aborted) return;
      ownNumbers = (Array.isArray(nums?.items) ? nums.items : []).filter((n) => n.current);
      audioFiles = Array.isArray(audio?.items) ? audio.items : [];
      fillAudioOptions();
      showArs(d);
    } catch (err) {
      if (!signal.aborted) pageMsg.show(errorText(err, t), 'error');
    }
  })();
  menus.load();
  hours.load();
  holidays.load();

  return () => {
    for (const c of cleanups) c();
  };
}

// ---------------------------------------------------------------------------
// The menu list (ARS-3) with an add/edit form and deletion.

function menuSection(t, editable, pageMsg, signal) {
  const api = pageApi(signal);
  let items = [];
  let editing = null; // the menu being edited, or null when adding
  const listState = h('p', { class: 'muted', role: 'status', dataset: { testid: 'menus-empty' } }, t('page.loading'));
  const { table, tbody } = dataTable('menus', [
    t('menus.digit'), t('menus.kind'), t('menus.detail'), t('menus.callback'), t('menus.agents'),
    guard(h('th', { scope: 'col', dataset: { requires: PERM } }, t('menus.actions'))),
  ]);

  // ---- add / edit form
  const formTitle = h('h3', { class: 'card-subtitle', dataset: { testid: 'menu-form-title' } }, t('menus.addTitle'));
  const digitSel = h('select', { name: 'digit', dataset: { testid: 'menu-digit' } }, [...Array(10).keys()].map((d) => h('option', { value: String(d) }, String(d))));
  const kindSel = h(
    'select',
    { name: 'kind', dataset: { testid: 'menu-kind' } },
    h('option', { value: 'agents' }, t('menus.kind.agents')),
    h('option', { value: 'info' }, t('menus.kind.info')),
  );
  const queueIn = h('input', { name: 'queue', type: 'text', maxlength: '50', dataset: { testid: 'menu-queue' } });
  const callbackIn = h('input', { name: 'callback', type: 'checkbox', id: uid('cb'), dataset: { testid: 'menu-callback' } });
  const infoIn = h('textarea', { name: 'message.text', rows: '3', dataset: { testid: 'menu-info-text' } });
  const infoCounter = h('span', { class: 'char-counter', 'aria-live': 'polite' });
  const updateInfoCount = () => {
    const n = charCount(infoIn.value);
    infoCounter.textContent = t('ars.counter', { n, max: 200 });
    infoCounter.classList.toggle('over', n > 200);
  };
  infoIn.addEventListener('input', updateInfoCount);
  const agentsBox = h(
    'div',
    { class: 'menu-agents-fields' },
    field(t('menus.queue'), queueIn),
    h('div', { class: 'field checkbox-field' }, h('label', { for: callbackIn.id }, callbackIn, ' ', t('menus.callbackLabel'))),
  );
  const infoField = field(t('menus.infoText'), infoIn);
  infoField.append(h('div', { class: 'tts-tools' }, infoCounter));
  const infoBox = h('div', { class: 'menu-info-fields' }, infoField);
  const showKindFields = () => {
    agentsBox.hidden = kindSel.value !== 'agents';
    infoBox.hidden = kindSel.value !== 'info';
  };
  kindSel.addEventListener('change', showKindFields);
  const confirmBox = h('div', { class: 'menu-confirm', dataset: { testid: 'menu-confirm' } });
  const submit = h('button', { type: 'submit', class: 'button primary', dataset: { testid: 'menu-submit' } }, t('menus.add'));
  const cancel = h('button', { type: 'button', class: 'button', dataset: { testid: 'menu-cancel' } }, t('form.cancel'));
  cancel.hidden = true;
  const form = h(
    'form',
    { class: 'form menu-form', novalidate: true, dataset: { testid: 'menu-form' } },
    formTitle,
    h('div', { class: 'form-grid' }, field(t('menus.digit'), digitSel), field(t('menus.kind'), kindSel)),
    agentsBox,
    infoBox,
    confirmBox,
    h('div', { class: 'form-actions' }, submit, cancel),
  );
  showKindFields();
  updateInfoCount();

  function resetForm() {
    editing = null;
    form.reset();
    clearFieldErrors(form);
    confirmBox.replaceChildren();
    formTitle.textContent = t('menus.addTitle');
    submit.textContent = t('menus.add');
    cancel.hidden = true;
    const used = new Set(items.map((m) => m.digit));
    const free = [...Array(10).keys()].find((d) => !used.has(d));
    digitSel.value = String(free ?? 0);
    showKindFields();
    updateInfoCount();
  }

  function startEdit(m) {
    resetForm();
    editing = m;
    formTitle.textContent = t('menus.editTitle', { n: m.digit });
    submit.textContent = t('form.save');
    cancel.hidden = false;
    digitSel.value = String(m.digit);
    kindSel.value = m.kind;
    queueIn.value = m.kind === 'agents' ? String(m.queue ?? '') : '';
    callbackIn.checked = m.kind === 'agents' && !!m.callback;
    infoIn.value = m.kind === 'info' && m.message?.kind === 'text' ? String(m.message.text ?? '') : '';
    showKindFields();
    updateInfoCount();
    digitSel.focus();
  }
  cancel.addEventListener('click', () => resetForm());

  function bodyFromForm() {
    const body = { digit: Number(digitSel.value), kind: kindSel.value };
    if (kindSel.value === 'agents') {
      body.queue = queueIn.value.trim();
      body.callback = callbackIn.checked;
    } else if (!(editing && editing.kind === 'info' && editing.message?.kind === 'audio' && infoIn.value.trim() === '')) {
      body.message = { kind: 'text', text: infoIn.value };
    }
    return body;
  }

  /** Ask before removing agent assignments; resolves true to go on. */
  function askForce(host, agents, focusBack) {
    return new Promise((resolve) => {
      const yes = h('button', { type: 'button', class: 'button small danger', dataset: { testid: 'menu-force-confirm' } }, t('menus.confirm'));
      const no = h('button', { type: 'button', class: 'button small', dataset: { testid: 'menu-force-cancel' } }, t('form.cancel'));
      const text = t('menus.inUseAsk', { agents });
      const box = h('div', { class: 'alert alert-error row-confirm', role: 'alertdialog', 'aria-label': text, dataset: { testid: 'menu-in-use' } }, h('p', {}, text), yes, no);
      replaceChildren(host, box);
      yes.focus();
      yes.addEventListener('click', () => {
        host.replaceChildren();
        resolve(true);
      });
      no.addEventListener('click', () => {
        host.replaceChildren();
        if (focusBack) focusBack.focus();
        resolve(false);
      });
    });
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearFieldErrors(form);
    confirmBox.replaceChildren();
    pageMsg.clear();
    const body = bodyFromForm();
    submit.disabled = true;
    const send = (force) =>
      editing
        ? api('PATCH', `/api/settings/menus/${encodeURIComponent(editing.id)}${force ? '?force=true' : ''}`, body)
        : api('POST', '/api/settings/menus', body);
    try {
      let saved;
      try {
        saved = await send(false);
      } catch (err) {
        if (err?.code !== 'menu_in_use' || !editing) throw err;
        const agents = Number(err.params?.agents ?? editing.agents ?? 0);
        if (!(await askForce(confirmBox, agents, submit))) return;
        saved = await send(true);
      }
      if (signal.aborted) return;
      pageMsg.show(t(editing ? 'menus.updated' : 'menus.added', { n: saved?.digit ?? body.digit }));
      await load();
      resetForm();
    } catch (err) {
      if (!signal.aborted) showFormErrors(form, err, t);
    } finally {
      submit.disabled = false;
    }
  });

  function detail(m) {
    if (m.kind === 'agents') return String(m.queue ?? '');
    if (m.message?.kind === 'audio') return t('menus.infoAudio', { name: String(m.message.audio?.name ?? '') });
    return String(m.message?.text ?? '');
  }

  function rowFor(m) {
    const rowMsg = h('div', { class: 'row-message' });
    const editBtn = h('button', { type: 'button', class: 'button small', dataset: { testid: 'menu-edit' } }, t('menus.edit'));
    const delBtn = h('button', { type: 'button', class: 'button small danger', dataset: { testid: 'menu-delete' } }, t('menus.delete'));
    const actions = h('div', { class: 'row-actions' }, editBtn, delBtn, m.kind === 'agents' ? targetsButton(m, rowMsg, { t, api, signal }) : null);
    editBtn.addEventListener('click', () => startEdit(m));
    delBtn.addEventListener('click', () => {
      rowMsg.replaceChildren();
      const ask = t('menus.deleteAsk', { n: m.digit });
      confirmInRow(actions, delBtn, {
        ask,
        confirm: t('menus.confirmDelete'),
        cancel: t('form.cancel'),
        testid: 'menu-delete-confirm',
        onConfirm: async (restore) => {
          const path = `/api/settings/menus/${encodeURIComponent(m.id)}`;
          try {
            try {
              await api('DELETE', path);
            } catch (err) {
              if (err?.code !== 'menu_in_use') throw err;
              restore();
              if (!(await askForce(rowMsg, Number(err.params?.agents ?? m.agents ?? 0), delBtn))) return;
              await api('DELETE', `${path}?force=true`);
            }
            if (signal.aborted) return;
            pageMsg.show(t('menus.deleted', { n: m.digit }));
            if (editing && editing.id === m.id) resetForm();
            await load();
          } catch (err) {
            restore();
            replaceChildren(rowMsg, h('p', { class: 'field-error', role: 'alert' }, errorText(err, t)));
          }
        },
      });
    });
    return h(
      'tr',
      { dataset: { testid: 'menu-row', digit: String(m.digit), kind: String(m.kind) } },
      h('td', { class: 'num' }, t('menus.digitN', { n: m.digit })),
      h('td', {}, t(`menus.kind.${m.kind === 'info' ? 'info' : 'agents'}`)),
      h('td', { class: 'wrap', dataset: { testid: 'menu-detail' } }, detail(m)),
      h('td', {}, m.kind === 'agents' ? t(m.callback ? 'menus.callbackOn' : 'menus.callbackOff') : ''),
      h('td', { class: 'num' }, m.kind === 'agents' ? t('menus.agentsN', { n: Number(m.agents) || 0 }) : ''),
      guard(h('td', { dataset: { requires: PERM } }, actions, rowMsg)),
    );
  }

  async function load() {
    try {
      const res = await api('GET', '/api/settings/menus');
      if (signal.aborted) return;
      items = (Array.isArray(res?.items) ? res.items : []).slice().sort((a, b) => a.digit - b.digit);
      tbody.replaceChildren(...items.map(rowFor));
      listState.textContent = items.length ? '' : t('menus.empty');
      if (!editing) {
        const used = new Set(items.map((m) => m.digit));
        if (used.has(Number(digitSel.value))) {
          const free = [...Array(10).keys()].find((d) => !used.has(d));
          if (free !== undefined) digitSel.value = String(free);
        }
      }
    } catch (err) {
      if (signal.aborted) return;
      listState.textContent = '';
      pageMsg.show(errorText(err, t), 'error');
    }
  }

  const formCard = editable ? h('div', { class: 'menu-form-wrap' }, form) : null;
  const el = card(t('menus.title'), h('p', { class: 'muted' }, t('menus.lead')), listState, h('div', { class: 'table-wrap' }, table), formCard);
  el.dataset.testid = 'menus-card';
  return { el, load };
}
