/**
 * CPU time and peak memory of a process group, sampled from `/proc`.
 *
 * Node reaps its children itself and exposes no `getrusage(RUSAGE_CHILDREN)` per child, so the
 * only way to attribute usage to one task is to look at its processes while they run. One
 * shared timer (running only while some group is tracked) scans `/proc/<pid>/stat` once per
 * tick for every tracked group, so many concurrent tasks cost one scan, and a task that ends
 * before it has lived half an interval is never scanned for (its usage is then unknown, not
 * zero): a stream of short tasks costs no /proc scans at all.
 *
 * - CPU: per tick, the sum over the group's live processes of utime+stime+cutime+cstime (the
 *   `c*` fields hold children those processes already waited for); the largest total seen wins.
 *   CPU burnt after the last tick is not counted, so the figure is a lower bound.
 * - Memory: the largest `VmHWM` (peak resident set) of any single process of the group, the
 *   same meaning as `/usr/bin/time -v`'s "Maximum resident set size".
 *
 * Linux only; elsewhere nothing is sampled and the figures stay undefined.
 */
import { readFileSync, readdirSync } from 'node:fs';

/** `/proc` reports CPU in USER_HZ ticks, which Linux fixes at 100 for user space. */
const TICKS_PER_SECOND = 100;
/**
 * How often running groups are sampled, in ms.
 *
 * @example
 * ```ts
 * console.log(`tasks shorter than ${SAMPLE_INTERVAL_MS} ms may report no CPU/RSS figures`);
 * ```
 */
export const SAMPLE_INTERVAL_MS = 50;

/** What the sampler knows about one group. Fields stay undefined until a sample saw the group. */
export interface GroupUsage {
  cpuMs?: number;
  peakRssBytes?: number;
}

const hasProc = (() => {
  try {
    readFileSync('/proc/self/stat');
    return true;
  } catch {
    return false;
  }
})();

const groups = new Map<number, GroupUsage>();
/** When each group started being tracked (performance.now()). */
const trackedSince = new Map<number, number>();
let timer: NodeJS.Timeout | undefined;

/**
 * Start sampling the process group `pgid` (the pid of a child spawned with `detached: true`).
 * Returns the live usage record; call {@link untrackGroup} when the group's leader exited.
 *
 * @example
 * ```ts
 * const child = spawn('sh', ['-c', 'work'], { detached: true });
 * const usage = trackGroup(child.pid!);
 * child.on('exit', () => { untrackGroup(child.pid!); console.log(usage.cpuMs, usage.peakRssBytes); });
 * ```
 */
export function trackGroup(pgid: number): GroupUsage {
  const usage: GroupUsage = {};
  if (!hasProc) return usage;
  groups.set(pgid, usage);
  trackedSince.set(pgid, performance.now());
  if (!timer) {
    timer = setInterval(sampleTrackedGroups, SAMPLE_INTERVAL_MS);
    timer.unref();
  }
  return usage;
}

/**
 * Stop sampling `pgid`; the returned record keeps the last figures.
 *
 * @example
 * ```ts
 * const { cpuMs, peakRssBytes } = untrackGroup(pid);
 * ```
 */
export function untrackGroup(pgid: number): GroupUsage {
  const usage = groups.get(pgid) ?? {};
  groups.delete(pgid);
  trackedSince.delete(pgid);
  if (groups.size === 0 && timer) {
    clearInterval(timer);
    timer = undefined;
  }
  return usage;
}

/**
 * Take one sample of every tracked group now (the timer calls this; exported for tests).
 *
 * @example
 * ```ts
 * sampleTrackedGroups();
 * ```
 */
export function sampleTrackedGroups(): void {
  if (groups.size === 0) return;
  // Many short tasks in a row keep some group tracked at every tick; scanning /proc for
  // processes a few ms old is wasted work (they are likely gone before it ends), so a scan
  // waits until some group has lived half an interval.
  const now = performance.now();
  let due = false;
  for (const since of trackedSince.values()) if (now - since >= SAMPLE_INTERVAL_MS / 2) due = true;
  if (!due) return;
  const cpuTicks = new Map<number, number>();
  const peakKb = new Map<number, number>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return;
  }
  // Synchronous reads on purpose: /proc files are generated in memory, a read costs a few µs,
  // far less than a round trip through libuv's thread pool for each of ~100 files.
  for (const entry of entries) {
    const c = entry.charCodeAt(0);
    if (c < 48 || c > 57) continue;
    const stat = readProcFile(`/proc/${entry}/stat`);
    if (stat === undefined) continue;
    // The command name (field 2) is in parentheses and may itself contain spaces and ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state); pgrp is field 5, utime..cstime are fields 14..17.
    const pgrp = Number(fields[2]);
    if (!groups.has(pgrp)) continue;
    const ticks = Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    if (Number.isFinite(ticks)) cpuTicks.set(pgrp, (cpuTicks.get(pgrp) ?? 0) + ticks);
    const status = readProcFile(`/proc/${entry}/status`);
    const hwm = status === undefined ? undefined : /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    if (hwm !== undefined) peakKb.set(pgrp, Math.max(peakKb.get(pgrp) ?? 0, Number(hwm)));
  }
  for (const [pgid, usage] of groups) {
    const ticks = cpuTicks.get(pgid);
    if (ticks !== undefined) usage.cpuMs = Math.max(usage.cpuMs ?? 0, Math.round((ticks * 1000) / TICKS_PER_SECOND));
    const kb = peakKb.get(pgid);
    if (kb !== undefined) usage.peakRssBytes = Math.max(usage.peakRssBytes ?? 0, kb * 1024);
  }
}

function readProcFile(path: string): string | undefined {
  try {
    return readFileSync(path, 'latin1');
  } catch {
    // The process exited between readdir and read: normal.
    return undefined;
  }
}
