import { stat } from 'node:fs/promises';
import path from 'node:path';
import { PsrError } from '@psr/core';
import { createReport } from '@psr/report';
import type { Finding, Report } from '@psr/report';
import { Allowlist, type SecretScanConfig, SecretScanErrorCodes, loadSecretScanConfig } from './config/config.js';
import { DetectionSink } from './detect/detection-sink.js';
import { TextScanner } from './detect/scan-text.js';
import { scanTree } from './files/scan-tree.js';
import { DEFAULT_SALT } from './finding/to-finding.js';
import { type HistoryRange, scanHistory } from './history/scan-history.js';
import { scanStaged } from './history/scan-staged.js';
import { readBaseline } from './baseline/baseline.js';
import type { SecretRule } from './rules/rule.js';
import { builtinRules } from './rules/table.js';

/**
 * The default config file, relative to the scan root.
 *
 * @example
 * ```ts
 * path.join(root, DEFAULT_CONFIG_FILE); // <root>/.psr/secret-scan.yml
 * ```
 */
export const DEFAULT_CONFIG_FILE = '.psr/secret-scan.yml';
/**
 * Files larger than this (10 MB) are skipped unless configured otherwise.
 *
 * @example
 * ```ts
 * await scanSecrets({ root, mode: 'files', maxFileSize: 2 * DEFAULT_MAX_FILE_SIZE });
 * ```
 */
export const DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024;

/** Options of one scan. */
export interface SecretScanOptions {
  /** Absolute path of the folder or one file (files mode), or of the repository (history and staged modes). */
  root: string;
  /** `files`: the files as they are; `history`: lines added by each commit; `staged`: lines the next commit would add. */
  mode: SecretScanMode;
  range?: HistoryRange;
  /** Absolute path of the config file; default `<root>/.psr/secret-scan.yml` (beside a file scanned alone) when it exists. */
  configFile?: string;
  /** A config given directly (wins over the file). */
  config?: SecretScanConfig;
  /** Absolute path of a baseline file whose fingerprints are accepted. */
  baselineFile?: string;
  /** Overrides the config's maxFileSize. */
  maxFileSize?: number;
  /** Concurrent file reads. Default 8. */
  concurrency?: number;
  /** Honor .gitignore files (files mode). Default true. */
  respectGitignore?: boolean;
  /** The rules to run. Default: every built-in rule. */
  rules?: readonly SecretRule[];
  signal?: AbortSignal;
  /** What was scanned as the user named it (the report's target). Default: `root`. */
  target?: string;
  /** psr's version, recorded in the report. */
  toolVersion?: string;
}

/**
 * What a scan reads: the files as they are, the lines each commit added, or the lines staged for
 * the next commit (a pre-commit hook).
 *
 * @example
 * ```ts
 * const mode: SecretScanMode = process.env.CI ? 'history' : 'staged';
 * ```
 */
export type SecretScanMode = 'files' | 'history' | 'staged';

/** Counts for the summary. */
export interface SecretScanStats {
  mode: SecretScanMode;
  filesScanned: number;
  bytesScanned: number;
  skippedBinary: number;
  skippedOversized: number;
  skippedSymlinks: number;
  gitignored: number;
  allowlistedPaths: number;
  unreadable: number;
  commitsScanned: number;
  durationMs: number;
}

/** What a scan found. */
export interface SecretScanResult {
  /** Every finding, suppressed ones marked with `suppressed`. No secret values anywhere. */
  findings: Finding[];
  /** Findings that count (not suppressed). */
  active: Finding[];
  stats: SecretScanStats;
  report: Report;
}

/**
 * Scan a folder or a repository's history for leaked credentials. This is the engine behind
 * the `secret-scan` task and `psr secret-scan`.
 *
 * @example
 * ```ts
 * const result = await scanSecrets({ root: '/repo', mode: 'files' });
 * for (const f of result.active) console.log(f.id, f.locations[0]?.file, f.redacted);
 * ```
 */
export async function scanSecrets(options: SecretScanOptions): Promise<SecretScanResult> {
  const started = Date.now();
  const info = await stat(options.root).catch(() => undefined);
  if (!info) throw new PsrError(SecretScanErrorCodes.TARGET, `${options.root} does not exist`, { hint: 'pass the folder, file or repository to scan' });
  // One file is scanned as the only file of its folder (config and baseline are the folder's).
  const single = info.isFile() ? path.basename(options.root) : undefined;
  if (single !== undefined && options.mode !== 'files') {
    throw new PsrError(SecretScanErrorCodes.TARGET, `${options.root} is a file; ${options.mode} mode scans a repository`, { hint: "pass the repository's folder, or scan the file with --mode files" });
  }
  if (single === undefined && !info.isDirectory()) {
    throw new PsrError(SecretScanErrorCodes.TARGET, `${options.root} is neither a folder nor a file`, { hint: 'pass the folder, file or repository to scan' });
  }
  const root = single === undefined ? options.root : path.dirname(options.root);
  let config: SecretScanConfig = {};
  if (options.config) config = options.config;
  else {
    const file = options.configFile ?? path.join(root, DEFAULT_CONFIG_FILE);
    const exists = await stat(file).then((s) => s.isFile(), () => false);
    if (exists || options.configFile) config = await loadSecretScanConfig(file, path.relative(process.cwd(), file) || file);
  }
  const disabled = new Set(config.disableRules ?? []);
  const rules = (options.rules ?? builtinRules).filter((r) => !disabled.has(r.id));
  const scanner = new TextScanner(rules);
  const allowlist = new Allowlist(config);
  const baseline = options.baselineFile ? await readBaseline(options.baselineFile, path.relative(process.cwd(), options.baselineFile) || options.baselineFile) : new Set<string>();
  const sink = new DetectionSink(allowlist, baseline, config.salt ?? DEFAULT_SALT);
  const skipPath = (rel: string): boolean => allowlist.allowsPath(rel);

  const stats: SecretScanStats = {
    mode: options.mode,
    filesScanned: 0,
    bytesScanned: 0,
    skippedBinary: 0,
    skippedOversized: 0,
    skippedSymlinks: 0,
    gitignored: 0,
    allowlistedPaths: 0,
    unreadable: 0,
    commitsScanned: 0,
    durationMs: 0,
  };
  if (options.mode === 'history' || options.mode === 'staged') {
    const diffOptions = {
      skipPath,
      maxFileSize: options.maxFileSize ?? config.maxFileSize ?? DEFAULT_MAX_FILE_SIZE,
      ...(options.signal ? { signal: options.signal } : {}),
    };
    const h = options.mode === 'history' ? await scanHistory(options.root, scanner, sink, options.range ?? {}, diffOptions) : await scanStaged(options.root, scanner, sink, diffOptions);
    stats.commitsScanned = h.commitsScanned;
    stats.skippedOversized = h.oversized;
    stats.bytesScanned = h.bytesScanned;
    stats.allowlistedPaths = h.allowlisted;
  } else {
    const t = await scanTree(root, scanner, sink, {
      ...(single !== undefined ? { only: single } : {}),
      maxFileSize: options.maxFileSize ?? config.maxFileSize ?? DEFAULT_MAX_FILE_SIZE,
      concurrency: options.concurrency ?? 8,
      respectGitignore: options.respectGitignore ?? true,
      skipPath,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    Object.assign(stats, {
      filesScanned: t.filesScanned,
      bytesScanned: t.bytesScanned,
      skippedBinary: t.skippedBinary,
      skippedOversized: t.skippedOversized,
      skippedSymlinks: t.symlinks,
      gitignored: t.gitignored,
      allowlistedPaths: t.allowlisted,
      unreadable: t.unreadable,
    });
  }
  stats.durationMs = Date.now() - started;
  const findings = sink.findings;
  const report = createReport({
    tool: { name: 'psr', version: options.toolVersion ?? '0.1.0', plugin: 'psr:secret-scan' },
    run: { startedAt: new Date(started).toISOString(), durationMs: stats.durationMs, target: `${options.target ?? options.root}${options.mode === 'history' ? ' (git history)' : options.mode === 'staged' ? ' (staged changes)' : ''}` },
    findings,
  });
  return { findings: report.findings, active: report.findings.filter((f) => !f.suppressed), stats, report };
}
