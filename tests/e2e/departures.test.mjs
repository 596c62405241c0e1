// Records leaving a log (issue 12, diagram): when a partition's log follows a new leader that
// never had some records, or a returning replica cuts what the leader never had, the records
// cut are drawn as struck-through ghosts after the log end that fly up and fade over about
// 2 s, with a line naming them and who cut them. Under reduced motion the struck ghosts and
// the line stay still, and a crashed broker greys at once. The topics form's replication
// factor label stays on one line. A waiting record that lands flies from its producer, named;
// a group names its coordinator and marks it when it moves. Screenshots go to target/screenshots/ (departures-*).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, openPage, pause, runLineAndWait, screenshot } from './harness.mjs';

let server, browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

/** Lesson 07's payments (the sandbox's topic deleted, so the lane is in view): acks=1 records on broker 1 alone, then broker 1 crashes and is fenced. */
async function leaderCrashes(page) {
  await pause(page);
  for (const line of [
    'kafka-topics --delete --topic orders',
    'broker add', 'broker add',
    'kafka-topics --create --topic payments --replica-assignment 1:2:3',
    'producer add shop',
    'produce payments pay-1 pay-2 pay-3 --producer shop',
    'clock advance 1s',
    'producer acks shop 1',
    'produce payments pay-4 pay-5 pay-6 --producer shop',
  ]) await runLineAndWait(page, line);
  await page.waitForSelector('.lane[data-partition="payments-0"][data-log-end-offset="6"]');
  assert.equal(await page.$$eval('.leaving-record', (els) => els.length), 0, 'nothing leaves before the crash');
  await runLineAndWait(page, 'broker crash 1');
}

/** The ghosts of a lane now: offset, value, on-screen box and opacity. */
const ghosts = (page, tp) => page.$$eval(`.departure[data-partition="${tp}"] .leaving-record`, (els) => els.map((e) => {
  const body = e.querySelector('.leaving-body');
  const r = body.querySelector('rect').getBoundingClientRect();
  return { offset: e.dataset.offset, value: e.dataset.value, x: r.x, y: r.y, w: r.width, h: r.height, opacity: Number(getComputedStyle(body).opacity) };
}));

/** The line under the ghosts: its text, its box, and whether anything is drawn over it. */
const note = (page, tp) => page.$eval(`.departure[data-partition="${tp}"] .lost-note`, (g) => {
  g.scrollIntoView({ block: 'nearest' });
  const r = g.querySelector('text').getBoundingClientRect();
  const lane = document.querySelector(`.lane[data-partition="${g.closest('.departure').dataset.partition}"] .lane-bg`).getBoundingClientRect();
  // The line lets clicks through (pointer-events: none): let it take them to ask what is on top.
  g.style.pointerEvents = 'auto';
  const top = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
  g.style.pointerEvents = '';
  return { text: g.textContent, x: r.x, y: r.y, w: r.width, h: r.height, inLane: r.left >= lane.left && r.right <= lane.right && r.top >= lane.top && r.bottom <= lane.bottom, onTop: !!top && g.contains(top) };
});

test('a new leader without the acks=1 records, then the old leader cutting them: they are seen leaving, named', async () => {
  for (const [width, height, colorScheme, presenter] of [[1280, 720, 'light', false], [1366, 768, 'dark', false], [1920, 1080, 'light', true]]) {
    const what = `${width}x${height} ${colorScheme}${presenter ? ' presenter' : ''}`;
    const { page, errors, context } = await openPage(browser, server.url, { width, height, colorScheme });
    if (presenter) { await page.click('#presenter'); await page.waitForSelector('.app.presenter'); }
    await leaderCrashes(page);
    await runLineAndWait(page, 'clock advance 12s');
    await page.waitForSelector('.lane[data-partition="payments-0"][data-log-end-offset="3"]');
    const first = await ghosts(page, 'payments-0');
    assert.deepEqual(first.map((g) => [g.offset, g.value]), [['3', 'pay-4'], ['4', 'pay-5'], ['5', 'pay-6']], `${what}: the three lost records are drawn`);
    const end = await page.$eval('.lane[data-partition="payments-0"] .log-end line', (e) => e.getBoundingClientRect().right);
    assert.ok(first.every((g) => g.x > end), `${what}: the ghosts sit after the log end (${end}): ${first.map((g) => g.x)}`);
    assert.ok(first.every((g) => g.opacity > 0.5), `${what}: at first the ghosts are plainly visible: ${first.map((g) => g.opacity)}`);
    let line = await note(page, 'payments-0');
    assert.equal(line.text, '✂ pay-4, pay-5, pay-6 lost: new leader broker 2 never had them');
    assert.ok(line.inLane && line.onTop && line.h >= 10 && line.x + line.w <= width, `${what}: the line is legible in its lane: ${JSON.stringify(line)}`);
    await screenshot(page, `departures-new-leader-0-${width}-${colorScheme}${presenter ? '-presenter' : ''}`);
    // A burst across the motion: the ghosts rise and fade; the line stays.
    const seen = [];
    for (let shot = 0; shot < 8; shot++) {
      await page.waitForTimeout(300);
      seen.push(await ghosts(page, 'payments-0'));
      if (shot === 2) await screenshot(page, `departures-new-leader-mid-${width}-${colorScheme}${presenter ? '-presenter' : ''}`);
    }
    const last = seen.at(-1);
    assert.ok(first[0].y - last[0].y > 15, `${what}: pay-4 flew up: ${first[0].y} → ${last[0].y}`);
    assert.ok(last.every((g) => g.opacity < 0.2), `${what}: and faded out: ${last.map((g) => g.opacity)}`);
    const midway = seen.filter((s) => s[0].opacity > 0.2 && s[0].opacity < 0.95);
    assert.ok(midway.length >= 2, `${what}: seen on its way out at least twice: ${seen.map((s) => s[0].opacity)}`);
    line = await note(page, 'payments-0');
    assert.match(line.text, /^✂ pay-4, pay-5, pay-6 lost/, `${what}: the line stays once the records have gone`);

    // Broker 1 returns and cuts the same three from its own log.
    await runLineAndWait(page, 'broker start 1');
    await runLineAndWait(page, 'clock advance 1s');
    await page.waitForSelector('.departure[data-partition="payments-0"][data-cause="replica-cut"]');
    assert.equal((await note(page, 'payments-0')).text, '✂ pay-4, pay-5, pay-6 lost: broker 1 truncated to 3');
    assert.deepEqual((await ghosts(page, 'payments-0')).map((g) => g.value), ['pay-4', 'pay-5', 'pay-6']);
    await page.waitForTimeout(400);
    await screenshot(page, `departures-replica-cut-${width}-${colorScheme}${presenter ? '-presenter' : ''}`);
    // A few seconds of simulated time later the picture is clean again.
    await runLineAndWait(page, 'clock advance 5s');
    assert.equal(await page.$$eval('.departure', (els) => els.length), 0, `${what}: nothing left hanging`);
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test('with reduced motion the crashed broker greys at once and the cut records stay still, struck through, with their line', async () => {
  for (const [width, height, colorScheme] of [[1280, 720, 'dark'], [1366, 768, 'light'], [1920, 1080, 'dark']]) {
    const what = `${width}x${height} ${colorScheme}`;
    const { page, errors, context } = await openPage(browser, server.url, { width, height, colorScheme });
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await leaderCrashes(page);
    // No fade: grey on the very next frame, the name and the state still readable.
    const box = await page.waitForSelector('.broker[data-broker="1"].crashed', { timeout: 2000 });
    const grey = await box.evaluate((e) => ({ opacity: Number(getComputedStyle(e).opacity), text: e.textContent }));
    assert.ok(grey.opacity < 0.7 && grey.opacity >= 0.5, `${what}: greyed at once, still legible (opacity ${grey.opacity})`);
    assert.match(grey.text, /Broker 1.*crashed/);
    await runLineAndWait(page, 'clock advance 12s');
    const first = await ghosts(page, 'payments-0');
    assert.deepEqual(first.map((g) => g.value), ['pay-4', 'pay-5', 'pay-6']);
    const struck = await page.$$eval('.departure[data-partition="payments-0"] .strike', (els) => els.map((e) => e.getBoundingClientRect().width));
    assert.ok(struck.length === 3 && struck.every((w) => w > 20), `${what}: each ghost is struck through: ${struck}`);
    await page.waitForTimeout(3000);
    const later = await ghosts(page, 'payments-0');
    for (const [a, b] of first.map((g, i) => [g, later[i]])) {
      assert.ok(Math.abs(a.x - b.x) < 0.5 && Math.abs(a.y - b.y) < 0.5, `${what}: offset ${a.offset} did not move`);
      assert.ok(b.opacity >= 0.5, `${what}: offset ${a.offset} still visible after 3 s (${b.opacity})`);
    }
    const line = await note(page, 'payments-0');
    assert.equal(line.text, '✂ pay-4, pay-5, pay-6 lost: new leader broker 2 never had them');
    assert.ok(line.inLane && line.onTop, `${what}: the line is legible: ${JSON.stringify(line)}`);
    await screenshot(page, `departures-reduced-${width}-${colorScheme}`);
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test('the replication factor label of the topics form is on one line', async () => {
  for (const [width, height] of [[1280, 720], [1366, 768], [1920, 1080]]) {
    for (const presenter of [false, true]) {
      const what = `${width}x${height}${presenter ? ' presenter' : ''}`;
      const { page, errors, context } = await openPage(browser, server.url, { width, height });
      await pause(page);
      if (presenter) { await page.click('#presenter'); await page.waitForSelector('.app.presenter'); }
      await runLineAndWait(page, 'broker add');
      await runLineAndWait(page, 'broker add');
      if (presenter && !(await page.isVisible('#topic-replication-factor').catch(() => false))) {
        // Presenter mode may hide the forms; nothing of them to wrap then.
        assert.equal(await page.$$eval('#topic-replication-factor', (els) => els.filter((e) => e.offsetParent !== null).length), 0);
        await context.close();
        continue;
      }
      await page.locator('#topic-replication-factor').scrollIntoViewIfNeeded();
      const labels = await page.$$eval('#topic-replication-factor', ([input]) => [...input.closest('.row').children].map((l) => {
        const r = document.createRange();
        r.selectNodeContents(l.firstChild);
        const lines = new Set([...r.getClientRects()].map((b) => Math.round(b.top)));
        const box = l.getBoundingClientRect();
        const field = l.querySelector('input').getBoundingClientRect();
        return { text: l.firstChild.textContent, lines: lines.size, right: box.right, fieldW: field.width };
      }));
      assert.deepEqual(labels.map((l) => l.text), ['Name', 'Partitions', 'Replication factor']);
      for (const l of labels) {
        assert.equal(l.lines, 1, `${what}: "${l.text}" on one line`);
        assert.ok(l.fieldW >= 50 && l.right <= width, `${what}: "${l.text}" has a usable field on screen: ${JSON.stringify(l)}`);
      }
      await screenshot(page, `departures-rf-form-${width}${presenter ? '-presenter' : ''}`);
      assert.deepEqual(errors, []);
      await context.close();
    }
  }
});

test('a waiting record landing when a broker returns flies from its producer, named, and its group coordinator is named', async () => {
  const { page, errors, context } = await openPage(browser, server.url, { width: 1366, height: 768 });
  await pause(page);
  for (const line of [
    'reset', 'broker add', 'broker add',
    'kafka-topics --create --topic ledger --replica-assignment 1:2:3 --config min.insync.replicas=2',
    'producer add shop', 'producer acks shop all', 'clock advance 1s',
    'broker stop 1', 'broker stop 2',
    'produce ledger l-1 --producer shop', 'clock advance 1s',
  ]) await runLineAndWait(page, line);
  assert.match(await page.textContent('.producer[data-producer="shop"] .meta'), /^1 waiting/);
  assert.equal(await page.$$eval('.landing', (els) => els.length), 0, 'nothing lands while it waits');
  await runLineAndWait(page, 'broker start 2');
  await runLineAndWait(page, 'clock advance 2s');
  const chip = await page.waitForSelector('.landing[data-partition="ledger-0"][data-offset="0"]');
  assert.equal(await chip.textContent(), 'l-1', 'the flying chip names the record');
  const at = async () => chip.evaluate((e) => { const r = e.getBoundingClientRect(); return { x: r.x, y: r.y, opacity: Number(getComputedStyle(e).opacity) }; });
  const seen = [await at()];
  for (let i = 0; i < 6; i++) { await page.waitForTimeout(150); seen.push(await at()); }
  await screenshot(page, 'departures-landing-1366-light');
  const lane = await page.$eval('.lane[data-partition="ledger-0"] .lane-bg', (e) => e.getBoundingClientRect().x);
  assert.ok(seen[0].x < lane - 20, `it starts at the producer, left of the lane: ${seen[0].x} < ${lane}`);
  assert.ok(seen.at(-1).x > seen[0].x + 40, `it travels to the lane: ${seen.map((s) => Math.round(s.x))}`);
  assert.ok(seen.filter((s) => s.opacity > 0.5).length >= 4, `visible for most of a second: ${seen.map((s) => s.opacity)}`);
  assert.equal(await page.$$eval('.lane[data-partition="ledger-0"] .record.landed[data-offset="0"]', (els) => els.length), 1, 'its cell is ringed');

  // With brokers, a group's box names its coordinator; crashing it moves the group.
  for (const line of ['kafka-topics --create --topic t --partitions 2 --replication-factor 3', 'consumer start c1 --group g --topic t', 'clock advance 10s']) await runLineAndWait(page, line);
  const coord = page.locator('g.group[data-group="g"] .coordinator');
  const before = await coord.getAttribute('data-coordinator');
  assert.match(await coord.textContent(), new RegExp(`coord B${before}$`));
  await runLineAndWait(page, `broker crash ${before}`);
  await runLineAndWait(page, 'clock advance 12s');
  const after = await coord.getAttribute('data-coordinator');
  assert.ok(after && after !== before, `the coordinator moved: ${before} → ${after}`);
  assert.match(await coord.getAttribute('class'), /moved/, 'and is marked as just moved');
  await screenshot(page, 'departures-coordinator-moved-1366-light');
  assert.deepEqual(errors, []);
  await context.close();
});
