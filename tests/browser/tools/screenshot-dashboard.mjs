// Screenshot of the Korean monitoring dashboard of the running demo, for the
// README (docs/dashboard-ko.png). scripts/demo-test.sh runs it with
// DEMO_SCREENSHOT=docs/dashboard-ko.png once the demo's floor is alive.
// Korean text needs a Korean font on the machine (fonts-nanum or fonts-noto-cjk).
//   cd tests/browser && SWITCHBOARD_URL=… DEMO_PASSWORD_FILE=… node tools/screenshot-dashboard.mjs out.png
import { readFileSync } from 'node:fs';
import { signInContext } from '../lib/accounts.mjs';
import { launch, openPage } from '../lib/browser.mjs';

const out = process.argv[2] || 'dashboard-ko.png';
const password = readFileSync(process.env.DEMO_PASSWORD_FILE, 'utf8').trim();
const browser = await launch();
const { context, page } = await openPage(browser, { locale: 'ko-KR', viewport: { width: 1440, height: 900 } });
await signInContext(context, 'demo-admin', password);
await page.goto('/#/dashboard');
await page.getByTestId('live-status').filter({ hasText: '마지막 갱신' }).waitFor();
await page.locator('[data-testid="chart-inflow"] canvas').first().waitFor();
await page.waitForTimeout(1500);
const height = await page.evaluate(() => document.documentElement.scrollHeight);
await page.setViewportSize({ width: 1440, height: Math.min(height, 2400) });
await page.screenshot({ path: out });
await browser.close();
console.log(`saved ${out}`);
