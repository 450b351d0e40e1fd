// Browser tests of monitoring at 360 px: a provincial officer opens the
// half-year report, prints it, opens the dashboard and the map (offline:
// no tiles configured), all without console errors.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  resultsDir, TEST_TIMEOUT, startSuite, newContext, watch, pathOf, login, checkLayout,
} from './harness.js';

startSuite();

// A4 landscape less the print margins of monitoring.css (12 mm each
// side), at 96 px to the inch: the width a printed report has.
const PRINT_WIDTH = Math.floor(((297 - 24) / 25.4) * 96);

test('province officer: half-year report, its print view, the dashboard and the map at 360 px', { timeout: TEST_TIMEOUT * 2 }, async () => {
  const ctx = await newContext();
  try {
    const page = await ctx.newPage();
    const problems = watch(page);
    await login(page, 'quangninh.canbo');

    // The report of the first half of the year, from the menu.
    await page.locator('nav.menu a[href="/reports"]').click();
    await page.waitForURL((u) => pathOf(u.toString()) === '/reports');
    const year = new Date().getFullYear();
    await page.locator('select[name=period]').selectOption(`${year}-H1`);
    await Promise.all([page.waitForURL(/period=/), page.locator('form.filters button.primary').click()]);
    await page.locator('table.report-table').first().waitFor();
    assert.match(await page.locator('h2.report-title').textContent(), new RegExp(`6 tháng đầu năm ${year}`), 'the half-year report');
    assert.ok(await page.locator('td.ind', { hasText: 'Lượt người được tiếp cận' }).count() >= 1, 'contacts row');
    assert.ok(await page.locator('th', { hasText: 'Nhóm đồng đẳng Hạ Long' }).count() >= 1, 'a column per group');
    assert.ok(await page.locator('th', { hasText: 'Chia theo mô hình' }).count() === 1, 'columns by model');
    await checkLayout(page, 'report');
    await page.screenshot({ path: path.join(resultsDir, 'report-province.png'), fullPage: true });

    // The print view: no menu, no form, and the report within an A4
    // landscape page.
    await page.emulateMedia({ media: 'print' });
    await page.setViewportSize({ width: PRINT_WIDTH, height: 740 });
    const print = await page.evaluate(() => ({
      menu: getComputedStyle(document.querySelector('nav.menu')).display,
      form: getComputedStyle(document.querySelector('form.filters')).display,
      width: document.querySelector('article.report').scrollWidth,
      tables: [...document.querySelectorAll('table.report-table')].map((t) => t.scrollWidth),
    }));
    assert.equal(print.menu, 'none', 'the menu does not print');
    assert.equal(print.form, 'none', 'the form does not print');
    assert.ok(print.width <= PRINT_WIDTH, `the printed report is ${print.width}px wide, the page ${PRINT_WIDTH}px`);
    for (const w of print.tables) assert.ok(w <= PRINT_WIDTH, `a printed table is ${w}px wide`);
    await page.pdf({ path: path.join(resultsDir, 'report-province.pdf'), landscape: true, format: 'A4' });
    await page.emulateMedia({ media: 'screen' });
    await page.setViewportSize({ width: 360, height: 740 });

    // The Excel file sent upward.
    const xlsx = await page.request.get(await page.locator('a[href^="/reports/export"]').getAttribute('href'));
    assert.equal(xlsx.status(), 200, 'the report exports');
    assert.match(xlsx.headers()['content-disposition'], /\.xlsx/);

    // The dashboard: numbers and charts drawn on the server.
    await page.goto('/dashboard');
    await page.locator('figure.chart svg').first().waitFor();
    assert.ok(await page.locator('figure.chart svg').count() >= 3, 'charts');
    assert.ok(await page.locator('.kpi').count() >= 4, 'numbers');
    await checkLayout(page, 'dashboard');
    await page.screenshot({ path: path.join(resultsDir, 'dashboard-province.png'), fullPage: true });

    // The map, without tiles: the outline and the province's places.
    await page.goto('/map');
    await page.locator('.leaflet-container').waitFor();
    await page.locator('.leaflet-overlay-pane path').first().waitFor();
    await page.waitForFunction(() => document.querySelectorAll('.leaflet-overlay-pane path').length >= 3);
    await checkLayout(page, 'map');
    // A place's popup names it.
    const marker = page.locator('.leaflet-overlay-pane path.leaflet-interactive').last();
    await marker.click({ force: true });
    await page.locator('.leaflet-popup-content .map-popup b').waitFor();
    await page.screenshot({ path: path.join(resultsDir, 'map-province.png'), fullPage: true });

    assert.deepEqual(problems, [], 'no console errors, failed requests or CSP violations');
  } finally {
    await ctx.close();
  }
});

test('national officer: the national report shows provinces, shared, and the map the provinces', { timeout: TEST_TIMEOUT }, async () => {
  const ctx = await newContext();
  try {
    const page = await ctx.newPage();
    const problems = watch(page);
    await login(page, 'cuc.canbo');
    await page.goto(`/reports?period=${new Date().getFullYear()}`);
    await page.locator('table.report-table').first().waitFor();
    assert.ok(await page.locator('th', { hasText: 'Chia theo tỉnh, thành phố' }).count() === 1, 'columns by province');
    assert.equal(await page.locator('th', { hasText: 'Nhóm đồng đẳng Hạ Long' }).count(), 0, 'no group columns');
    assert.ok(await page.locator('text=Bản gửi đi').count() >= 1, 'a shared report');
    await checkLayout(page, 'national report');
    await page.goto('/map');
    await page.locator('.leaflet-tooltip', { hasText: 'Quảng Ninh' }).waitFor();
    await checkLayout(page, 'national map');
    assert.deepEqual(problems, [], 'no console errors, failed requests or CSP violations');
  } finally {
    await ctx.close();
  }
});
