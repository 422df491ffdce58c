// Opens an HTML fleet report in headless Chromium (Debian's, through
// playwright-core: no browser download) and prints what a test needs to
// check, as JSON: the counts and rows the page shows, whether sorting and
// filtering work, console errors, every network request, any dialog (a
// script injected through a repository name would open one), and a
// screenshot saved for the test's artifacts.
//
//   node html_report.mjs REPORT.html SCREENSHOT.png
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(path.join(process.env.GOLDPATH_TOOLS || '/opt/goldpath-validators', 'npm', 'package.json'));
const { chromium } = require('playwright-core');

const [file, shot] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
const page = await browser.newPage({ javaScriptEnabled: true });
const errors = [];
const requests = [];
const dialogs = [];
page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
page.on('pageerror', (e) => errors.push(String(e)));
page.on('request', (r) => { if (!r.url().startsWith('file://')) requests.push(r.url()); });
page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
await page.goto('file://' + path.resolve(file));
const facts = await page.evaluate(() => ({
  title: document.title,
  counts: Object.fromEntries([...document.querySelectorAll('.counts .n')]
    .map((n) => [n.dataset.status, Number(n.textContent)])),
  rows: [...document.querySelectorAll('#repos tbody tr')]
    .map((r) => ({ status: r.dataset.status, cells: [...r.cells].map((c) => c.textContent) })),
  chartTitles: [...document.querySelectorAll('svg title')].map((t) => t.textContent),
  chartDescriptions: [...document.querySelectorAll('svg desc')].map((t) => t.textContent),
  headerScopes: [...document.querySelectorAll('#repos thead th')].map((t) => t.getAttribute('scope')),
  injected: document.querySelectorAll('main script, td script, th script').length,
}));
const cellOrder = () => page.evaluate(() => [...document.querySelectorAll('#repos tbody tr th')].map((c) => c.textContent));
await page.click('#repos thead th button[data-col="0"]');
facts.sortedAscending = await cellOrder();
await page.click('#repos thead th button[data-col="0"]');
facts.sortedDescending = await cellOrder();
await page.fill('#filter', 'failed');
facts.visibleWhenFilteredByFailed = await page.evaluate(() => [...document.querySelectorAll('#repos tbody tr')].filter((r) => !r.hidden).length);
await page.fill('#filter', '');
await page.screenshot({ path: shot, fullPage: true });
await page.emulateMedia({ colorScheme: 'dark' });
await page.screenshot({ path: shot.replace(/\.png$/, '-dark.png'), fullPage: true });
console.log(JSON.stringify({ ...facts, errors, requests, dialogs }));
await browser.close();
