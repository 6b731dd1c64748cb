// Drives wakegate's waiting page in headless Chromium and measures readiness-to-real-page: from the
// moment the upstream first accepts a connection (polled here every 2 ms, on this machine's clock)
// to the real page's DOMContentLoaded in the browser (performance.timing, the same clock).
//
//   node waiting-page.mjs --url URL --upstream HOST:PORT --real-id ID [--no-js] [--dark]
//                         [--screenshot FILE --shot-after MS]
// Prints one JSON line. Exits non-zero when the real page does not arrive within 60 s.
import puppeteer from 'puppeteer-core';
import net from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i < 0 ? dflt : args[i + 1]; };
const flag = (name) => args.includes(name);
const url = opt('--url');
const [upHost, upPort] = opt('--upstream').split(':');
const realId = opt('--real-id', 'real');
const shot = opt('--screenshot');
const shotAfter = +opt('--shot-after', '1200');
const noJs = flag('--no-js');
const dark = flag('--dark');

function firstAccept() {
  return new Promise((resolve) => {
    const attempt = () => {
      const s = net.connect({ host: upHost, port: +upPort });
      s.once('connect', () => { const t = Date.now(); s.destroy(); resolve(t); });
      s.once('error', () => { s.destroy(); setTimeout(attempt, 2); });
    };
    attempt();
  });
}

const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'wakegate-chromium-'));
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`],
});
let result;
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 760, height: 480, deviceScaleFactor: 1 });
  await page.setJavaScriptEnabled(!noJs);
  if (dark) await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);

  const statuses = [];
  let real = null;
  const arrived = new Promise((resolve) => {
    page.on('domcontentloaded', async () => {
      try {
        const r = await page.evaluate((id) => ({
          real: document.getElementById(id) !== null,
          dcl: performance.timing.domContentLoadedEventStart,
          responseStart: performance.timing.responseStart,
        }), realId);
        if (r.real && !real) { real = r; resolve(); }
      } catch (e) { /* a navigation replaced the document meanwhile: the next event tells */ }
    });
  });
  page.on('response', (r) => { if (r.request().isNavigationRequest()) statuses.push(r.status()); });

  const upstreamUp = firstAccept();
  const navigatedAt = Date.now();
  const first = await page.goto(url, { waitUntil: 'domcontentloaded' });
  const waitingPage = await page.evaluate(() => ({
    h1: document.querySelector('h1') ? document.querySelector('h1').textContent : null,
    live: document.querySelector('[aria-live]') !== null,
    bytes: document.documentElement.outerHTML.length,
  })).catch(() => null);
  if (shot) {
    await new Promise((r) => setTimeout(r, shotAfter));
    if (!real) await page.screenshot({ path: shot });
  }
  await Promise.race([arrived, new Promise((_, rej) => setTimeout(() => rej(new Error('no real page in 60 s')), 60000))]);
  const upAt = await upstreamUp;
  result = {
    mode: noJs ? 'scripts off (meta refresh)' : 'scripts on (live)',
    first_status: first.status(),
    waiting_page: waitingPage,
    navigations: statuses,
    upstream_up_after_ms: upAt - navigatedAt,
    real_page_dom_after_ms: real.dcl - navigatedAt,
    readiness_to_real_page_ms: real.dcl - upAt,
    readiness_to_response_ms: real.responseStart - upAt,
  };
} finally {
  await browser.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
console.log(JSON.stringify(result));
