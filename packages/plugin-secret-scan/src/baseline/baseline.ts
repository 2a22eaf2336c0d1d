import { readFile } from 'node:fs/promises';
import { PsrError } from '@psr/core';
import { writeFileAtomic, type Finding } from '@psr/report';
import { SecretScanErrorCodes } from '../config/config.js';

/** One accepted finding in a baseline file. No secret, only where it was and its fingerprint. */
export interface BaselineEntry {
  fingerprint: string;
  rule: string;
  file: string;
  line?: number;
  commit?: string;
}

/** The baseline file: findings accepted when the scanner was adopted. */
export interface BaselineFile {
  version: 1;
  tool: 'psr secret-scan';
  createdAt: string;
  findings: BaselineEntry[];
}

/**
 * Read a baseline file into the set of accepted fingerprints. A missing file is an empty
 * baseline (the first `--update-baseline` creates it); a malformed one is an error.
 *
 * @example
 * ```ts
 * const accepted = await readBaseline('.psr/secret-scan-baseline.json');
 * ```
 */
export async function readBaseline(file: string, displayName = file): Promise<Set<string>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Set();
    throw new PsrError(SecretScanErrorCodes.BASELINE, `cannot read baseline ${displayName}`, { hint: 'check the --baseline path', cause: error });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // No cause: JSON.parse's message quotes the text, which may be a secret pasted by mistake.
    throw new PsrError(SecretScanErrorCodes.BASELINE, `baseline ${displayName} is not valid JSON`, {
      hint: 'regenerate it with `psr secret-scan --update-baseline`',
      location: { file: displayName, line: 1, col: 1, sensitive: true },
    });
  }
  const v = value as Partial<BaselineFile>;
  if (typeof v !== 'object' || v === null || v.version !== 1 || !Array.isArray(v.findings) || v.findings.some((f) => typeof f?.fingerprint !== 'string')) {
    throw new PsrError(SecretScanErrorCodes.BASELINE, `${displayName} is not a psr secret-scan baseline (version 1)`, {
      hint: 'regenerate it with `psr secret-scan --update-baseline`',
      location: { file: displayName, line: 1, col: 1, sensitive: true },
    });
  }
  return new Set(v.findings.map((f) => f.fingerprint));
}

/**
 * Write a baseline accepting every given finding (suppressed or not), atomically.
 *
 * @example
 * ```ts
 * await writeBaseline('.psr/secret-scan-baseline.json', result.findings);
 * ```
 */
export async function writeBaseline(file: string, findings: readonly Finding[], now = new Date()): Promise<BaselineFile> {
  const seen = new Set<string>();
  const entries: BaselineEntry[] = [];
  for (const f of findings) {
    if (seen.has(f.fingerprint)) continue;
    seen.add(f.fingerprint);
    const loc = f.locations[0];
    entries.push({
      fingerprint: f.fingerprint,
      rule: f.id,
      file: loc?.file ?? '',
      ...(loc?.line !== undefined ? { line: loc.line } : {}),
      ...(loc?.commit ? { commit: loc.commit } : {}),
    });
  }
  entries.sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0) || a.rule.localeCompare(b.rule));
  const baseline: BaselineFile = { version: 1, tool: 'psr secret-scan', createdAt: now.toISOString(), findings: entries };
  await writeFileAtomic(file, `${JSON.stringify(baseline, null, 2)}\n`);
  return baseline;
}
