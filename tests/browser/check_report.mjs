// Loads libplan's HTML report in headless Chromium (Debian's /usr/bin/chromium,
// driven through the DevTools protocol by puppeteer-core) and checks that it
// renders: no console error, no request leaving the file, maps (inline SVG) with
// drawn paths, tables with rows, Chinese text by default and English after the
// language switch. Saves a full-page screenshot (Chinese) as a test artifact.
//
// usage: node check_report.mjs REPORT.html SCREENSHOT.png
// exit 0 = all well, 1 = a problem (one line each on stderr),
// 77 = cannot run (puppeteer-core not installed: `npm ci` in tests/browser; no chromium).
import fs from 'node:fs';
import path from 'node:path';

const [report, shot] = process.argv.slice(2);
if (!report || !shot) {
  console.error('usage: node check_report.mjs REPORT.html SCREENSHOT.png');
  process.exit(2);
}
const chromium = process.env.PLAN_CHROMIUM || '/usr/bin/chromium';
let puppeteer;
try {
  puppeteer = (await import('puppeteer-core')).default;
} catch (e) {
  console.error(`check_report: SKIP: puppeteer-core is not installed (run npm ci in tests/browser): ${e.message}`);
  process.exit(77);
}
if (!fs.existsSync(chromium)) {
  console.error(`check_report: SKIP: no Chromium at ${chromium} (apt-get install chromium)`);
  process.exit(77);
}

const problems = [];
const browser = await puppeteer.launch({
  executablePath: chromium,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
});
try {
  const page = await browser.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
  page.on('request', (r) => {
    if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) problems.push(`external request: ${r.url()}`);
  });
  await page.setViewport({ width: 1200, height: 900 });
  const url = 'file://' + path.resolve(report);
  await page.goto(url, { waitUntil: 'load' });

  const state = await page.evaluate(() => {
    const maps = [...document.querySelectorAll('svg.map')].map((svg) => {
      const paths = [...svg.querySelectorAll('path')].filter((p) => (p.getAttribute('d') || '').length > 10);
      const box = svg.getBoundingClientRect();
      return { paths: paths.length, circles: svg.querySelectorAll('circle').length, width: box.width, height: box.height };
    });
    const tables = [...document.querySelectorAll('table')].map((t) => t.rows.length);
    const charts = [...document.querySelectorAll('svg.chart')].map((svg) => svg.querySelectorAll('rect.bar').length);
    return {
      lang: document.documentElement.lang,
      maps, tables, charts,
      text: document.body.innerText,
      sections: [...document.querySelectorAll('section')].map((s) => s.id),
    };
  });
  if (state.maps.length === 0) problems.push('no map');
  state.maps.forEach((m, i) => {
    if (m.paths === 0) problems.push(`map ${i + 1} draws no path`);
    if (m.width < 300 || m.height < 150) problems.push(`map ${i + 1} is ${m.width}x${m.height} px`);
  });
  if (state.tables.length === 0) problems.push('no table');
  state.tables.forEach((n, i) => {
    if (n < 2) problems.push(`table ${i + 1} has no data row`);
  });
  state.charts.forEach((n, i) => {
    if (n === 0) problems.push(`chart ${i + 1} has no bar`);
  });
  if (state.lang !== 'zh-CN') problems.push(`page language ${state.lang}, expected zh-CN`);
  if (!/[\u4e00-\u9fff]/.test(state.text)) problems.push('no Chinese text visible');
  const zhHeading = '路网与断头路', enHeading = 'Road network and dead ends';
  if (state.sections.includes('network')) {
    if (!state.text.includes(zhHeading)) problems.push(`Chinese heading '${zhHeading}' not visible`);
    if (state.text.includes(enHeading)) problems.push(`English heading '${enHeading}' visible before the switch`);
  }
  await page.screenshot({ path: shot, fullPage: true });

  // The language switch.
  await page.click('#lang');
  const en = await page.evaluate(() => ({ lang: document.documentElement.lang, text: document.body.innerText }));
  if (en.lang !== 'en') problems.push(`after the switch the page language is ${en.lang}`);
  if (state.sections.includes('network')) {
    if (!en.text.includes(enHeading)) problems.push(`English heading '${enHeading}' not visible after the switch`);
    if (en.text.includes(zhHeading)) problems.push(`Chinese heading '${zhHeading}' still visible after the switch`);
  }
  await page.click('#lang');
  const back = await page.evaluate(() => document.documentElement.lang);
  if (back !== 'zh-CN') problems.push(`switching back gives language ${back}`);

  console.log(`check_report: ${state.maps.length} maps (${state.maps.map((m) => m.paths).join('/')} paths), ` +
    `${state.tables.length} tables, ${state.charts.length} charts, sections ${state.sections.join(',')}; screenshot ${shot}`);
} finally {
  await browser.close();
}
for (const p of problems) console.error('check_report: ' + p);
process.exit(problems.length ? 1 : 0);
