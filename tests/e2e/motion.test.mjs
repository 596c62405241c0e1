// Rebalances in slow motion: after a rebalance the toolbar offers to replay it slowly; a
// press (or R) rewinds to just before it, plays it at ¼ speed with the partitions visibly
// travelling, says so in a live region, then returns to the speed chosen. The "Slow
// rebalances" option slows playback while a group rebalances. Reduced motion keeps the slow
// pace and the phase, without flights. Screenshots go to target/screenshots/ (motion-*).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, openPage, screenshot, pause, play, runLineAndWait as runLine } from './harness.mjs';

let server, browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const tick = async (page) => Number(await page.getAttribute('.clock', 'data-tick'));
const groupState = (page, g) => page.getAttribute(`g.group[data-group="${g}"]`, 'data-state');
const owned = async (page, c) => ((await page.getAttribute(`g.consumer[data-consumer="${c}"]`, 'data-owned')) ?? '').split(',').filter(Boolean);
const status = (page) => page.textContent('#motion-status');
/** Simulated ticks per real second over `ms` of playback. */
async function pace(page, ms = 2000) {
  const t0 = await tick(page);
  const start = Date.now();
  await page.waitForTimeout(ms);
  return ((await tick(page)) - t0) * 1000 / (Date.now() - start);
}
const stable = ([g, members]) => document.querySelector(`g.group[data-group="${g}"]`)?.dataset.state === 'Stable'
  && members.every((c) => (document.querySelector(`g.consumer[data-consumer="${c}"]`)?.dataset.owned ?? '') !== '');

/** A group g of a1 on four partitions, then a2 joining while the clock plays at 1×, so the
 * history holds the rebalance tick by tick. Leaves the page paused after it settled. */
async function rebalanceWhilePlaying(page) {
  await page.waitForSelector('#console-input');
  await pause(page);
  await runLine(page, 'reset');
  await runLine(page, 'kafka-topics --create --topic t --partitions 4');
  assert.equal(await page.$('#replay-rebalance'), null, 'no group, no rebalance to replay');
  await runLine(page, 'consumer start a1 --group g --topic t');
  await runLine(page, 'clock advance 10s');
  assert.equal((await owned(page, 'a1')).length, 4);
  await runLine(page, 'consumer start a2 --group g --topic t');
  await play(page);
  await page.waitForFunction(stable, ['g', ['a1', 'a2']], { timeout: 30000 });
  await page.waitForTimeout(1500);
  await pause(page);
}

test('replay a rebalance slowly: the control appears, rewinds to before it, partitions travel slowly, normal speed returns', async () => {
  const { page, errors } = await openPage(browser, server.url, { width: 1366, height: 768 });
  await rebalanceWhilePlaying(page);
  const control = await page.waitForSelector('#replay-rebalance');
  assert.ok(await control.isVisible(), 'the replay control shows after a rebalance');
  const box = await control.boundingBox();
  assert.ok(box.y >= 0 && box.y + box.height <= 768 && box.x + box.width <= 1366, `the control is on screen: ${JSON.stringify(box)}`);
  assert.match(await control.getAttribute('aria-label'), /^Replay rebalance slowly \(R\): group g$/);
  const liveTick = await tick(page);
  await screenshot(page, 'motion-before-replay-1366x768-light');

  await control.click();
  // Rewound: the clock is earlier and the group reads as it was before the rebalance.
  const rewound = await tick(page);
  assert.ok(rewound < liveTick, `the clock went back: ${rewound} < ${liveTick}`);
  assert.equal(await groupState(page, 'g'), 'Stable');
  assert.equal((await owned(page, 'a1')).length, 4, 'before the rebalance a1 owns all four');
  assert.match(await status(page), /^Replaying the rebalance of group g at ¼ speed$/);
  assert.equal(await page.getAttribute('#motion-status', 'role'), 'status', 'the narration is a live region');
  assert.equal(await page.$('#replay-rebalance'), null, 'the control hides while it replays');

  // A burst across the replay: the group's phase changes and partitions fly, slowly.
  const flights = new Map();
  const phases = new Set();
  const t0 = await tick(page);
  const start = Date.now();
  for (let shot = 0; shot < 40; shot++) {
    const now = await page.$$eval('g.handover', (els) => els.map((e) => ({
      id: `${e.dataset.handover}@${e.dataset.sinceStep}`, progress: Number(e.dataset.progress), ...(() => { const r = e.getBoundingClientRect(); return { x: r.x, y: r.y }; })(),
    })));
    for (const f of now) {
      if (!flights.has(f.id)) flights.set(f.id, []);
      flights.get(f.id).push({ ...f, at: Date.now() });
    }
    phases.add(await groupState(page, 'g'));
    if (shot % 4 === 0 || (now.length && shot % 2 === 0)) await screenshot(page, `motion-replay-${String(shot).padStart(2, '0')}-1366x768-light`);
    if (!(await status(page)).startsWith('Replaying')) break;
    await page.waitForTimeout(250);
  }
  const replayRate = ((await tick(page)) - t0) * 1000 / (Date.now() - start);
  assert.ok(phases.has('PreparingRebalance') || phases.has('CompletingRebalance'), `the phase is seen changing: ${[...phases]}`);
  assert.ok(flights.size >= 2, `partitions fly to a2: ${[...flights.keys()]}`);
  const toA2 = [...flights.entries()].filter(([id]) => id.startsWith('assign:') && id.includes(':a2@'));
  assert.ok(toA2.length >= 2, `a2's two partitions travel: ${[...flights.keys()]}`);
  for (const [id, seen] of toA2) {
    const moving = seen.filter((s) => s.progress > 0 && s.progress < 1);
    assert.ok(moving.length >= 3, `${id} is seen mid-way at least three times: ${JSON.stringify(seen.map((s) => s.progress))}`);
    const travelled = Math.hypot(seen.at(-1).x - seen[0].x, seen.at(-1).y - seen[0].y);
    assert.ok(travelled > 40, `${id} moves across the screen: ${travelled}px`);
    const seconds = (seen.at(-1).at - seen[0].at) / 1000;
    // Seen from samples 250 ms apart (and screenshots between them), so the first and last
    // sightings can miss up to half a second of a 3.2 s flight: 1.2 s seen is already half
    // again the 0.8 s a flight takes at 1×.
    assert.ok(seconds >= 1.2, `${id} is in flight for ${seconds} s of real time (0.8 s at 1×)`);
  }
  assert.ok(replayRate <= 3.2, `slow motion plays about 2.5 ticks a second: ${replayRate.toFixed(2)}`);

  // Then it says so and plays on at the chosen 1×.
  await page.waitForFunction(() => /back to 1× speed/.test(document.querySelector('#motion-status')?.textContent ?? ''), null, { timeout: 30000 });
  assert.equal(await page.getAttribute('#play', 'aria-label'), 'Pause (space)', 'it plays on');
  const normalRate = await pace(page);
  assert.ok(normalRate >= 6, `normal speed is back: ${normalRate.toFixed(2)} ticks a second`);
  assert.ok(normalRate > 2 * replayRate, `normal speed (${normalRate.toFixed(2)}) is well above slow motion (${replayRate.toFixed(2)})`);
  await screenshot(page, 'motion-after-replay-1366x768-light');
  assert.deepEqual(errors, []);
});

test('R replays with reduced motion: no flights, but the slow pace and the phase show', async () => {
  const { page, errors } = await openPage(browser, server.url, { width: 1280, height: 720, colorScheme: 'dark' });
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await rebalanceWhilePlaying(page);
  await page.locator('body').press('r');
  await page.waitForFunction(() => (document.querySelector('#motion-status')?.textContent ?? '').startsWith('Replaying'));
  const phases = new Set();
  let visibleFlights = 0;
  for (let i = 0; i < 24; i++) {
    phases.add(await groupState(page, 'g'));
    visibleFlights += await page.$$eval('g.handover', (els) => els.filter((e) => e.getBoundingClientRect().width > 0).length);
    if (i === 8) await screenshot(page, 'motion-reduced-1280x720-dark');
    await page.waitForTimeout(250);
  }
  assert.equal(visibleFlights, 0, 'no partition flies with reduced motion');
  assert.ok(phases.has('PreparingRebalance') || phases.has('CompletingRebalance'), `the phase still shows: ${[...phases]}`);
  const rate = await pace(page, 1500);
  assert.ok(rate <= 3.2 || /back to/.test(await status(page)), `the pace is slow: ${rate.toFixed(2)}`);
  assert.deepEqual(errors, []);
});

test('"Slow rebalances" slows playback while a group rebalances, then plays at the chosen speed', async () => {
  const { page, errors } = await openPage(browser, server.url, { width: 1366, height: 768 });
  await page.waitForSelector('#console-input');
  await pause(page);
  await runLine(page, 'reset');
  await runLine(page, 'kafka-topics --create --topic t --partitions 4');
  await runLine(page, 'consumer start a1 --group g --topic t');
  await runLine(page, 'clock advance 10s');
  assert.equal(await page.isChecked('#auto-slow'), false, 'off in the sandbox by default');
  await page.check('#auto-slow');
  await runLine(page, 'consumer start a2 --group g --topic t');
  await play(page);
  await page.waitForFunction(() => /^Group g is rebalancing: slowed to ¼ speed$/.test(document.querySelector('#motion-status')?.textContent ?? ''), null, { timeout: 15000 });
  await screenshot(page, 'motion-auto-slow-1366x768-light');
  // The banner and the pace legend along the diagram's top are both readable: neither covers the other.
  const boxes = await page.evaluate(() => {
    const box = (el) => { const r = el.getBoundingClientRect(); return { left: r.left, right: r.right, top: r.top, bottom: r.bottom }; };
    return { banner: box(document.querySelector('#motion-status')), legend: box(document.querySelector('svg.diagram .pace-legend')), stage: box(document.querySelector('.stage')) };
  });
  const overlap = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  assert.ok(!overlap(boxes.banner, boxes.legend), `the banner leaves the pace legend visible: ${JSON.stringify(boxes)}`);
  assert.ok(boxes.banner.top >= boxes.stage.top && boxes.banner.bottom <= boxes.stage.top + 60, `the banner is at the top of the diagram's stage: ${JSON.stringify(boxes)}`);
  const during = await pace(page, 1200);
  assert.ok(during <= 3.2, `slowed while rebalancing: ${during.toFixed(2)} ticks a second`);
  await page.waitForFunction(stable, ['g', ['a1', 'a2']], { timeout: 30000 });
  const afterwards = await pace(page);
  assert.ok(afterwards >= 6, `back to 1× once it is stable: ${afterwards.toFixed(2)}`);
  assert.deepEqual(errors, []);
});

test('the rebalancing lesson slows rebalances by default', async () => {
  const { page, errors } = await openPage(browser, `${server.url}?lesson=rebalancing&step=0`, { width: 1366, height: 768 });
  await page.waitForSelector('#auto-slow');
  assert.equal(await page.isChecked('#auto-slow'), true);
  assert.deepEqual(errors, []);
});

test('a rebalance recorded inside one long lesson step replays in motion, not as one jump', async () => {
  // Step 3 of the rebalancing lesson starts c3 and advances the clock in one step: the
  // eager rebalance happens inside it. Step 4 offers to replay it.
  const { page, errors } = await openPage(browser, `${server.url}?lesson=rebalancing&step=4`, { width: 1366, height: 768 });
  const control = await page.waitForSelector('#replay-rebalance', { timeout: 20000 });
  const steps = Number(await page.getAttribute('.clock', 'data-step'));
  await control.click();
  await page.waitForFunction(() => (document.querySelector('#motion-status')?.textContent ?? '').startsWith('Replaying'));
  const ticks = new Set();
  const flights = new Map();
  for (let shot = 0; shot < 60; shot++) {
    ticks.add(await tick(page));
    for (const f of await page.$$eval('g.handover', (els) => els.map((e) => ({ id: `${e.dataset.handover}@${e.dataset.sinceStep}`, progress: Number(e.dataset.progress) })))) {
      if (!flights.has(f.id)) flights.set(f.id, new Set());
      flights.get(f.id).add(f.progress);
    }
    if (shot % 6 === 0) await screenshot(page, `motion-lesson-replay-${String(shot).padStart(2, '0')}-1366x768-light`);
    if (!(await status(page)).startsWith('Replaying')) break;
    await page.waitForTimeout(250);
  }
  assert.ok(ticks.size >= 8, `the clock is seen at many ticks during the replay, not one jump: ${[...ticks]}`);
  assert.ok(flights.size >= 3, `partitions are seen travelling to their new owners: ${[...flights.keys()]}`);
  const midway = [...flights.values()].filter((p) => [...p].some((x) => x > 0 && x < 1));
  assert.ok(midway.length >= 3, `flights are seen mid-way: ${JSON.stringify([...flights].map(([k, v]) => [k, [...v]]))}`);
  assert.ok(Number(await page.getAttribute('.clock', 'data-step')) > steps, 'the history now holds that stretch tick by tick');
  assert.deepEqual(errors, []);
});
