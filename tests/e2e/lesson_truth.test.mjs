// Lessons that tell the truth, as a student sees them: a step's commands print their real
// output in the console; code spans are code; a paused goal says to press Play; the last
// step leads to the next lesson; a reload returns to the step reached; the rebalancing
// lesson's lanes hold records.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, openPage, screenshot } from './harness.mjs';

let server, browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const consoleText = (page) => page.$$eval('.scrollback pre', (els) => els.map((e) => e.textContent));

test('a step prints its commands and their real output; code spans render as code', async () => {
  const { page, errors } = await openPage(browser, `${server.url}?lesson=ordering-and-keys&step=2`, { width: 1366, height: 768 });
  await page.waitForSelector('section.lesson[data-lesson="ordering-and-keys"][data-step="1"]');
  const lines = await consoleText(page);
  const at = lines.indexOf('$ kafka-console-consumer --topic accounts --from-beginning --max-messages 6 --property print.key=true --property print.partition=true');
  assert.ok(at >= 0, `the step's command is echoed: ${lines.join(' | ')}`);
  assert.match(lines[at + 1], /Partition:\d+\talice\tdeposit 100/);
  assert.match(lines[at + 1], /Processed a total of 6 messages$/);
  await screenshot(page, 'lesson-output-1366x768-light');
  // The offsets lesson's narration names a config: it is shown as code, not in backticks.
  await page.goto(`${server.url}?lesson=offsets-retention-replay&step=2`);
  await page.waitForSelector('section.lesson[data-step="1"]');
  const narration = await page.locator('section.lesson .narration').allTextContents();
  assert.ok(narration.every((p) => !p.includes('`')), `no literal backticks: ${narration}`);
  assert.equal(await page.locator('section.lesson .narration code', { hasText: 'auto.commit.interval.ms' }).count(), 1);
  const font = await page.locator('section.lesson .narration code').first().evaluate((el) => getComputedStyle(el).fontFamily);
  assert.match(font, /mono/i);
  assert.ok((await consoleText(page)).includes('$ kafka-consumer-groups --describe --group audit'));
  assert.deepEqual(errors, []);
});

test('a paused goal says what to press, and the note goes once the clock runs', async () => {
  const { page, errors } = await openPage(browser, `${server.url}?lesson=offsets-retention-replay&step=2`, { width: 1280, height: 720, colorScheme: 'dark' });
  await page.waitForSelector('section.lesson .task[data-task="goal"][data-met="false"]');
  const note = page.locator('#lesson-clock-note');
  await note.waitFor();
  assert.match(await note.innerText(), /paused[\s\S]*takes time[\s\S]*Play/);
  // The hint's commands are code, as in the narration.
  await page.click('#lesson-hint');
  await page.waitForSelector('section.lesson .hint code:has-text("consumer commit auditor")');
  assert.ok(!(await page.locator('section.lesson .hint').innerText()).includes('`'));
  await note.scrollIntoViewIfNeeded();
  await screenshot(page, 'lesson-clock-note-1280x720-dark');
  await page.click('#play');
  await note.waitFor({ state: 'detached' });
  // Show me types its commands into the console, as a teacher would.
  await page.click('#lesson-show-me');
  await page.waitForSelector('section.lesson .task[data-met="true"]');
  assert.ok((await consoleText(page)).includes('$ consumer commit auditor'));
  assert.deepEqual(errors, []);
});

test('the last step leads to the next lesson', async () => {
  const { page, errors } = await openPage(browser, `${server.url}?lesson=newspaper&step=99`, { width: 1920, height: 1080 });
  await page.waitForSelector('section.lesson[data-lesson="newspaper"]');
  assert.ok(await page.isDisabled('#lesson-next'));
  const next = page.locator('#lesson-next-lesson');
  assert.match(await next.innerText(), /^Next lesson: .+/);
  assert.ok(await next.isVisible());
  await screenshot(page, 'lesson-last-step-1920x1080-light');
  await next.click();
  await page.waitForSelector('section.lesson[data-lesson="order-events"][data-step="0"]');
  assert.deepEqual(errors, []);
});

test('the last step of the last lesson leads back to the lesson list', async () => {
  const { page, errors } = await openPage(browser, `${server.url}?lesson=exactly-once&step=99`, { width: 1366, height: 768 });
  await page.waitForSelector('section.lesson[data-lesson="exactly-once"]');
  assert.ok(await page.isDisabled('#lesson-next'));
  assert.equal(await page.locator('#lesson-next-lesson').count(), 0);
  const all = page.locator('#lesson-all-lessons');
  assert.equal(await all.innerText(), 'All lessons ▶');
  assert.ok(await all.isVisible());
  await all.click();
  await page.waitForSelector('[data-lesson-card="newspaper"]');
  assert.deepEqual(errors, []);
});

test('a reload returns to the step reached, not the step in the link; leaving the lesson clears it', async () => {
  const { page, errors } = await openPage(browser, `${server.url}?lesson=order-events&step=1`, { width: 1366, height: 768 });
  await page.waitForSelector('section.lesson[data-lesson="order-events"][data-step="0"]');
  await page.click('#lesson-next');
  await page.waitForSelector('section.lesson[data-step="1"]');
  await page.click('#lesson-next');
  await page.waitForSelector('section.lesson[data-step="2"]');
  assert.match(page.url(), /[?&]lesson=order-events&step=3$/);
  await page.reload();
  await page.waitForSelector('section.lesson[data-lesson="order-events"][data-step="2"]');
  await page.click('#lesson-exit');
  await page.waitForSelector('section.lesson', { state: 'detached' });
  assert.doesNotMatch(page.url(), /lesson=/);
  assert.deepEqual(errors, []);
});

test('the rebalancing lesson shows records piling up on the crashed member\'s partitions', async () => {
  const { page, errors } = await openPage(browser, `${server.url}?lesson=rebalancing&step=5`, { width: 1366, height: 768 });
  await page.waitForSelector('section.lesson[data-lesson="rebalancing"][data-step="4"]');
  for (const tp of ['orders-1', 'refunds-1']) {
    const records = await page.locator(`[data-partition="${tp}"] g.record`).count();
    assert.ok(records > 0, `${tp} shows records`);
    const end = Number(await page.getAttribute(`[data-partition="${tp}"]`, 'data-log-end-offset'));
    assert.ok(end > 0, `${tp} has a log end of ${end}`);
  }
  await screenshot(page, 'lesson-rebalancing-crash-1366x768-light');
  assert.deepEqual(errors, []);
});

/** Where a reader's ▲ (processed) mark sits on a lane, from the drawing. */
const processedMark = (page, partition, name) => page.$eval(`[data-partition="${partition}"] g.track[data-track="${name}"] .mark.processed`, (m) => Number(m.dataset.offset));
const owned = async (page, c) => ((await page.getAttribute(`g.consumer[data-consumer="${c}"]`, 'data-owned')) ?? '').split(',').filter(Boolean);
const status = (page, c) => page.getAttribute(`g.consumer[data-consumer="${c}"]`, 'data-status');
const groupState = (page, g) => page.getAttribute(`g.group[data-group="${g}"]`, 'data-state');
const open = async (lesson, step) => {
  const opened = await openPage(browser, `${server.url}?lesson=${lesson}&step=${step}`, { width: 1366, height: 768 });
  await opened.page.waitForSelector(`section.lesson[data-lesson="${lesson}"][data-step="${step - 1}"]`);
  return opened;
};

test('each step\'s picture shows what its narration claims, at 1366×768', async () => {
  // Order events, step 2: the three events of order-1001 sit in one partition, at consecutive offsets.
  let { page, errors, context } = await open('order-events', 2);
  const cells = await page.$$eval('g.record[data-key="order-1001"]', (els) => els.map((e) => ({ partition: e.closest('[data-partition]').dataset.partition, offset: Number(e.dataset.offset) })));
  assert.equal(cells.length, 3);
  assert.equal(new Set(cells.map((c) => c.partition)).size, 1, `one partition: ${JSON.stringify(cells)}`);
  assert.deepEqual(cells.map((c) => c.offset).sort(), [0, 1, 2]);
  assert.deepEqual(errors, []);
  await context.close();

  // Order events, step 5: three members own a partition each and two are idle, and the whole
  // group column is on screen at a legible size (consumers one line each).
  ({ page, errors, context } = await open('order-events', 5));
  for (const c of ['payment-1', 'payment-2', 'payment-3']) assert.equal((await owned(page, c)).length, 1, `${c} owns one`);
  for (const c of ['payment-4', 'payment-5']) assert.equal(await status(page, c), 'idle');
  const column = await page.evaluate(() => {
    const stage = document.querySelector('.stage').getBoundingClientRect();
    const names = [...document.querySelectorAll('g.consumer .name')];
    const scale = document.querySelector('svg.diagram').getScreenCTM().a;
    return { inStage: names.every((n) => n.getBoundingClientRect().bottom <= stage.bottom + 1), px: Math.min(...names.map((n) => parseFloat(getComputedStyle(n).fontSize) * scale)) };
  });
  assert.ok(column.inStage, 'every consumer is visible without scrolling the diagram');
  assert.ok(column.px >= 11, `consumer names are legible: ${column.px.toFixed(1)} px`);
  assert.deepEqual(errors, []);
  await context.close();

  // Newspaper, step 6: Alice, rewound, has already re-read to the end; carol began at offset 43.
  ({ page, errors, context } = await open('newspaper', 6));
  const end = Number(await page.getAttribute('[data-partition="news-0"]', 'data-log-end-offset'));
  assert.ok(await processedMark(page, 'news-0', 'alice') >= end - 2, 'alice is back at the end of the log');
  assert.ok((await consoleText(page)).some((l) => l.includes('carol had no committed offset for news-0: auto.offset.reset=latest moved it to 43.')));
  assert.deepEqual(errors, []);
  await context.close();

  // Rebalancing, step 3: the eager group is in PreparingRebalance and nobody reads anything.
  ({ page, errors, context } = await open('rebalancing', 3));
  assert.equal(await groupState(page, 'billing'), 'PreparingRebalance');
  for (const c of ['c1', 'c2', 'c3']) assert.deepEqual(await owned(page, c), [], `${c} reads nothing`);
  const unowned = await page.$$eval('g.track.unowned', (els) => els.length);
  assert.equal(unowned, 6, 'all six lanes say they have no owner');
  assert.deepEqual(errors, []);
  await context.close();

  // Rebalancing, step 7: the cooperative group rebalances, yet c1, c2 and c3 keep their partitions.
  ({ page, errors, context } = await open('rebalancing', 7));
  assert.match(await groupState(page, 'billing'), /Rebalance/);
  for (const c of ['c1', 'c2', 'c3']) assert.equal((await owned(page, c)).length, 2, `${c} still owns two`);
  assert.match(await page.textContent('g.group[data-group="billing"]'), /cooperative · gen/);
  assert.deepEqual(errors, []);
  await context.close();
});
