// The console as a terminal user meets it: the console producer says how to finish and ends
// on Ctrl-D or Esc (an empty line is a record, as in Kafka); a console consumer without
// --max-messages prints records as they arrive; wide tables scroll instead of wrapping; a
// no-break space then Tab does not crash the page; Tab and Esc leave the console.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, openPage, screenshot, pause, runLine } from './harness.mjs';

let server, browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const outputs = (page) => page.$$eval('.scrollback pre', (els) => els.map((e) => e.textContent));

for (const [width, height, scheme, presenter] of [[1366, 768, 'light', false], [1280, 720, 'dark', true], [1920, 1080, 'dark', false]]) test(`the console producer says how to finish; an empty line is a record; Ctrl-D and Esc end it (${width}x${height} ${scheme}${presenter ? ' presenter' : ''})`, async () => {
  const { page, errors } = await openPage(browser, server.url, { width, height, colorScheme: scheme });
  await page.waitForSelector('[data-partition="orders-2"]');
  await pause(page);
  if (presenter) await page.click('#presenter');
  await runLine(page, 'kafka-topics --create --topic notes --partitions 1');
  await runLine(page, 'kafka-console-producer --topic notes');
  // The hint is visible and names both ways out.
  const hint = page.locator('#console-hint');
  await hint.waitFor();
  assert.match(await hint.innerText(), /Ctrl-D or Esc finishes/);
  assert.match(await hint.textContent(), /record for notes, an empty line too/);
  // On the prompt's own row, where the eye is while typing.
  await page.locator('#console-input').scrollIntoViewIfNeeded();
  const [hintBox, inputBox] = [await hint.boundingBox(), await page.locator('#console-input').boundingBox()];
  assert.ok(hintBox.y < inputBox.y + inputBox.height && inputBox.y < hintBox.y + hintBox.height, `the hint is beside the input: ${JSON.stringify([hintBox, inputBox])}`);
  assert.ok(hintBox.x + hintBox.width <= width, 'the hint is not cut off on the right');
  assert.match(await page.getAttribute('#console-input', 'placeholder'), /record per line for notes/);
  assert.equal(await page.textContent('.prompt-row .prompt'), '>');
  await screenshot(page, `console-producer-${width}x${height}-${scheme}${presenter ? '-presenter' : ''}`);
  await runLine(page, 'first');
  await runLine(page, '');
  // Still inside the producer after an empty line.
  assert.equal(await page.textContent('.prompt-row .prompt'), '>');
  await page.fill('#console-input', 'last');
  await page.press('#console-input', 'Control+d');
  await page.waitForSelector('#console-hint', { state: 'detached' });
  assert.equal((await page.textContent('.prompt-row .prompt')).trim(), '$');
  assert.ok((await outputs(page)).includes('>^D'));
  // Focus stays in the console after Ctrl-D, as in a terminal.
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'console-input');
  await runLine(page, 'kafka-get-offsets --topic notes');
  await page.waitForFunction(() => [...document.querySelectorAll('.scrollback pre.out')].some((p) => p.textContent === 'notes:0:3'));
  // Esc ends it too, and leaves the console.
  await runLine(page, 'kafka-console-producer --topic notes');
  await page.locator('#console-hint').waitFor();
  await page.press('#console-input', 'Escape');
  await page.waitForSelector('#console-hint', { state: 'detached' });
  assert.notEqual(await page.evaluate(() => document.activeElement?.id), 'console-input');
  assert.deepEqual(errors, []);
});

test('a console consumer without --max-messages prints records as they arrive', async () => {
  const { page, errors } = await openPage(browser, server.url, { width: 1280, height: 720 });
  await page.waitForSelector('[data-partition="orders-2"]');
  await runLine(page, 'kafka-topics --create --topic chat --partitions 1');
  await runLine(page, 'kafka-console-consumer --topic chat --property print.offset=true');
  await page.waitForSelector('.scrollback pre.out:has-text("Started console-consumer-1")');
  // The clock runs (the sandbox plays): the consumer joins, then reads what arrives.
  await page.waitForSelector('g.group[data-group="console-consumer-1"][data-state="Stable"]', { timeout: 30000 });
  await runLine(page, 'produce chat hello world');
  await page.waitForFunction(() => {
    const lines = [...document.querySelectorAll('.scrollback pre.out')].map((p) => p.textContent);
    return lines.includes('Offset:0\thello') && lines.includes('Offset:1\tworld');
  }, null, { timeout: 20000 });
  await runLine(page, 'produce chat later');
  await page.waitForFunction(() => [...document.querySelectorAll('.scrollback pre.out')].some((p) => p.textContent === 'Offset:2\tlater'), null, { timeout: 20000 });
  const last = page.locator('.scrollback pre.out', { hasText: 'Offset:2' });
  // The newest line is scrolled into view inside the console.
  const [box, pane] = [await last.boundingBox(), await page.locator('.scrollback').boundingBox()];
  assert.ok(box.y >= pane.y - 1 && box.y + box.height <= pane.y + pane.height + 1, 'the newest record is in view');
  await screenshot(page, 'console-consumer-1280x720-light');
  assert.deepEqual(errors, []);
});

for (const [width, height, scheme] of [[1280, 720, 'light'], [1366, 768, 'dark'], [1920, 1080, 'light']]) {
  test(`wide tables scroll inside the console instead of wrapping (${width}x${height} ${scheme})`, async () => {
    const { page, errors } = await openPage(browser, server.url, { width, height, colorScheme: scheme });
    await page.waitForSelector('g.group[data-group="payment"][data-state="Stable"]', { timeout: 30000 });
    for (const presenter of [false, true]) {
      if (presenter) await page.click('#presenter');
      await runLine(page, 'kafka-consumer-groups --describe --group payment --members --verbose');
      await runLine(page, 'kafka-consumer-groups --describe --group payment');
      const table = page.locator('.scrollback pre.table', { hasText: 'CURRENT-OFFSET' }).last();
      await table.waitFor();
      const lines = (await table.textContent()).split('\n');
      // Every line of the table is one row on screen: the height is lines × line height.
      const { height: h, lineHeight, whiteSpace } = await table.evaluate((el) => {
        const s = getComputedStyle(el);
        return { height: el.getBoundingClientRect().height, lineHeight: parseFloat(s.lineHeight) || parseFloat(s.fontSize) * 1.2, whiteSpace: s.whiteSpace };
      });
      assert.equal(whiteSpace, 'pre');
      assert.ok(h <= lines.length * lineHeight + 20, `${lines.length} rows in ${h}px (line ${lineHeight}px): no wrapping`);
      // The header's columns stay on one line, in order.
      assert.match(lines.find((l) => l.startsWith('GROUP')) ?? '', /^GROUP\s+TOPIC\s+PARTITION\s+CURRENT-OFFSET\s+LOG-END-OFFSET\s+LAG\s+CONSUMER-ID/);
      // The table stays inside the console: it scrolls there, the page does not.
      const pageWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(pageWidth <= width, `the page does not scroll sideways (${pageWidth}px)`);
      const members = page.locator('.scrollback pre.table', { hasText: 'ASSIGNMENT' }).last();
      assert.ok(await members.count() === 1);
      await table.scrollIntoViewIfNeeded();
      await screenshot(page, `console-table-${width}x${height}-${scheme}${presenter ? '-presenter' : ''}`);
    }
    assert.deepEqual(errors, []);
  });
}

test('a no-break space then Tab does not crash the page', async () => {
  const { page, errors } = await openPage(browser, server.url);
  await page.waitForSelector('#console-input');
  await pause(page);
  for (const text of ['\u00a0', '\u00a0-', 'kafka-topics\u00a0--', '\u3000k', '\u00a0kafka-top']) {
    await page.fill('#console-input', text);
    await page.focus('#console-input');
    await page.keyboard.press('Tab');
  }
  // The word after a no-break space completes (this sliced inside the space and aborted).
  await page.fill('#console-input', 'kafka-topics\u00a0--cr');
  await page.focus('#console-input');
  await page.keyboard.press('Tab');
  assert.equal(await page.inputValue('#console-input'), 'kafka-topics\u00a0--create ');
  // The page still works: a command runs and prints.
  await runLine(page, 'kafka-topics --list');
  await page.waitForFunction(() => [...document.querySelectorAll('.scrollback pre.out')].some((p) => p.textContent.startsWith('orders')));
  assert.deepEqual(errors, []);
});

test('Tab completes, then leaves the console when there is nothing more to complete; Esc always leaves', async () => {
  const { page, errors } = await openPage(browser, server.url);
  await page.waitForSelector('#console-input');
  await pause(page);
  await page.focus('#console-input');
  await page.keyboard.type('kafka-consumer-gr');
  await page.keyboard.press('Tab');
  assert.equal(await page.inputValue('#console-input'), 'kafka-consumer-groups');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'console-input');
  // Two candidates share nothing more: the first Tab lists them, the second moves on.
  await page.fill('#console-input', 'kafka-consumer-groups');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'console-input');
  assert.ok((await outputs(page)).some((l) => l.includes('kafka-consumer-groups.sh')), 'the candidates are listed');
  await page.keyboard.press('Tab');
  assert.notEqual(await page.evaluate(() => document.activeElement?.id), 'console-input', 'a second Tab leaves');
  // An empty line has nothing to complete: Tab leaves at once.
  await page.fill('#console-input', '');
  await page.focus('#console-input');
  await page.keyboard.press('Tab');
  assert.notEqual(await page.evaluate(() => document.activeElement?.id), 'console-input');
  // Shift-Tab goes back.
  await page.focus('#console-input');
  await page.keyboard.press('Shift+Tab');
  assert.notEqual(await page.evaluate(() => document.activeElement?.id), 'console-input');
  // Esc leaves with text in the line too, and keeps the text.
  await page.fill('#console-input', 'kafka-topics --list');
  await page.focus('#console-input');
  await page.keyboard.press('Escape');
  assert.notEqual(await page.evaluate(() => document.activeElement?.id), 'console-input');
  assert.equal(await page.inputValue('#console-input'), 'kafka-topics --list');
  assert.deepEqual(errors, []);
});
