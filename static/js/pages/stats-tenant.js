// Tenant in/out & answer rate (테넌트 수발신/응대율) — STAT-1. The shared statistics view (stats-view.js) with its report.
import { statsPage } from '../stats-view.js';

export const render = statsPage('tenant', '/stats/tenant');
