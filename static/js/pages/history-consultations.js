// Consultation history (상담이력) — HIST-2, TEL-4.
//   GET /api/history/consultations?from=&to=&number=&agent=&queue=&result=&direction=&type=&all=&cursor=
//     → {items: [{id, call, created_ms, agent_name, agent_login, number, type_name, memo, talk_ms, recording_ids}], next_cursor, from_ms}
//   GET /api/history/consultations/export?ids=1,2  → XLSX of exactly those rows
//   GET /api/history/consultations/export?<filters> → XLSX of all matching rows
//   GET /api/history/recordings/zip?ids=…          → one ZIP of the selected rows' recordings
// The default view is the last 3 months; "전체" (all=true) is everything. The
// download controls exist only for those who may download.
import { pageApi } from '../api.js';
import { fmtDuration, fmtMs, fmtNumber, loadChoices, lookupPage, options } from '../history-list.js';
import { getLang } from '../i18n.js';
import { guard } from '../session.js';
import { h, labelOr } from '../ui.js';
import { DIRECTIONS, RESULTS, recordingPlayer } from './history-calls.js';

export function render(main, ctx) {
  const { t, signal, params } = ctx;
  const api = pageApi(signal);
  const choices = { agents: [], queues: [], types: [] };
  let all = params.get('all') === 'true';
  const allBox = h('input', { type: 'checkbox', id: 'consult-all', dataset: { testid: 'filter-all' } });
  allBox.checked = all;
  const allField = h('label', { class: 'check', for: 'consult-all' }, allBox, ` ${t('hist.allPeriods')}`);

  const seen = new Map();
  const rowsOf = (ids) => ids.map((id) => seen.get(id)).filter(Boolean);
  const page = lookupPage(main, ctx, {
    path: '/history/consultations',
    api: '/api/history/consultations',
    testid: 'consultations',
    title: t('page.history.consultations'),
    lead: t('hist.consultations.lead'),
    selectable: true,
    extra: () => ({ all: all ? 'true' : '' }),
    filters: [
      { name: 'from', label: t('work.from'), type: 'date', hint: t('hist.defaultPeriod') },
      { name: 'to', label: t('work.to'), type: 'date' },
      { name: 'number', label: t('hist.number'), type: 'text', inputmode: 'tel', hint: t('hist.numberHint') },
      { name: 'agent', label: t('hist.agent'), type: 'select', options: () => options(t, choices.agents) },
      { name: 'queue', label: t('hist.queue'), type: 'select', options: () => options(t, choices.queues) },
      { name: 'type', label: t('hist.type'), type: 'select', options: () => options(t, choices.types) },
      { name: 'result', label: t('hist.result'), type: 'select', options: () => options(t, RESULTS.map((r) => [r, t(`hist.result.${r}`)])) },
      { name: 'direction', label: t('hist.direction'), type: 'select', options: () => options(t, DIRECTIONS.map((d) => [d, t(`hist.dir.${d}`)])) },
    ],
    toolbar: (ids, query) => {
      const lang = getLang() === 'en' ? '&lang=en' : '';
      const chosen = ids.length ? `ids=${ids.join(',')}` : '';
      const recIds = rowsOf(ids).flatMap((r) => r.recording_ids || []);
      return [
        allField,
        guard(h('a', {
          class: 'button', download: '', href: ids.length ? `/api/history/consultations/export?${chosen}${lang}` : undefined,
          'aria-disabled': ids.length ? 'false' : 'true', dataset: { requires: 'download', testid: 'export-selected' },
        }, t('hist.exportSelected', { n: ids.length }))),
        guard(h('a', { class: 'button', download: '', href: `/api/history/consultations/export?${query}${lang}`, dataset: { requires: 'download', testid: 'export-all' } }, t('hist.exportAll'))),
        guard(h('a', {
          class: 'button', download: '', href: recIds.length ? `/api/history/recordings/zip?ids=${recIds.join(',')}` : undefined,
          'aria-disabled': recIds.length ? 'false' : 'true', dataset: { requires: 'download', testid: 'zip-selected' },
        }, t('hist.zipSelected', { n: recIds.length }))),
      ];
    },
    columns: [
      { label: t('hist.consulted'), className: 'nowrap', cell: (c) => fmtMs(c.created_ms) },
      { label: t('hist.agent'), cell: (c) => `${c.agent_name} (${c.agent_login})` },
      { label: t('hist.number'), className: 'mono', cell: (c) => fmtNumber(c.number) },
      { label: t('hist.direction'), cell: (c) => labelOr(t, `hist.dir.${c.direction}`, c.direction) },
      { label: t('hist.result'), cell: (c) => labelOr(t, `hist.result.${c.result ?? 'live'}`, c.result) },
      { label: t('hist.type'), cell: (c) => c.type_name || '' },
      { label: t('hist.talk'), cell: (c) => fmtDuration(c.talk_ms) },
      { label: t('hist.memo'), className: 'wrap', cell: (c) => c.memo },
      {
        label: t('hist.recordings'),
        cell: (c) => {
          if (!c.recording_ids?.length) return '';
          const slot = h('div', {});
          const b = h('button', { type: 'button', class: 'button', dataset: { testid: 'play' } }, t('hist.play'));
          b.addEventListener('click', () => {
            slot.replaceChildren(...c.recording_ids.map((id) => recordingPlayer(t, { id })));
            slot.querySelector('audio')?.play().catch(() => {});
          });
          return h('div', {}, b, slot);
        },
      },
      { label: t('hist.detail'), cell: (c) => h('a', { href: `#/history/calls?call=${c.call}` }, t('hist.open')) },
    ],
    loaded: (res) => {
      for (const r of res.items || []) seen.set(r.id, r);
    },
  });
  allBox.addEventListener('change', () => {
    all = allBox.checked;
    page.writeUrl();
    page.reload();
  });
  Promise.all([loadChoices(api), api('GET', '/api/settings/consultation-types').catch(() => null)]).then(([c, ty]) => {
    if (signal.aborted) return;
    Object.assign(choices, c);
    choices.types = (Array.isArray(ty?.items) ? ty.items : []).map((x) => [String(x.id), x.name]);
    page.refill();
  });
}
