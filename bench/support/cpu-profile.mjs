// CPU profiles of platform processes under a bench's load, with BENCH_CPU_PROF=<dir>. A child
// started with `inspectorEnv(port)` listens for the DevTools protocol on that loopback port, and
// `profileWhile` runs V8's CPU profiler there (what `--cpu-prof` runs) only while the bench's
// load does: not over start-up, and written even though the child is then stopped by a signal,
// when `--cpu-prof` writes nothing. `summarizeProfile` says where the main thread's time went.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Microseconds between samples; `--cpu-prof` takes 1000. */
const SAMPLING_INTERVAL_US = 500;

/** The directory named by BENCH_CPU_PROF, or undefined when no profile is wanted. */
export const profileDir = process.env.BENCH_CPU_PROF
  ? path.resolve(process.env.BENCH_CPU_PROF)
  : undefined;

/** What to add to a child's environment to have its inspector listen on loopback `port`. */
export function inspectorEnv(port) {
  if (port === undefined) return {};
  const options = `${process.env.NODE_OPTIONS ?? ''} --inspect=127.0.0.1:${port}`.trim();
  return { NODE_OPTIONS: options };
}

/** Profiles the process whose inspector is on `port` while `load()` runs; writes `file`. */
export async function profileWhile(port, file, load) {
  const [target] = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
  const socket = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    socket.onopen = resolve;
    socket.onerror = () => reject(new Error(`cannot reach the inspector on port ${port}`));
  });
  const answers = new Map();
  socket.onmessage = ({ data }) => {
    const message = JSON.parse(data);
    answers.get(message.id)?.(message);
  };
  let lastId = 0;
  const call = (method, params = {}) =>
    new Promise((resolve, reject) => {
      const id = ++lastId;
      answers.set(id, (message) => {
        answers.delete(id);
        if (message.error) reject(new Error(`${method}: ${message.error.message}`));
        else resolve(message.result);
      });
      socket.send(JSON.stringify({ id, method, params }));
    });
  try {
    await call('Profiler.enable');
    await call('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_US });
    await call('Profiler.start');
    try {
      await load();
    } finally {
      const { profile } = await call('Profiler.stop');
      writeFileSync(file, JSON.stringify(profile));
    }
  } finally {
    socket.close();
  }
  return file;
}

/**
 * The main thread's busy share, its top frames by self time outside `(idle)`, and its time by
 * owner, each as a share of the busy time. A frame is named by function and by file (a package,
 * a dist/ library, or Node); its owner is the nearest package or library on its stack, so that a
 * socket write is charged to the client that made it.
 */
export function summarizeProfile(file, count = 12) {
  const { nodes, samples, timeDeltas } = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const parents = new Map();
  for (const node of nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const owners = new Map();
  const ownerOf = (id) => {
    if (!owners.has(id)) {
      const place = placeOf(byId.get(id).callFrame.url);
      const parent = parents.get(id);
      owners.set(id, isCode(place) || parent === undefined ? place : ownerOf(parent));
    }
    return owners.get(id);
  };
  const self = new Map();
  const byOwner = new Map();
  const add = (map, key, delta) => map.set(key, (map.get(key) ?? 0) + delta);
  let total = 0;
  let idle = 0;
  for (let i = 0; i < samples.length; i++) {
    const { callFrame } = byId.get(samples[i]);
    const delta = timeDeltas[i] ?? 0;
    total += delta;
    if (callFrame.functionName === '(idle)') {
      idle += delta;
      continue;
    }
    const place = placeOf(callFrame.url);
    const owner = ownerOf(samples[i]);
    const via = owner && owner !== place ? ` via ${owner}` : '';
    add(self, `${callFrame.functionName || '(anonymous)'}  ${place || 'native'}${via}`, delta);
    add(byOwner, owner || callFrame.functionName, delta);
  }
  const busy = total - idle;
  const top = (map) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([name, time]) => ({ name, share: time / busy }));
  return { busyShare: busy / total, frames: top(self), owners: top(byOwner) };
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A package, a dist/ library or a Node module for a frame's script URL; '' for native code. */
function placeOf(url) {
  if (!url) return '';
  const file = url.startsWith('file://') ? fileURLToPath(url) : url;
  const modules = file.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const [scope, name] = file.slice(modules + 'node_modules/'.length).split('/');
    return scope.startsWith('@') ? `${scope}/${name}` : scope;
  }
  if (file.startsWith(ROOT)) return path.relative(ROOT, file).split('/').slice(0, 3).join('/');
  return file.startsWith('wasm://') ? 'wasm' : file;
}

/**
 * Whether a place is the platform's or a package's code rather than Node's, native, or
 * WebAssembly (PGlite's PostgreSQL, here), which is charged to the package that called it.
 */
function isCode(place) {
  return place !== '' && place !== 'wasm' && !place.startsWith('node:');
}
