/**
 * Server CPU of the workerd processes Miniflare spawns, read from /proc (Linux only):
 * the sum over the process's threads of /proc/<pid>/task/<tid>/schedstat's first field (time
 * on CPU, nanoseconds), or utime+stime from /proc/<pid>/stat (clock ticks, 10 ms resolution)
 * where schedstat is absent. It is the whole workerd process: the Worker plus Miniflare's own
 * KV and D1 simulators, which run in the same process, as the independent harness counts it.
 */
import { readFileSync, readdirSync } from 'node:fs';

const TICK_NS = 1e9 / 100; // sysconf(_SC_CLK_TCK) is 100 on Linux x86-64.

/** pid, comm and parent pid from /proc/<pid>/stat (comm may contain spaces or parentheses). */
function readStat(pid) {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const close = text.lastIndexOf(')');
  const comm = text.slice(text.indexOf('(') + 1, close);
  const fields = text.slice(close + 2).split(' ');
  // fields[0] is field 3 (state): ppid is field 4, utime 14, stime 15.
  return { comm, ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
}

/** The workerd processes that are children of this Node process. */
export function workerdChildren(parent = process.pid) {
  const pids = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readStat(entry);
      if (stat.ppid === parent && stat.comm === 'workerd') pids.push(Number(entry));
    } catch {
      // The process ended between readdir and read.
    }
  }
  return pids;
}

function schedstatNanos(pid) {
  let total = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      total += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // A thread that ended: its time is already folded into the process's ticks, not here.
    }
  }
  return total;
}

let useSchedstat;

/** CPU time used so far by `pid`, in nanoseconds. */
export function cpuNanos(pid) {
  if (useSchedstat === undefined) {
    try {
      schedstatNanos(pid);
      useSchedstat = true;
    } catch {
      useSchedstat = false;
    }
  }
  return useSchedstat ? schedstatNanos(pid) : readStat(pid).ticks * TICK_NS;
}

export const cpuSource = () =>
  useSchedstat === false ? '/proc/<pid>/stat utime+stime' : '/proc/<pid>/task/*/schedstat';

/** Runs `work` and returns its result with the CPU `pid` spent meanwhile (ns). */
export async function withCpu(pid, work) {
  const before = cpuNanos(pid);
  const result = await work();
  return { result, cpuNs: cpuNanos(pid) - before };
}
