// Call history (수발신이력) — HIST-1.
//   GET /api/history/calls?from=&to=&number=&agent=&queue=&result=&direction=&cursor=&limit=
//     → {items: [{id, call_id, direction, number, started_ms, talk_ms, result, queue, agent_name, …}], next_cursor, time_zone}
//   GET /api/history/calls/{id} → {call, timeline: [{type, at, …}], recordings, consultations}
// The filters and the open call (?call=<id>) live in the URL. The detail
// shows the whole timeline in the tenant's zone, the consultation records,
// and a player per recording (HTML audio: seeking asks the server for
// byte ranges, which it relays to the provider).
import { pageApi } from '../api.js';
import { errorText } from '../form-errors.js';
import { fmtDuration, fmtMs, fmtNumber, loadChoices, lookupPage, options } from '../history-list.js';
import { guard } from '../session.js';
import { card, h, labelOr, messageArea } from '../ui.js';

export const RESULTS = ['answered', 'abandoned', 'callback', 'holiday', 'out_of_hours', 'information', 'outbound', 'internal'];
export const DIRECTIONS = ['inbound', 'outbound', 'internal'];

/** One recording: a player (seekable) and, for those who may, a download link. */
export function recordingPlayer(t, r) {
  return h(
    'div',
    { class: 'recording', dataset: { testid: 'recording', id: String(r.id) } },
    h('audio', { controls: true, preload: 'metadata', src: `/api/history/recordings/${r.id}/audio`, 'aria-label': t('hist.recording', { n: r.id }), dataset: { testid: 'recording-audio' } }),
    h('span', { class: 'muted' }, ` ${fmtDuration(r.duration_ms)} `),
    guard(h('a', { class: 'button', href: `/api/history/recordings/${r.id}/download`, download: '', dataset: { requires: 'download', testid: 'recording-download' } }, t('hist.downloadMp3'))),
  );
}

function eventText(t, e) {
  const bits = [];
  if (e.hours) bits.push(labelOr(t, `hist.hours.${e.hours}`, e.hours));
  if (e.digit != null) bits.push(t('hist.digit', { d: e.digit }));
  if (e.agent) bits.push(t('hist.agentIs', { a: e.agent }));
  if (e.to_agent) bits.push(t('hist.toAgent', { a: e.to_agent }));
  if (e.number) bits.push(fmtNumber(e.number));
  if (e.result) bits.push(labelOr(t, `hist.attempt.${e.result}`, e.result));
  if (e.duration_ms != null) bits.push(fmtDuration(e.duration_ms));
  return bits.join(' · ');
}

export function render(main, ctx) {
  const { t, signal, params } = ctx;
  const api = pageApi(signal);
  const choices = { agents: [], queues: [] };
  let openCall = params.get('call') || '';
  const detail = h('div', { dataset: { testid: 'call-detail-slot' } });
  const detailMsg = messageArea('call-detail-message');

  async function showDetail(id) {
    openCall = id ? String(id) : '';
    page.writeUrl();
    detail.replaceChildren();
    if (!openCall) return;
    try {
      const d = await api('GET', `/api/history/calls/${encodeURIComponent(openCall)}`);
      if (signal.aborted) return;
      const c = d.call;
      const close = h('button', { type: 'button', class: 'button', dataset: { testid: 'detail-close' } }, t('hist.close'));
      close.addEventListener('click', () => showDetail(''));
      const timeline = h(
        'table',
        { class: 'data-table', dataset: { testid: 'call-timeline' } },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('hist.time')), h('th', { scope: 'col' }, t('hist.event')), h('th', { scope: 'col' }, t('hist.eventDetail')))),
        h('tbody', {}, ...d.timeline.map((e) => h('tr', { dataset: { testid: 'timeline-row', type: e.type } },
          h('td', { class: 'nowrap' }, e.at),
          h('td', {}, labelOr(t, `hist.ev.${e.type}`, e.type)),
          h('td', {}, eventText(t, e))))),
      );
      const consults = d.consultations.length
        ? h('ul', { dataset: { testid: 'call-consultations' } }, ...d.consultations.map((x) => h('li', {},
          h('strong', {}, `${x.agent_name} (${x.agent_login})`), ` · ${x.type_name || t('hist.noType')} · ${fmtMs(x.created_ms)}`,
          h('p', { class: 'wrap' }, x.memo))))
        : h('p', { class: 'muted' }, t('hist.noConsultation'));
      const recs = d.recordings.length ? h('div', {}, ...d.recordings.map((r) => recordingPlayer(t, r))) : h('p', { class: 'muted' }, t('hist.noRecording'));
      detail.replaceChildren(card(
        t('hist.callDetail', { number: fmtNumber(c.number) || '-' }),
        h('dl', { class: 'summary', dataset: { testid: 'call-summary' } },
          h('dt', {}, t('hist.direction')), h('dd', {}, labelOr(t, `hist.dir.${c.direction}`, c.direction)),
          h('dt', {}, t('hist.result')), h('dd', {}, labelOr(t, `hist.result.${c.result ?? 'live'}`, c.result)),
          h('dt', {}, t('hist.started')), h('dd', {}, fmtMs(c.started_ms)),
          h('dt', {}, t('hist.agent')), h('dd', {}, c.agent_name ? `${c.agent_name} (${c.agent_login})` : c.agent_login || '-'),
          h('dt', {}, t('hist.queue')), h('dd', {}, c.queue || '-'),
          h('dt', {}, t('hist.wait')), h('dd', {}, fmtDuration(c.wait_ms) || '-'),
          h('dt', {}, t('hist.talk')), h('dd', {}, fmtDuration(c.talk_ms) || '-')),
        h('h3', {}, t('hist.timeline')), h('div', { class: 'table-wrap' }, timeline),
        h('h3', {}, t('hist.consultations')), consults,
        h('h3', {}, t('hist.recordings')), recs,
        h('div', { class: 'form-actions' }, close),
      ));
      detail.querySelector('h2, h3')?.setAttribute('tabindex', '-1');
      detail.querySelector('h2, h3')?.focus();
    } catch (err) {
      if (signal.aborted) return;
      detailMsg.show(errorText(err, t), 'error');
    }
  }

  const page = lookupPage(main, ctx, {
    path: '/history/calls',
    api: '/api/history/calls',
    testid: 'calls',
    title: t('page.history.calls'),
    lead: t('hist.calls.lead'),
    urlExtra: () => ({ call: openCall }),
    filters: [
      { name: 'from', label: t('work.from'), type: 'date' },
      { name: 'to', label: t('work.to'), type: 'date' },
      { name: 'number', label: t('hist.number'), type: 'text', inputmode: 'tel', hint: t('hist.numberHint') },
      { name: 'agent', label: t('hist.agent'), type: 'select', options: () => options(t, choices.agents) },
      { name: 'queue', label: t('hist.queue'), type: 'select', options: () => options(t, choices.queues) },
      { name: 'result', label: t('hist.result'), type: 'select', options: () => options(t, RESULTS.map((r) => [r, t(`hist.result.${r}`)])) },
      { name: 'direction', label: t('hist.direction'), type: 'select', options: () => options(t, DIRECTIONS.map((d) => [d, t(`hist.dir.${d}`)])) },
    ],
    above: [detailMsg.el, detail],
    columns: [
      { label: t('hist.started'), className: 'nowrap', cell: (c) => fmtMs(c.started_ms) },
      { label: t('hist.direction'), cell: (c) => labelOr(t, `hist.dir.${c.direction}`, c.direction) },
      { label: t('hist.number'), className: 'mono', cell: (c) => fmtNumber(c.number) },
      { label: t('hist.queue'), cell: (c) => c.queue || '' },
      { label: t('hist.agent'), cell: (c) => (c.agent_name ? `${c.agent_name} (${c.agent_login})` : c.agent_login || '') },
      { label: t('hist.result'), cell: (c) => labelOr(t, `hist.result.${c.result ?? 'live'}`, c.result) },
      { label: t('hist.wait'), cell: (c) => fmtDuration(c.wait_ms) },
      { label: t('hist.talk'), cell: (c) => fmtDuration(c.talk_ms) },
      { label: t('hist.recordings'), cell: (c) => (c.recordings ? String(c.recordings) : '') },
      {
        label: t('hist.detail'),
        cell: (c) => {
          const b = h('button', { type: 'button', class: 'button', dataset: { testid: 'open-call' } }, t('hist.open'));
          b.addEventListener('click', () => showDetail(c.id));
          return b;
        },
      },
    ],
  });
  loadChoices(api).then((c) => {
    if (signal.aborted) return;
    Object.assign(choices, c);
    page.refill();
  });
  if (openCall) showDetail(openCall);
}
