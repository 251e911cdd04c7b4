// The monitoring dashboard's view (MON-1..MON-7, UI-3), shared by the
// signed-in page (pages/dashboard.js) and the wall TV (wallboard.js).
//
//   const view = dashboardView({ t, signal, wallboard, onCallback });
//   container.append(view.el);
//   view.update(data);       // an answer of GET /api/dashboard (or /wallboard)
//   view.setOffline(true);   // a refresh failed: keep the data, show "연결 끊김"
//
// - Built once; each update rewrites texts and table bodies, and feeds the
//   two charts (MON-2 inbound per hour today vs yesterday, MON-6 answer rate
//   and service level through the day) without re-creating them.
// - Live durations (time in state, longest wait) count on every second from
//   the answer's `now_ms`, so a poll that finds nothing new (304) still
//   shows time passing.
// - SLA grades (ok / warn / bad) colour a figure and always add an icon and
//   a text ("목표 80% 미달"): colour is never the only signal; the target is
//   in the cell's title and in its accessible text (hover and focus).
// - Numbers in the UI's locale ("1,234"), rates "57.1%", durations 분:초
//   ("1:59"), times of day in the company's zone.
import { barChart, formatNumber, lineChart } from './chart.js';
import { formatClock } from './live.js';
import { card, dataTable, h, replaceChildren } from './ui.js';

export const AGENT_STATES = ['ready', 'on_call', 'ringing', 'dialing', 'after_call_work', 'away', 'logged_out'];

/** "1:59", "62:05": whole minutes and seconds (분:초). */
export function formatDuration(ms) {
  if (ms == null || !Number.isFinite(Number(ms))) return '–';
  const total = Math.max(0, Math.floor(Number(ms) / 1000));
  const m = Math.floor(total / 60);
  const s = total % 60;
  return `${m}:${String(s).padStart(2, '0')}`;
}

/** "57.1%" (null → "–"). */
export function formatRate(v) {
  return v == null ? '–' : `${formatNumber(v)}%`;
}

const GRADE_ICON = { ok: '●', warn: '▲', bad: '✖' };

export function dashboardView({ t, signal, wallboard = false, onCallback = null, canCallback = false }) {
  let data = null;
  let offsetMs = 0; // server now − browser now
  let charts = { inflow: null, trend: null };

  const offline = h('span', { class: 'badge badge-offline', role: 'status', dataset: { testid: 'offline-marker' } }, `⚠ ${t('mon.offline')}`);
  offline.hidden = true;

  const num = (testid) => h('span', { class: 'stat-value', dataset: { testid } }, '–');
  const stat = (label, valueEl, extra) => h('div', { class: 'stat' }, h('span', { class: 'stat-label' }, label), valueEl, extra || null);

  // MON-1
  const lines = {
    contracted: num('lines-contracted'),
    inUse: num('lines-in-use'),
    consultation: num('lines-consultation'),
    internal: num('lines-internal'),
    callback: num('lines-callback'),
    outbound: num('lines-outbound'),
  };
  const linesCard = card(
    t('mon.lines.title'),
    h(
      'div',
      { class: 'stat-row', dataset: { testid: 'mon-1' } },
      stat(t('mon.lines.contracted'), lines.contracted),
      stat(t('mon.lines.inUse'), lines.inUse),
      stat(t('mon.lines.consultation'), lines.consultation),
      stat(t('mon.lines.internal'), lines.internal),
      stat(t('mon.lines.callback'), lines.callback),
      stat(t('mon.lines.outbound'), lines.outbound),
    ),
  );

  // MON-3
  const summary = {
    answerRate: num('summary-answer-rate'),
    serviceLevel: num('summary-service-level'),
    totalInbound: num('summary-total-inbound'),
    offered: num('summary-offered'),
    answered: num('summary-answered'),
    abandoned: num('summary-abandoned'),
  };
  const slNote = h('p', { class: 'muted small', dataset: { testid: 'sl-threshold' } });
  const summaryCard = card(
    t('mon.summary.title'),
    h(
      'div',
      { class: 'stat-row', dataset: { testid: 'mon-3' } },
      stat(t('mon.answerRate'), summary.answerRate),
      stat(t('mon.serviceLevel'), summary.serviceLevel),
      stat(t('mon.totalInbound'), summary.totalInbound),
      stat(t('mon.offered'), summary.offered),
      stat(t('mon.answered'), summary.answered),
      stat(t('mon.abandoned'), summary.abandoned),
    ),
    slNote,
  );

  // MON-2 and MON-6
  const inflowEl = h('div', { class: 'chart-box', dataset: { testid: 'chart-inflow' } });
  const trendEl = h('div', { class: 'chart-box', dataset: { testid: 'chart-trend' } });
  const inflowCard = card(t('mon.inflow.title'), inflowEl);
  const trendCard = card(t('mon.trend.title'), trendEl);

  // MON-4 and MON-5
  const queues = dataTable('queues', [
    t('mon.queue'),
    t('mon.offered'),
    t('mon.answered'),
    t('mon.abandoned'),
    t('mon.callbacks'),
    t('mon.answerRate'),
    t('mon.serviceLevel'),
    t('mon.waiting'),
    t('mon.longestWait'),
  ]);
  const queuesCard = card(t('mon.queues.title'), h('div', { class: 'table-wrap' }, queues.table));

  // MON-7
  const stateCounts = h('ul', { class: 'state-counts', dataset: { testid: 'agent-counts' } });
  const agents = dataTable('agents', [t('mon.agent'), t('mon.state'), t('mon.timeInState'), t('mon.answeredToday'), t('mon.outboundToday')]);
  const agentsCard = card(t('mon.agents.title'), stateCounts, h('div', { class: 'table-wrap' }, agents.table));

  // Today's abandoned calls
  const abandoned = dataTable('abandoned', [t('mon.ab.caller'), t('mon.queue'), t('mon.ab.waited'), t('mon.ab.when'), t('mon.ab.since'), h('th', { scope: 'col' }, t('mon.ab.action'))]);
  const abandonedMsg = h('div', { class: 'message-area', dataset: { testid: 'abandoned-message' } });
  const abandonedCard = wallboard ? null : card(t('mon.ab.title'), abandonedMsg, h('div', { class: 'table-wrap' }, abandoned.table));

  const el = h(
    'div',
    { class: `dashboard${wallboard ? ' wallboard' : ''}`, dataset: { testid: 'dashboard' } },
    h('div', { class: 'dashboard-grid' }, linesCard, summaryCard, inflowCard, trendCard),
    queuesCard,
    agentsCard,
    abandonedCard,
  );

  const hourLabels = Array.from({ length: 24 }, (_, i) => t('mon.hour', { h: String(i).padStart(2, '0') }));

  async function drawCharts(d) {
    const inflow = {
      labels: hourLabels,
      series: [
        { label: t('mon.today'), values: d.hours.map((x) => x.inbound_today) },
        { label: t('mon.yesterday'), values: d.hours.map((x) => x.inbound_yesterday) },
      ],
    };
    const trend = {
      labels: hourLabels,
      series: [
        { label: t('mon.answerRate'), values: d.hours.map((x) => x.day_answer_rate) },
        { label: t('mon.serviceLevel'), values: d.hours.map((x) => x.day_service_level) },
      ],
    };
    try {
      if (!charts.inflow) {
        charts.inflow = await barChart(inflowEl, { ...inflow, signal, height: wallboard ? 260 : 200, xLabel: t('mon.hourAxis'), ariaLabel: t('mon.inflow.title') });
      } else charts.inflow.update(inflow);
      if (!charts.trend) {
        charts.trend = await lineChart(trendEl, {
          ...trend,
          signal,
          height: wallboard ? 260 : 200,
          xLabel: t('mon.hourAxis'),
          ariaLabel: t('mon.trend.title'),
          formatValue: (v) => formatRate(v),
        });
      } else charts.trend.update(trend);
    } catch (e) {
      console.error('dashboard: chart failed', e);
    }
  }

  function graded(text, grade, target, testid) {
    const cell = h('td', { class: `num grade grade-${grade || 'none'}`, dataset: { testid, grade: grade || 'none' } });
    if (typeof text !== 'string') {
      cell.dataset.tick = text.base; // a live duration: the ticker rewrites its .tick span
      text = h('span', { class: 'tick' }, text.text);
    }
    if (grade && grade !== 'none') {
      const note = t(`mon.grade.${grade}`, { target });
      cell.title = note;
      cell.tabIndex = 0;
      cell.setAttribute('aria-label', `${text.textContent ?? text} · ${note}`);
      cell.append(h('span', { class: 'grade-icon', 'aria-hidden': 'true' }, GRADE_ICON[grade]), ' ', text, h('span', { class: 'grade-text' }, ` ${t(`mon.gradeShort.${grade}`)}`));
    } else {
      cell.append(text);
    }
    return cell;
  }

  function nowMs() {
    return Date.now() + offsetMs;
  }

  function drawQueues(d) {
    replaceChildren(
      queues.tbody,
      d.queues.map((q) => {
        const tg = q.targets || {};
        // The longest wait counts on: its start, in the server's clock.
        const waitStart = d.now_ms - q.longest_wait_ms;
        return h(
          'tr',
          { dataset: { testid: `queue-row-${q.digit ?? 'none'}` } },
          h('th', { scope: 'row' }, q.name ?? t('mon.queueDeleted', { digit: q.digit ?? '–' })),
          h('td', { class: 'num' }, formatNumber(q.offered)),
          h('td', { class: 'num' }, formatNumber(q.answered)),
          h('td', { class: 'num' }, formatNumber(q.abandoned)),
          h('td', { class: 'num' }, formatNumber(q.callbacks)),
          graded(formatRate(q.answer_rate), q.grades.answer_rate, `${tg.answer_rate_pct}%`, 'queue-answer-rate'),
          graded(formatRate(q.service_level), q.grades.service_level, `${tg.service_level_pct}%`, 'queue-service-level'),
          graded(formatNumber(q.waiting), q.grades.waiting, formatNumber(tg.waiting_max), 'queue-waiting'),
          graded(q.waiting > 0 ? { text: formatDuration(nowMs() - waitStart), base: String(waitStart) } : '–', q.grades.longest_wait, formatDuration((tg.longest_wait_seconds ?? 0) * 1000), 'queue-longest-wait'),
        );
      }),
    );
    if (!d.queues.length) queues.tbody.append(h('tr', {}, h('td', { colspan: '9', class: 'muted' }, t('mon.queues.none'))));
  }

  function drawAgents(d) {
    replaceChildren(
      stateCounts,
      AGENT_STATES.map((s) => h('li', { class: `state-chip state-${s}`, dataset: { testid: `agent-count-${s}` } }, h('span', {}, t(`mon.st.${s}`)), ' ', h('strong', {}, formatNumber(d.agent_counts[s] ?? 0)))),
    );
    replaceChildren(
      agents.tbody,
      d.agents.map((a) =>
        h(
          'tr',
          { dataset: { testid: `agent-row-${a.login_id}` } },
          h('th', { scope: 'row' }, a.name ? `${a.name} (${a.login_id})` : a.login_id),
          h('td', {}, h('span', { class: `state-dot state-${a.state}`, 'aria-hidden': 'true' }), ' ', t(`mon.st.${a.state}`)),
          h('td', { class: 'num', dataset: { testid: 'time-in-state', since: a.since_ms ?? '' } }, a.since_ms == null ? '–' : formatDuration(nowMs() - a.since_ms)),
          h('td', { class: 'num' }, formatNumber(a.answered_today)),
          h('td', { class: 'num' }, formatNumber(a.outbound_today)),
        ),
      ),
    );
    if (!d.agents.length) agents.tbody.append(h('tr', {}, h('td', { colspan: '5', class: 'muted' }, t('mon.agents.none'))));
  }

  function sinceText(a) {
    const parts = [];
    if (a.called_again) parts.push(t(a.called_again_answered ? 'mon.ab.calledAgainAnswered' : 'mon.ab.calledAgain'));
    if (a.called_back) parts.push(t('mon.ab.calledBack'));
    if (a.callback_status) parts.push(t('mon.ab.callback', { status: t(`mon.cb.${a.callback_status}`) }));
    return parts.length ? parts.join(' · ') : t('mon.ab.nothing');
  }

  function drawAbandoned(d) {
    if (wallboard || !d.abandoned) return;
    replaceChildren(
      abandoned.tbody,
      d.abandoned.map((a) => {
        let action = null;
        if (a.callback_id != null) {
          action = h('span', { class: 'muted' }, t('mon.ab.requested'));
        } else if (canCallback && onCallback) {
          const b = h('button', { type: 'button', class: 'button small', dataset: { testid: `callback-${a.call_id}` } }, t('mon.ab.request'));
          b.addEventListener('click', async () => {
            b.disabled = true;
            try {
              await onCallback(a);
              replaceChildren(abandonedMsg, h('div', { class: 'alert alert-ok', role: 'status' }, t('mon.ab.done', { caller: a.caller ?? '' })));
            } catch (err) {
              b.disabled = false;
              replaceChildren(abandonedMsg, h('div', { class: 'alert alert-error', role: 'alert' }, err?.message || String(err)));
            }
          });
          action = b;
        }
        return h(
          'tr',
          { dataset: { testid: `abandoned-row-${a.call_id}` } },
          h('th', { scope: 'row', class: 'mono' }, a.caller ?? '–'),
          h('td', {}, a.queue ?? (a.digit != null ? t('mon.queueDeleted', { digit: a.digit }) : '–')),
          h('td', { class: 'num' }, formatDuration(a.wait_ms)),
          h('td', { class: 'num' }, formatClock(new Date(a.abandoned_ms ?? a.started_ms), d.time_zone)),
          h('td', {}, sinceText(a)),
          h('td', {}, action),
        );
      }),
    );
    if (!d.abandoned.length) abandoned.tbody.append(h('tr', {}, h('td', { colspan: '6', class: 'muted' }, t('mon.ab.none'))));
  }

  function update(d) {
    // The server's clock: from the last answer's X-Server-Time-Ms (a 304
    // included), else the time the figures were computed.
    offsetMs = (d.server_time_ms ?? d.now_ms) - (d.received_at ?? Date.now());
    if (d === data) return; // a 304: nothing new (the ticker keeps the durations moving)
    data = d;
    const l = d.lines;
    lines.contracted.textContent = l.contracted == null ? t('mon.lines.notSet') : formatNumber(l.contracted);
    lines.inUse.textContent = formatNumber(l.in_use);
    lines.consultation.textContent = formatNumber(l.consultation);
    lines.internal.textContent = formatNumber(l.internal);
    lines.callback.textContent = formatNumber(l.callback);
    lines.outbound.textContent = formatNumber(l.outbound);
    const s = d.summary;
    summary.answerRate.textContent = formatRate(s.answer_rate);
    summary.serviceLevel.textContent = formatRate(s.service_level);
    summary.totalInbound.textContent = formatNumber(s.total_inbound);
    summary.offered.textContent = formatNumber(s.offered);
    summary.answered.textContent = formatNumber(s.answered);
    summary.abandoned.textContent = formatNumber(s.abandoned);
    slNote.textContent = t('mon.slNote', { seconds: d.sl_threshold_seconds });
    drawQueues(d);
    drawAgents(d);
    drawAbandoned(d);
    drawCharts(d);
  }

  // Durations tick every second between answers.
  const ticker = setInterval(() => {
    if (!data) return;
    for (const cell of agents.tbody.querySelectorAll('[data-since]')) {
      if (cell.dataset.since) cell.textContent = formatDuration(nowMs() - Number(cell.dataset.since));
    }
    for (const cell of queues.tbody.querySelectorAll('[data-tick]')) {
      const span = cell.querySelector('.tick');
      if (span) span.textContent = formatDuration(nowMs() - Number(cell.dataset.tick));
    }
  }, 1000);
  signal?.addEventListener('abort', () => clearInterval(ticker), { once: true });

  return {
    el,
    offline,
    update,
    setOffline(on) {
      offline.hidden = !on;
      el.classList.toggle('is-offline', !!on);
    },
    get data() {
      return data;
    },
  };
}

/**
 * A loader for startLive: GET `path` with If-None-Match; a 304 gives the
 * previous answer again. `headers` are added (the wallboard's token).
 * Errors are { status, code } objects (401 → code "unauthenticated").
 */
export function conditionalLoader(path, headers = {}) {
  let etag = null;
  let last = null;
  return async (signal) => {
    const h2 = { Accept: 'application/json', ...headers };
    if (etag && last) h2['If-None-Match'] = etag;
    const res = await fetch(path, { headers: h2, credentials: 'same-origin', signal, cache: 'no-store' });
    const clock = (d) => {
      d.server_time_ms = Number(res.headers.get('X-Server-Time-Ms')) || d.now_ms;
      d.received_at = Date.now();
      return d;
    };
    if (res.status === 304 && last) return clock(last);
    if (!res.ok) {
      let code = `http_${res.status}`;
      try {
        code = (await res.json())?.error?.code || code;
      } catch {
        /* not JSON */
      }
      const err = new Error(code);
      err.status = res.status;
      err.code = code;
      throw err;
    }
    last = clock(await res.json());
    etag = res.headers.get('ETag');
    return last;
  };
}
