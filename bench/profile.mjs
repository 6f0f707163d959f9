/**
 * `npm run bench -- --profile TARGET`: a V8 CPU profile of one worker under load, taken
 * through workerd's inspector (Miniflare's `inspectorPort`, Chrome DevTools Protocol:
 * Profiler.start / Profiler.stop), summarised as the functions with the most self time. The
 * raw profile is saved as bench/results/*.cpuprofile (open it in Chrome DevTools).
 */
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import WebSocket from 'ws';

/** Sampling interval in microseconds (V8's default is 1000; finer shows short functions). */
const SAMPLING_INTERVAL_US = 100;
/** Pseudo-frames V8 reports that are no function of ours. */
const IDLE = new Set(['(idle)']);

/** A minimal DevTools Protocol client: send(method, params) resolves with the result. */
async function connect(url) {
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  let nextId = 1;
  const pending = new Map();
  socket.on('message', (data) => {
    const message = JSON.parse(String(data));
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.error) waiter.reject(new Error(`${message.error.message}`));
    else waiter.resolve(message.result);
  });
  return {
    send(method, params = {}) {
      const id = nextId++;
      socket.send(JSON.stringify({ id, method, params }));
      return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
    },
    close: () => socket.close(),
  };
}

/**
 * esbuild's bundle starts each module with a `// path/to/module.ts` comment: the closest one
 * above a line names the source module of a function at that line.
 */
async function moduleIndex(bundlePath) {
  if (!bundlePath) return Object.assign(() => '', { bundleName: null });
  const lines = (await readFile(bundlePath, 'utf8')).split('\n');
  const starts = [];
  lines.forEach((line, index) => {
    const match = /^\/\/ (\S+\.[cm]?[jt]sx?)$/.exec(line);
    if (match) starts.push([index, match[1].replace(/^node_modules\//, '')]);
  });
  const moduleOf = (lineNumber) => {
    let found = path.basename(bundlePath);
    for (const [start, name] of starts) {
      if (start > lineNumber) break;
      found = name;
    }
    return found;
  };
  moduleOf.bundleName = path.basename(bundlePath);
  return moduleOf;
}

/** Self time per function (µs), heaviest first. */
export function selfTimes(profile, moduleOf) {
  const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
  const totals = new Map();
  profile.samples.forEach((nodeId, index) => {
    // timeDeltas[i + 1] is the time from sample i to the next: the time spent where i was.
    const delta = profile.timeDeltas[index + 1] ?? 0;
    const { functionName, url, lineNumber } = byNode.get(nodeId).callFrame;
    const name = functionName || '(anonymous)';
    // Frames of the bundle name their source module; the runtime's own JS keeps its URL
    // (cloudflare-internal:…); frames without a URL are native (runtime C++ or V8 builtins).
    const inBundle = moduleOf.bundleName && url.endsWith(moduleOf.bundleName);
    const where = !url ? '(native)' : inBundle ? `${moduleOf(lineNumber)}:${lineNumber + 1}` : url;
    const key = `${name}\u0000${where}`;
    totals.set(key, (totals.get(key) ?? 0) + delta);
  });
  return [...totals]
    .map(([key, us]) => {
      const [name, where] = key.split('\u0000');
      return { name, where, us };
    })
    .sort((a, b) => b.us - a.us);
}

export function formatProfile(rows, { requests, top }) {
  const busy = rows.filter((row) => !IDLE.has(row.name)).reduce((sum, row) => sum + row.us, 0);
  const lines = [
    `| # | self ms | % of busy | µs/request | function | module:line |`,
    `| -: | ------: | --------: | ---------: | -------- | ----------- |`,
  ];
  rows
    .filter((row) => !IDLE.has(row.name))
    .slice(0, top)
    .forEach((row, index) => {
      const perRequest = requests > 0 ? (row.us / requests).toFixed(1) : '–';
      lines.push(
        `| ${index + 1} | ${(row.us / 1000).toFixed(1)} | ${((100 * row.us) / busy).toFixed(1)} | ${perRequest} | \`${row.name}\` | ${row.where} |`,
      );
    });
  return {
    text: lines.join('\n'),
    busyUs: busy,
  };
}

/**
 * Profiles worker `workerName` behind `inspectorUrl` while `load()` runs. Returns the raw
 * profile, its self-time rows and where the raw profile was written.
 */
export async function profileDuring({ inspectorUrl, workerName, bundlePath, root, label }, load) {
  const client = await connect(`${inspectorUrl.replace(/\/$/, '')}/core:user:${workerName}`);
  try {
    await client.send('Profiler.enable');
    await client.send('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_US });
    await client.send('Profiler.start');
    const loadResult = await load();
    const { profile } = await client.send('Profiler.stop');
    const rows = selfTimes(profile, await moduleIndex(bundlePath));
    const dir = path.join(root, 'bench', 'results');
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, `profile-${label}-${Date.now()}.cpuprofile`);
    await writeFile(file, JSON.stringify(profile));
    return { loadResult, rows, file };
  } finally {
    client.close();
  }
}
