// Keeping and sharing: a shared link opens exactly the same state; a damaged link or a
// corrupted autosave gives a clear message and a working app.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { serveDist, launch, openPage, screenshot } from './harness.mjs';

let server, browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const picture = (page) => page.$$eval('[data-partition], g.consumer, g.group', (els) => els.map((e) => [
  e.dataset.partition ?? '', e.dataset.logEndOffset ?? '', e.dataset.consumer ?? '', e.dataset.owned ?? '', e.dataset.state ?? '', e.dataset.generation ?? '',
].join('|')));

test('a shared link opens exactly the same state', async () => {
  const { page, errors } = await openPage(browser, server.url);
  await page.waitForSelector('g.group[data-group="payment"][data-state="Stable"]', { timeout: 30000 });
  await page.click('#play');
  await page.fill('#produce-key', 'shared-key');
  await page.click('#produce-button');
  await page.click('#session-menu summary');
  await page.click('#share');
  await page.waitForSelector('.notice-banner');
  assert.equal(await page.isVisible('#share'), false, 'the session menu closes after a choice');
  const url = page.url();
  assert.match(url, /#s1\./);
  const step = await page.getAttribute('.clock', 'data-step');
  const before = await picture(page);

  const other = await openPage(browser, url, { width: 1920, height: 1080 });
  await other.page.waitForSelector('g.record[data-key="shared-key"]');
  assert.equal(await other.page.getAttribute('.clock', 'data-step'), step);
  assert.deepEqual(await picture(other.page), before);
  assert.match(await other.page.getAttribute('#play', 'aria-label'), /^Play/, 'a shared link opens paused');
  // The history came along: stepping back works.
  await other.page.click('#step-back');
  assert.equal(Number(await other.page.getAttribute('.clock', 'data-step')), Number(step) - 1);
  await screenshot(other.page, 'shared-link-1920x1080-light');
  assert.deepEqual([...errors, ...other.errors], []);
});

test('Export .sh downloads the session as a bash script of Kafka tools', async () => {
  const { page, errors } = await openPage(browser, server.url);
  await page.waitForSelector('[data-partition="orders-0"]');
  await page.fill('#produce-key', 'exported-key');
  await page.click('#produce-button');
  await page.waitForSelector('g.record[data-key="exported-key"]');
  await page.click('#session-menu summary');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-shell')]);
  assert.equal(download.suggestedFilename(), 'kafka-sim-session.sh');
  const text = await fs.readFile(await download.path(), 'utf8');
  assert.match(text, /^#!\/usr\/bin\/env bash\n/);
  assert.match(text, /checked against Apache Kafka 4\.4\.0/);
  assert.match(text, /\nBOOTSTRAP=\$\{BOOTSTRAP:-localhost:9092\}\n/);
  assert.match(text, /\nkafka-topics\.sh --bootstrap-server "\$BOOTSTRAP" --create --topic orders --partitions 3/);
  assert.match(text, /exported-key/);
  assert.deepEqual(errors, []);
});

test('a damaged link shows a message and a working sandbox', async () => {
  const { page } = await openPage(browser, `${server.url}#s1.AAAA!!`);
  await page.waitForSelector('.error-banner');
  assert.match(await page.textContent('.error-banner'), /This link is damaged/);
  await page.waitForSelector('[data-partition="orders-0"]');
});

test('a corrupted autosave shows a message and leaves the app usable', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  await context.addInitScript(() => localStorage.setItem('kafka-sim/autosave', 's1.eJzLSM3JyVcozy_KSQEAGgQEXQ-corrupted'));
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(server.url);
  await page.waitForSelector('.error-banner');
  assert.match(await page.textContent('.error-banner'), /saved session could not be restored/);
  await page.waitForSelector('[data-partition="orders-2"]');
  await page.fill('#produce-key', 'still-works');
  await page.click('#produce-button');
  await page.waitForSelector('g.record[data-key="still-works"]');
  await screenshot(page, 'corrupted-save-1280x720-light');
  assert.deepEqual(errors, []);
});
