// Waiting & abandonment per queue (큐별 대기/포기) — STAT-3. The shared statistics view (stats-view.js) with its report.
import { statsPage } from '../stats-view.js';

export const render = statsPage('waits', '/stats/queue-waits');
