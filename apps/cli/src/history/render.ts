/**
 * Text views of run history for `psr history` and `psr show`.
 */
import type { RunSummary, StoredRunDetail } from '@psr/store-sqlite';
import { describeFailure, formatDuration } from '../reporters/format.js';

/** `psr history` as an aligned table, newest first. */
export function renderHistoryTable(runs: readonly RunSummary[]): string {
  if (runs.length === 0) return 'no runs recorded yet\n';
  const rows = runs.map((r) => [
    r.id,
    r.workflowName,
    r.status,
    r.schedule ? `schedule#${r.schedule.index}${r.schedule.catchUp ? ' catch-up' : ''}` : r.trigger,
    r.startedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
    r.durationMs === undefined ? '-' : formatDuration(r.durationMs),
    `${r.tasks.success}/${r.tasks.total} ok` + (r.tasks.failure ? `, ${r.tasks.failure} failed` : ''),
  ]);
  return table(['RUN', 'WORKFLOW', 'STATUS', 'TRIGGER', 'STARTED', 'DURATION', 'TASKS'], rows);
}

/** `psr show` for one run: header, tasks with attempts, outputs and log tails. */
export function renderRunDetail(run: StoredRunDetail): string {
  const lines: string[] = [];
  lines.push(`run ${run.run.id}  ${run.run.workflow.name}  ${run.storedStatus}`);
  lines.push(`  file      ${run.run.workflow.file}`);
  lines.push(`  started   ${run.run.startedAt}  (${run.run.trigger})`);
  if (run.schedule) {
    const s = run.schedule;
    lines.push(`  schedule  #${s.index} cron "${s.cron}" (${s.timezone}), fire of ${s.scheduledAt}${s.catchUp ? ', catch-up for a missed fire' : ''}`);
  }
  if (run.storedStatus !== 'running' && run.storedStatus !== 'interrupted') lines.push(`  duration  ${formatDuration(run.durationMs)}`);
  if (run.run.traceId) lines.push(`  trace     ${run.run.traceId}`);
  if (run.run.resumedFrom) lines.push(`  resumes   ${run.run.resumedFrom}`);
  if (Object.keys(run.run.inputs).length) lines.push(`  inputs    ${JSON.stringify(run.run.inputs)}`);
  lines.push('');
  for (const t of run.tasks) {
    const flags = [t.reused ? 'reused' : '', t.continuedOnError ? 'continue-on-error' : ''].filter(Boolean).join(', ');
    lines.push(`${t.task.id}  ${t.status}${flags ? ` (${flags})` : ''}  ${formatDuration(t.durationMs)}${t.reason ? `  — ${t.reason}` : ''}`);
    for (const a of t.attempts) {
      const facts = [
        a.exitCode !== undefined ? `exit ${a.exitCode}` : '',
        a.cpuMs !== undefined ? `cpu ${formatDuration(a.cpuMs)}` : '',
        a.peakRssBytes !== undefined ? `rss ${(a.peakRssBytes / 1048576).toFixed(1)} MiB` : '',
      ].filter(Boolean);
      lines.push(`  attempt ${a.attempt}  ${a.status}  ${formatDuration(a.durationMs)}${facts.length ? `  ${facts.join(', ')}` : ''}`);
      if (a.failure) {
        const why = describeFailure(a.failure);
        lines.push(`    ${a.failure.kind}: ${why.message}${why.code ? ` [${why.code}]` : ''}`);
        if (why.hint) lines.push(`      hint: ${why.hint}`);
      }
      if (a.logTail) for (const l of a.logTail.trimEnd().split('\n').slice(-10)) lines.push(`    | ${l}`);
    }
    for (const [k, v] of Object.entries(t.outputs)) lines.push(`  output ${k} = ${typeof v === 'string' ? v : JSON.stringify(v)}`);
  }
  return `${lines.join('\n')}\n`;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}
