// Transactions as a person sees them: the records of an open transaction outlined, the LSO
// labelled where a read_committed reader waits while a read_uncommitted one has read on;
// commit and abort markers drawn as tags with their letter, offset and word (not records);
// a pipeline drawn as a box on its output topic; and the Exactly once lesson played to its
// end. Checked at 1366x768 and 1920x1080, light and dark, with text the back row can read.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, openPage, screenshot, pause, runLineAndWait, answerTask } from './harness.mjs';

let server, browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

/** The on-screen box of an element, asserted to lie inside the viewport. */
async function visibleBox(page, selector, viewport) {
  const el = page.locator(selector).first();
  await el.waitFor();
  const box = await el.boundingBox();
  assert.ok(box, `${selector} is drawn`);
  assert.ok(box.x >= 0 && box.y >= 0 && box.x + box.width <= viewport.width && box.y + box.height <= viewport.height,
    `${selector} is inside the ${viewport.width}x${viewport.height} viewport: ${JSON.stringify(box)}`);
  return box;
}

/** The rendered font size of a text element, in screen pixels. */
const fontPx = (page, selector) => page.$eval(selector, (el) => {
  const svg = el.closest('svg');
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  return parseFloat(getComputedStyle(el).fontSize) * scale;
});

for (const [width, height, scheme] of [[1366, 768, 'light'], [1920, 1080, 'dark']]) test(`markers, the LSO and both isolation levels are drawn where Kafka puts them (${width}x${height} ${scheme})`, async () => {
  const viewport = { width, height };
  const { page, errors } = await openPage(browser, server.url, { width, height, colorScheme: scheme });
  await pause(page);
  for (const line of [
    'reset',
    'kafka-topics --create --topic orders --partitions 1',
    'producer add shop --transactional-id shop-tx',
    'txn init shop',
    'txn begin shop',
    'produce orders o-1 o-2 o-3 --producer shop',
    'consumer assign all --partition orders:0 --config auto.offset.reset=earliest',
    'consumer assign committed --partition orders:0 --config auto.offset.reset=earliest --config isolation.level=read_committed',
    'clock advance 2s',
  ]) await runLineAndWait(page, line);
  // Three open records, the LSO pinned at 0 and labelled.
  await page.waitForSelector('[data-partition="orders-0"] .txn-record.open');
  assert.equal(await page.locator('[data-partition="orders-0"] .txn-record.open').count(), 3);
  assert.equal(await page.locator('[data-partition="orders-0"] .txn-record.open .txn-tag').first().textContent(), 'open');
  const lso = page.locator('[data-partition="orders-0"] .txn-lso');
  assert.equal(await lso.getAttribute('data-lso'), '0');
  assert.match(await lso.getAttribute('class'), /pinned/);
  assert.equal(await lso.locator('.txn-lso-label').textContent(), 'LSO 0');
  await visibleBox(page, '[data-partition="orders-0"] .txn-lso-label', viewport);
  // The two readers side by side: read_uncommitted at 3, read_committed waiting at the LSO.
  const track = (c) => page.locator(`[data-partition="orders-0"] .track[data-consumer="${c}"]`);
  assert.equal(await track('all').getAttribute('data-position'), '3');
  assert.equal(await track('committed').getAttribute('data-position'), '0');
  assert.match(await track('committed').locator('.marker-label').textContent(), /read_committed|\[RC\]/);
  assert.match(await track('all').locator('.marker-label').textContent(), /read_uncommitted|\[RU\]/);
  await screenshot(page, `txn-open-${width}x${height}-${scheme}`);

  // Commit: a marker at offset 3, drawn as a tag with its letter and word, no record cell.
  await runLineAndWait(page, 'txn commit shop');
  await runLineAndWait(page, 'clock advance 2s');
  const commit = '[data-partition="orders-0"] .txn-marker.commit';
  await page.waitForSelector(commit);
  assert.equal(await page.getAttribute(commit, 'data-offset'), '3');
  assert.equal(await page.textContent(`${commit} .txn-marker-letter`), 'C 3');
  assert.equal(await page.textContent(`${commit} .txn-marker-word`), 'commit');
  assert.equal(await page.locator('[data-partition="orders-0"] .record[data-offset="3"]').count(), 0, 'a marker is not a record');
  await visibleBox(page, commit, viewport);
  assert.ok(await fontPx(page, `${commit} .txn-marker-word`) >= 10, 'the marker word is legible');
  assert.ok(await fontPx(page, '[data-partition="orders-0"] .txn-lso-label') >= 10, 'the LSO label is legible');
  assert.equal(await page.getAttribute('[data-partition="orders-0"] .txn-lso', 'data-lso'), '4');
  assert.equal(await track('committed').getAttribute('data-position'), '4', 'read_committed passed the marker');
  assert.equal(await track('all').getAttribute('data-position'), '4');

  // Abort: the records struck through, an A marker.
  for (const line of ['txn begin shop', 'produce orders o-4 o-5 --producer shop', 'txn abort shop', 'clock advance 2s']) await runLineAndWait(page, line);
  const abort = '[data-partition="orders-0"] .txn-marker.abort';
  await page.waitForSelector(abort);
  assert.equal(await page.textContent(`${abort} .txn-marker-letter`), 'A 6');
  assert.equal(await page.textContent(`${abort} .txn-marker-word`), 'abort');
  assert.equal(await page.locator('[data-partition="orders-0"] .txn-record.aborted').count(), 2);
  assert.equal(await page.locator('[data-partition="orders-0"] .txn-record.aborted .txn-tag').first().textContent(), 'aborted');
  assert.equal(await track('committed').getAttribute('data-position'), '7');
  await screenshot(page, `txn-markers-${width}x${height}-${scheme}`);

  // A pipeline: a box on its output topic naming its input and its guarantee.
  for (const line of [
    'kafka-topics --create --topic shipped --partitions 1',
    'pipeline add upper --from orders --to shipped --group upper --exactly-once --rate 5',
    'clock advance 6s',
  ]) await runLineAndWait(page, line);
  const box = '.pipeline[data-pipeline="upper"]';
  await page.waitForSelector(box);
  assert.equal(await page.getAttribute(box, 'data-from'), 'orders');
  assert.equal(await page.getAttribute(box, 'data-to'), 'shipped');
  assert.match(await page.textContent(`${box} .pipeline-text`), /upper ← orders · exactly-once · running/);
  await visibleBox(page, `${box} .pipeline-box`, viewport);
  assert.ok(await fontPx(page, `${box} .pipeline-text`) >= 10, 'the pipeline box is legible');
  // Its outputs of the committed orders, committed in a transaction: a C marker on shipped.
  await page.waitForSelector('[data-partition="shipped-0"] .txn-marker.commit');
  await screenshot(page, `txn-pipeline-${width}x${height}-${scheme}`);
  await runLineAndWait(page, 'pipeline crash upper');
  assert.match(await page.getAttribute(box, 'data-status'), /crashed/);
  assert.deepEqual(errors, []);
});

test('without transactions the lanes carry no transactional drawing', async () => {
  const { page, errors } = await openPage(browser, server.url, { width: 1366, height: 768 });
  await page.waitForSelector('[data-partition="orders-0"]');
  assert.equal(await page.locator('.txn-overlay').count(), 0);
  assert.equal(await page.locator('.pipelines').count(), 0);
  assert.deepEqual(errors, []);
});

test('the Exactly once lesson plays to its end', async () => {
  const { page, errors } = await openPage(browser, server.url, { width: 1366, height: 768, lessons: true });
  await page.waitForSelector('[data-lesson-card="exactly-once"]');
  await page.click('[data-lesson-card="exactly-once"]');
  await page.waitForSelector('section.lesson[data-lesson="exactly-once"][data-step="0"]');
  for (let step = 0; ; step++) {
    await page.waitForSelector(`section.lesson[data-step="${step}"]`);
    if (step === 1) {
      // The COMMIT marker the narration names is on screen.
      await page.waitForSelector('[data-partition="orders-0"] .txn-marker.commit');
      assert.equal(await page.textContent('[data-partition="orders-0"] .txn-marker.commit .txn-marker-letter'), 'C 3');
    }
    await answerTask(page);
    await screenshot(page, `lesson-exactly-once-1366-step-${step + 1}`);
    if (await page.isDisabled('#lesson-next')) break;
    await page.click('#lesson-next');
  }
  // The last step: the pipelines' boxes, duplicates downstream of alo, aborted receipts of eos.
  await page.waitForSelector('.pipeline[data-pipeline="eos"]');
  assert.ok(await page.locator('[data-partition="receipts-eos-0"] .txn-record.aborted').count() > 0);
  assert.ok(await page.locator('[data-partition="receipts-eos-0"] .txn-marker.commit').count() > 0);
  assert.deepEqual(errors, []);
});

const consoleText = (page) => page.$$eval('.scrollback pre', (els) => els.map((e) => e.textContent));

for (const [width, height, scheme, presenter] of [[1366, 768, 'light', false], [1920, 1080, 'dark', false], [1366, 768, 'dark', true], [1920, 1080, 'light', true]]) test(`a pipeline added from the form, crashed and started from its box, each echoed; the read_committed reader gets each result once (${width}x${height} ${scheme}${presenter ? ' presenter' : ''})`, async () => {
  const viewport = { width, height };
  const { page, errors } = await openPage(browser, server.url, { width, height, colorScheme: scheme });
  await pause(page);
  if (presenter) await page.click('#presenter');
  for (const line of [
    'reset',
    'kafka-topics --create --topic orders --partitions 1',
    'kafka-topics --create --topic shipped --partitions 1',
    'produce orders o-1 o-2 o-3 o-4',
  ]) await runLineAndWait(page, line);
  // The form, by keyboard: its fields are named by their visible labels.
  await page.click('.pipeline-form > summary');
  const form = page.getByRole('form', { name: 'Add a pipeline' });
  await form.getByLabel('Name').fill('upper');
  await form.getByLabel('From topic').selectOption('orders');
  await form.getByLabel('To topic').selectOption('shipped');
  await form.getByLabel('Group', { exact: true }).fill('upper-group');
  await form.getByLabel('Guarantee').selectOption('exactly-once');
  await form.getByLabel('Rate (records/s)').fill('1');
  // The side panels scroll: the form's button is reached as a user scrolls to it.
  await page.locator('#add-pipeline').scrollIntoViewIfNeeded();
  await visibleBox(page, '#add-pipeline', viewport);
  await page.focus('#add-pipeline');
  await page.keyboard.press('Enter');
  let lines = await consoleText(page);
  assert.ok(lines.includes('$ pipeline add upper --from orders --to shipped --group upper-group --exactly-once --rate 1'), lines.join(' | '));
  const box = '.pipeline[data-pipeline="upper"]';
  await page.waitForSelector(box);
  assert.equal(await page.getAttribute(box, 'data-status'), 'running');
  await runLineAndWait(page, 'clock advance 5500ms');
  // Mid-batch: receipts written in an open transaction.
  await page.waitForSelector('[data-partition="shipped-0"] .txn-record.open');
  // The box is a button whose accessible name starts with its visible text.
  const text = await page.textContent(`${box} .pipeline-text`);
  assert.ok((await page.getAttribute(box, 'aria-label')).startsWith(text), 'the accessible name holds the visible text');
  assert.ok(await fontPx(page, `${box} .pipeline-text`) >= 10, 'the pipeline box is legible');
  await visibleBox(page, `${box} .pipeline-box`, viewport);
  await page.focus(box);
  await page.keyboard.press('Enter');
  await page.waitForSelector('.inspector #pipeline-crash');
  assert.equal(await page.textContent('.inspector h2'), 'Pipeline upper');
  await page.locator('.inspector #pipeline-crash').scrollIntoViewIfNeeded();
  await visibleBox(page, '.inspector #pipeline-crash', viewport);
  await screenshot(page, `pipeline-gui-${width}x${height}-${scheme}${presenter ? '-presenter' : ''}`);
  await page.click('.inspector #pipeline-crash');
  await page.waitForSelector(`${box}[data-status="crashed"]`);
  assert.match(await page.textContent(`${box} .pipeline-text`), /crashed/);
  assert.equal(await page.textContent('.inspector #pipeline-status'), 'crashed');
  lines = await consoleText(page);
  assert.ok(lines.includes('$ pipeline crash upper'), lines.join(' | '));
  await screenshot(page, `pipeline-crashed-${width}x${height}-${scheme}${presenter ? '-presenter' : ''}`);
  // Started again by keyboard from the inspector: the new instance aborts the crashed one's
  // transaction and redoes the batch.
  await page.focus('.inspector #pipeline-start');
  await page.keyboard.press('Enter');
  await page.waitForSelector(`${box}[data-status="running"]`);
  lines = await consoleText(page);
  assert.ok(lines.includes('$ pipeline start upper'), lines.join(' | '));
  await runLineAndWait(page, 'clock advance 60s');
  assert.ok(await page.locator('[data-partition="shipped-0"] .txn-record.aborted').count() > 0, 'the first attempt is aborted');
  await runLineAndWait(page, 'kafka-console-consumer --bootstrap-server localhost:9092 --topic shipped --partition 0 --offset earliest --max-messages 4 --isolation-level read_committed');
  lines = await consoleText(page);
  const out = lines[lines.length - 1];
  assert.match(out, /O-1\nO-2\nO-3\nO-4\n/, out);
  assert.match(out, /Processed a total of 4 messages/, out);
  await screenshot(page, `pipeline-restarted-${width}x${height}-${scheme}${presenter ? '-presenter' : ''}`);
  assert.deepEqual(errors, []);
});
