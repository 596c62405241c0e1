// The frame cost of the cluster's drawing: the sandbox made into three topics of six
// partitions, each fed by a stream, played for --seconds (10 by default) in headless
// Chromium, once on one broker and once on three brokers at replication factor 3 (broker 3
// slowed, so the high watermarks trail and records above them are drawn). For each it
// prints the frame intervals (median, 95th percentile), the frames drawn and the long tasks
// (over 50 ms). A benchmark, not a test: it asserts nothing. Run after
// `trunk build --release --offline`:  node scripts/bench-brokers.mjs [--seconds 10] [--rate 1]
import { serveDist, launch, runLineAndWait, pause } from '../tests/e2e/harness.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const seconds = arg('seconds', 10);
const rate = arg('rate', 1);

const server = await serveDist();
const browser = await launch();
const quantile = (xs, q) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN; };

for (const [name, brokers] of [['1 broker, 3 topics × 6 partitions', false], ['3 brokers, 3 topics × 6 partitions, RF 3', true]]) {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const page = await context.newPage();
  await page.goto(server.url);
  await page.waitForSelector('.app');
  if (await page.$('#open-sandbox')) await page.click('#open-sandbox');
  await pause(page);
  await runLineAndWait(page, 'kafka-topics --delete --topic orders');
  if (brokers) {
    await runLineAndWait(page, 'broker add');
    await runLineAndWait(page, 'broker add');
  }
  for (const t of ['orders', 'payments', 'shipments']) {
    await runLineAndWait(page, `kafka-topics --create --topic ${t} --partitions 6${brokers ? ' --replication-factor 3' : ''}`);
    await runLineAndWait(page, `producer add feed-${t}`);
    await runLineAndWait(page, `producer stream feed-${t} --topic ${t} --rate 20`);
  }
  if (brokers) await runLineAndWait(page, 'broker slow 3 4');
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
  await page.evaluate(() => {
    window.__bench = { longTasks: [], frames: [] };
    new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__bench.longTasks.push(e.duration); }).observe({ type: 'longtask' });
    let last = performance.now();
    const frame = (now) => { window.__bench.frames.push(now - last); last = now; requestAnimationFrame(frame); };
    requestAnimationFrame(frame);
  });
  await page.click('#play');
  await page.waitForTimeout(seconds * 1000);
  const b = await page.evaluate(() => window.__bench);
  const drawn = await page.evaluate(() => ({ replicas: document.querySelectorAll('.thin-replicas .replica, .lane-replicas .replica').length, nodes: document.querySelectorAll('svg.diagram *').length }));
  console.log(`${name}: ${b.frames.length} frames in ${seconds} s, interval median ${quantile(b.frames, 0.5).toFixed(1)} ms, p95 ${quantile(b.frames, 0.95).toFixed(1)} ms; long tasks ${b.longTasks.length} (max ${Math.max(0, ...b.longTasks).toFixed(0)} ms); ${drawn.replicas} replica boxes, ${drawn.nodes} SVG elements`);
  await context.close();
}
await browser.close();
await server.close();
