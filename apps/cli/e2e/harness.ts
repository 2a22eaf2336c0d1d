/**
 * Helpers for end-to-end tests: run the BUILT `psr` binary as a real process, in temp
 * directories holding real workflow files, and normalise its output for assertions.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const binPath = join(repoRoot, 'apps/cli/dist/bin.cjs');

/** Environment for psr runs: CI-shaped (plain reporter), no colour, no inherited secrets. */
export function baseEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !k.startsWith('PSR_') && k !== 'FORCE_COLOR') env[k] = v;
  }
  return { ...env, CI: 'true', NO_COLOR: '1', ...extra };
}

/** What a finished psr process left. */
export interface PsrOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A running psr process. */
export interface PsrProcess {
  child: ChildProcess;
  /** Output so far. */
  readonly stdout: string;
  readonly stderr: string;
  done: Promise<PsrOutcome>;
}

/** Start `psr <args>` without waiting for it. */
export function startPsr(args: string[], options: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {}): PsrProcess {
  const child = spawn(process.execPath, [binPath, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: options.env ?? baseEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const timeoutMs = options.timeoutMs ?? 45_000;
  const done = new Promise<PsrOutcome>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return {
    child,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    done,
  };
}

/** Run `psr <args>` to completion. */
export function psr(args: string[], options: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<PsrOutcome> {
  return startPsr(args, options).done;
}

/** A temp directory with these files (paths relative to it), removed when the test ends. */
export function workspace(files: Record<string, string> = {}): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'psr-e2e-')));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  for (const [path, text] of Object.entries(files)) {
    const target = join(dir, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
  return dir;
}

/** Durations → `<dur>`, run ids → `<run>`, `root` → `<root>`. */
export function normalize(text: string, root?: string): string {
  let out = text;
  if (root) out = out.split(root).join('<root>');
  return out
    .replace(/\b\d+(\.\d+)?(ms|s)\b/g, '<dur>')
    .replace(/\b\d+m \d{2}s\b/g, '<dur>')
    .replace(/run [0-9A-Za-z_-]{8,}/g, 'run <run>');
}

/** Parse NDJSON output, failing loudly on any line that is not JSON. */
export function ndjson(text: string): Array<Record<string, any>> {
  return text
    .split('\n')
    .filter((l) => l.length > 0)
    .map((line, i) => {
      try {
        return JSON.parse(line) as Record<string, any>;
      } catch {
        throw new Error(`line ${i + 1} is not JSON: ${line}`);
      }
    });
}

/** Final task results from --json output, by instance id. */
export function taskResults(events: Array<Record<string, any>>): Record<string, { status: string; attempts: number; outputs: Record<string, unknown> }> {
  const out: Record<string, { status: string; attempts: number; outputs: Record<string, unknown> }> = {};
  for (const e of events) {
    if (e['type'] !== 'task-end') continue;
    out[e['task'].id] = { status: e['result'].status, attempts: e['result'].attempts.length, outputs: e['result'].outputs };
  }
  return out;
}

/** True while a process with this pid exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Wait until `check` is true, polling; throws after `timeoutMs`. */
export async function waitFor(check: () => boolean, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
