// Call handling per agent (상담사 호처리) — STAT-5. The shared statistics view (stats-view.js) with its report.
import { statsPage } from '../stats-view.js';

export const render = statsPage('agents', '/stats/agents');
