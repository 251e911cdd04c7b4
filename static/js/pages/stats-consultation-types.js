// By consultation type (상담 유형별) — STAT-4. The shared statistics view (stats-view.js) with its report.
import { statsPage } from '../stats-view.js';

export const render = statsPage('types', '/stats/consultation-types');
