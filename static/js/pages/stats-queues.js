// Call handling per queue (큐별 호처리) — STAT-2. The shared statistics view (stats-view.js) with its report.
import { statsPage } from '../stats-view.js';

export const render = statsPage('queues', '/stats/queues');
