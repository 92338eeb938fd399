// CPU time from Linux's /proc, for the benches to say where an operation's CPU went: in one
// process by kind of thread (the thread pool that hashes, the main thread, V8's helpers that
// collect garbage), and on the whole machine. Off Linux every figure is NaN.
import { readdirSync, readFileSync } from 'node:fs';

/** Linux reports CPU times in these units (USER_HZ), whatever the kernel's own tick. */
const TICKS_PER_SECOND = 100;

/** The kinds `threadCpu` sorts a process's threads into. */
export const THREAD_KINDS = ['pool', 'main', 'v8', 'other'];

/** CPU ms (user + system) a process's live threads have used, by kind of thread. */
export function threadCpu(pid) {
  const usage = Object.fromEntries(THREAD_KINDS.map((kind) => [kind, 0]));
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'latin1');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      usage[kindOf(tid === String(pid), name)] += cpuMs(stat);
    }
  } catch {
    return Object.fromEntries(THREAD_KINDS.map((kind) => [kind, NaN]));
  }
  return usage;
}

/** `after - before`, kind by kind. */
export function threadCpuSince(before, after) {
  return Object.fromEntries(THREAD_KINDS.map((kind) => [kind, after[kind] - before[kind]]));
}

/** CPU ms the whole machine has spent busy (all cores, any process, steal included). */
export function machineBusyMs() {
  try {
    const [, ...fields] = readFileSync('/proc/stat', 'latin1').split('\n', 1)[0].split(/\s+/);
    // user nice system idle iowait irq softirq steal: all but idle and iowait are busy.
    const [user, nice, system, , , irq, softirq, steal] = fields.map(Number);
    return ((user + nice + system + irq + softirq + steal) * 1000) / TICKS_PER_SECOND;
  } catch {
    return NaN;
  }
}

function kindOf(isMain, name) {
  if (isMain) return 'main';
  if (name.startsWith('libuv-worker')) return 'pool';
  if (name.startsWith('V8Worker')) return 'v8';
  return 'other';
}

/** utime + stime, the 12th and 13th fields after the command name (which may hold spaces). */
function cpuMs(stat) {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}
