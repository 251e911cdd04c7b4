// Time per agent state (상담사 상태별) — STAT-6. The shared statistics view (stats-view.js) with its report.
import { statsPage } from '../stats-view.js';

export const render = statsPage('states', '/stats/agent-states');
