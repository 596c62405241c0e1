// Shared by the end-to-end tests: serves the release build (dist/) on loopback and drives
// Debian's Chromium with playwright-core (no browser download: executablePath is given).
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
export const DIST = process.env.E2E_DIST || path.join(ROOT, 'dist');
export const SHOTS = path.join(ROOT, 'target', 'screenshots');

const MIME = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json', '.png': 'image/png',
};

/** Serves dist/ on 127.0.0.1 at a free port; resolves to { url, close }. */
export function serveDist() {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    let file = path.join(DIST, decodeURIComponent(url.pathname));
    if (!file.startsWith(DIST)) { res.writeHead(403); res.end(); return; }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    if (!fs.existsSync(file)) file = path.join(DIST, 'index.html');
    res.writeHead(200, { 'content-type': MIME[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({ url: `http://127.0.0.1:${port}/`, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

/** Launches headless Chromium with the flags this machine needs (root, closed network). */
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** A new page at the given viewport and colour scheme that fails the test on a page error. */
export async function openPage(browser, url, { width = 1280, height = 720, colorScheme = 'light', lessons = false } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, colorScheme });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(url);
  await page.waitForSelector('.app');
  // A newcomer first sees the lesson list; most tests go straight to the sandbox.
  if (!lessons && await page.$('#open-sandbox')) await page.click('#open-sandbox');
  return { page, errors, context };
}

/** Pauses playback if it runs (the toolbar's play button says what a click would do). */
export async function pause(page) {
  if ((await page.getAttribute('#play', 'aria-label')).startsWith('Pause')) await page.click('#play');
}

/** Types a line into the page's console and presses Enter. */
export async function runLine(page, line) {
  await page.fill('#console-input', line);
  await page.press('#console-input', 'Enter');
}

/** Starts playback if it is paused. */
export async function play(page) {
  if ((await page.getAttribute('#play', 'aria-label')).startsWith('Play')) await page.click('#play');
}

/** Runs a console line and waits until the console shows it was run. */
export async function runLineAndWait(page, line) {
  const before = await page.$$eval('.scrollback pre.in', (els) => els.length);
  await page.fill('#console-input', line);
  await page.press('#console-input', 'Enter');
  await page.waitForFunction((n) => document.querySelectorAll('.scrollback pre.in').length > n, before);
}

/** Settles the task of the lesson step on screen, if it has one, as a student would: a goal
 * not met yet is done with "Show me" (and waited for), a prediction is answered with choice
 * `choice` and its explanation waited for. Returns the task's kind (`goal`, `predict`, or null). */
export async function answerTask(page, { choice = 0, goalTimeout = 10000 } = {}) {
  const task = await page.$('section.lesson .task');
  const kind = task && await task.getAttribute('data-task');
  if (kind === 'goal') {
    if ((await task.getAttribute('data-met')) !== 'true') await page.click('#lesson-show-me');
    await page.waitForSelector('section.lesson .task[data-met="true"]', { timeout: goalTimeout });
  } else if (kind === 'predict') {
    await page.click(`section.lesson .choice[data-choice="${choice}"]`);
    await page.waitForSelector('section.lesson .explanation');
  }
  return kind;
}

export async function screenshot(page, name) {
  fs.mkdirSync(SHOTS, { recursive: true });
  const file = path.join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Kafka's murmur2 (Utils.murmur2), an independent JavaScript port used to check the app. */
export function murmur2(str) {
  const data = Buffer.from(str, 'utf8');
  const m = 0x5bd1e995;
  let h = (0x9747b28c ^ data.length) | 0;
  const full = data.length & ~3;
  for (let i = 0; i < full; i += 4) {
    let k = data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24);
    k = Math.imul(k, m); k ^= k >>> 24; k = Math.imul(k, m);
    h = Math.imul(h, m); h ^= k;
  }
  switch (data.length & 3) {
    case 3: h ^= data[full + 2] << 16; // falls through
    case 2: h ^= data[full + 1] << 8; // falls through
    case 1: h ^= data[full]; h = Math.imul(h, m);
  }
  h ^= h >>> 13; h = Math.imul(h, m); h ^= h >>> 15;
  return h | 0;
}

/** The partition Kafka's producer picks for a key: toPositive(murmur2(key)) % n. */
export const partitionForKey = (key, n) => (murmur2(key) & 0x7fffffff) % n;
