// chart.js (UI-3): charts drawn on a page served by the app, under its real
// Content-Security-Policy, with the numbers a Korean admin reads.
//
// What the chart draws on its canvas is recorded by wrapping fillText (axis
// labels are canvas text); the legend under the chart, which shows the values
// under the pointer, is HTML.
//
// Needs SWITCHBOARD_URL (scripts/browser-test.sh provides it).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launch, openPage, unexpectedErrors } from './lib/browser.mjs';

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

/** The login page (no session needed), with CSP violations and canvas text recorded. */
async function withScratch(lang, fn) {
  const { context, page, errors } = await openPage(browser, { locale: lang === 'ko' ? 'ko-KR' : 'en-US', viewport: { width: 1200, height: 900 } });
  try {
    await page.addInitScript(() => {
      window.__csp = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
      window.__drawn = [];
      const fillText = CanvasRenderingContext2D.prototype.fillText;
      CanvasRenderingContext2D.prototype.fillText = function (text, ...rest) {
        window.__drawn.push(String(text));
        return fillText.call(this, text, ...rest);
      };
    });
    const res = await page.goto('/');
    await page.locator('[data-testid="page-heading"]').waitFor();
    return await fn(page, errors, res);
  } finally {
    await context.close();
  }
}

/** Make a chart in a fresh 640-px-wide box in <main>; returns nothing (the chart is window.__chart). */
function draw(page, kind, data) {
  return page.evaluate(
    async ([kind, data]) => {
      const { lineChart, barChart } = await import('/js/chart.js');
      const box = document.createElement('div');
      box.dataset.testid = 'scratch-chart';
      box.style.width = '640px';
      document.querySelector('main').append(box);
      window.__controller = new AbortController();
      window.__drawn.length = 0;
      const make = kind === 'bar' ? barChart : lineChart;
      window.__chart = await make(box, { ...data, signal: window.__controller.signal, ariaLabel: data.ariaLabel });
    },
    [kind, data],
  );
}

const HOURS = ['09시', '10시', '11시', '12시'];

test('a line chart renders on a canvas under the app\'s CSP, with Korean numbers on the axis and in the legend', async () => {
  await withScratch('ko', async (page, errors, res) => {
    assert.match(res.headers()['content-security-policy'] || '', /script-src 'self'/, 'the page runs under the app\'s policy');
    await draw(page, 'line', {
      labels: HOURS,
      series: [
        { label: '오늘', values: [1234, 56789, 2_500_000, null] },
        { label: '어제', values: [10, 20, 30, 40] },
      ],
      ariaLabel: 'IVR 콜인입 추이',
    });
    const box = page.getByTestId('scratch-chart');
    const canvas = box.locator('canvas');
    assert.equal(await canvas.count(), 1);
    const size = await canvas.evaluate((c) => ({ w: c.width, h: c.height, role: c.getAttribute('role'), label: c.getAttribute('aria-label') }));
    assert.ok(size.w >= 600 && size.h > 0, `canvas ${size.w}×${size.h}`);
    assert.equal(size.role, 'img');
    assert.equal(size.label, 'IVR 콜인입 추이');

    // The library came from this origin and broke no rule of the policy.
    assert.deepEqual(await page.evaluate(() => window.__csp), []);
    assert.equal(await page.locator('script[src="/vendor/uplot-1.6.32/uPlot.iife.min.js"]').count(), 1);

    // Axis: the category labels as given, and the value ticks in Korean units (만), never "K"/"M".
    const drawn = await page.evaluate(() => window.__drawn.slice());
    for (const h of HOURS) assert.ok(drawn.includes(h), `x label ${h} drawn: ${drawn.join(' | ')}`);
    const ticks = drawn.filter((s) => /\d/.test(s) && !HOURS.includes(s));
    assert.ok(ticks.some((s) => /^\d+(\.\d)?만$/.test(s)), `a tick in 만: ${ticks.join(' | ')}`);
    assert.ok(!ticks.some((s) => /[KMB]$/.test(s)), `no English units: ${ticks.join(' | ')}`);

    // Legend (the tooltip): the series names, and the values under the pointer with Korean grouping.
    const legend = box.locator('.u-legend');
    assert.deepEqual(await legend.locator('.u-series .u-label').allTextContents(), ['구분', '오늘', '어제']);
    assert.doesNotMatch(await legend.textContent(), /[A-Za-z]/, 'no English in the Korean legend');
    for (const [i, expected] of [[1, ['10시', '56,789', '20']], [2, ['11시', '2,500,000', '30']], [3, ['12시', '–', '40']]]) {
      const pos = await page.evaluate((i) => {
        const u = window.__chart.uplot;
        const r = u.over.getBoundingClientRect();
        return { x: r.left + u.valToPos(i, 'x'), y: r.top + r.height / 2 };
      }, i);
      await page.mouse.move(pos.x, pos.y);
      await page.waitForFunction(
        (want) => [...document.querySelectorAll('[data-testid="scratch-chart"] .u-series .u-value')].map((e) => e.textContent).join('|') === want,
        expected.join('|'),
      );
    }
    assert.deepEqual(unexpectedErrors(errors), []);
  });
});

test('a bar chart draws one bar per series in each category, follows its container and is destroyed with the page', async () => {
  await withScratch('ko', async (page, errors) => {
    await draw(page, 'bar', {
      labels: ['1월', '2월', '3월'],
      series: [
        { label: '응답', values: [100, 200, 300] },
        { label: '포기', values: [50, 0, 150] },
      ],
    });
    const box = page.getByTestId('scratch-chart');
    assert.equal(await box.locator('.uplot[data-chart="bar"] canvas').count(), 1);
    assert.deepEqual(await box.locator('.u-series .u-label').allTextContents(), ['구분', '응답', '포기']);

    // The pixel in the middle of each category's left half is the first series'
    // colour, the right half the second's (3월: 300 and 150 tall).
    const colours = await page.evaluate(() => {
      const u = window.__chart.uplot;
      const ctx = u.ctx;
      const at = (x, y) => [...ctx.getImageData(Math.round(x), Math.round(y), 1, 1).data.slice(0, 3)];
      const x = u.valToPos(2, 'x', true);
      const step = u.valToPos(1, 'x', true) - u.valToPos(0, 'x', true);
      return {
        left: at(x - step * 0.2, u.valToPos(100, 'y', true)),
        right: at(x + step * 0.2, u.valToPos(100, 'y', true)),
        aboveRight: at(x + step * 0.2, u.valToPos(250, 'y', true)),
      };
    });
    assert.deepEqual(colours.left, [0x1f, 0x5f, 0xbf], 'first series: --chart-1');
    assert.deepEqual(colours.right, [0xd9, 0x73, 0x0d], 'second series: --chart-2');
    assert.notDeepEqual(colours.aboveRight, [0xd9, 0x73, 0x0d], 'the second bar ends at its value');

    // It follows the width of its container.
    await box.evaluate((b) => {
      b.style.width = '420px';
    });
    await page.waitForFunction(() => {
      const c = document.querySelector('[data-testid="scratch-chart"] canvas');
      return c && c.getBoundingClientRect().width > 300 && c.getBoundingClientRect().width <= 420;
    });

    // New data in place (what the live dashboard does every second).
    await page.evaluate(() =>
      window.__chart.update({ labels: ['1월', '2월', '3월', '4월'], series: [{ label: '응답', values: [1, 2, 3, 4] }, { label: '포기', values: [0, 0, 0, 12_345] }] }),
    );
    assert.equal(await page.evaluate(() => window.__chart.uplot.data[0].length), 4);

    // The page's signal aborts: the chart is gone.
    await page.evaluate(() => window.__controller.abort());
    assert.equal(await box.locator('canvas').count(), 0);
    assert.equal(await page.evaluate(() => window.__chart.uplot), null);
    assert.deepEqual(await page.evaluate(() => window.__csp), []);
    assert.deepEqual(unexpectedErrors(errors), []);
  });
});

test('the English UI writes the same values with English units', async () => {
  await withScratch('en', async (page) => {
    await draw(page, 'line', { labels: HOURS, series: [{ label: 'Today', values: [1234, 56789, 2_500_000, 0] }] });
    const drawn = await page.evaluate(() => window.__drawn.slice());
    assert.ok(drawn.some((s) => /^\d+(\.\d)?[KM]$/.test(s)), `a tick in K/M: ${drawn.join(' | ')}`);
    assert.ok(!drawn.some((s) => /만|억/.test(s)), drawn.join(' | '));
  });
});
