/**
 * The OSV record as it appears in data files, and its parser. YAML is parsed with the
 * failsafe schema so every scalar stays a string (`1.10` must not become the number 1.1).
 */
import { PsrError } from '@psr/core/errors';
import { createRequire } from 'node:module';

// js-yaml, not `yaml`: with the failsafe schema it reads the 2,661 PyPA files in ~0.7 s where
// `yaml` took ~9.6 s, which decides the cold-scan budget. Loaded on first use (index builds only).
let yamlLib: typeof import('js-yaml') | undefined;
function loadYaml(): typeof import('js-yaml') {
  return (yamlLib ??= createRequire(import.meta.url)('js-yaml') as typeof import('js-yaml'));
}

/** One `affected[].ranges[].events[]` entry. Exactly one key is set. */
export interface OsvEvent {
  introduced?: string;
  fixed?: string;
  last_affected?: string;
  limit?: string;
}

/** One `affected[].ranges[]` entry. */
export interface OsvRange {
  type: string;
  repo?: string;
  events: OsvEvent[];
}

/** One `severity[]` entry (`CVSS_V2`, `CVSS_V3`, `CVSS_V4`, …). */
export interface OsvSeverity {
  type: string;
  score: string;
}

/** One `affected[]` entry. */
export interface OsvAffected {
  package?: { ecosystem?: string; name?: string; purl?: string };
  severity?: OsvSeverity[];
  ranges?: OsvRange[];
  versions?: string[];
  database_specific?: Record<string, unknown>;
  ecosystem_specific?: Record<string, unknown>;
}

/** An OSV vulnerability record (the fields psr reads). */
export interface OsvAdvisory {
  id: string;
  modified?: string;
  published?: string;
  withdrawn?: string;
  aliases?: string[];
  summary?: string;
  details?: string;
  severity?: OsvSeverity[];
  affected?: OsvAffected[];
  references?: Array<{ type?: string; url?: string }>;
  database_specific?: Record<string, unknown>;
}

/** Error code: an advisory file is not valid OSV JSON/YAML. */
export const OSV_ADVISORY_INVALID = 'PSR_OSV_ADVISORY_INVALID';

/**
 * Parse one OSV advisory from JSON or YAML text. `file` is used in error messages and picks
 * the format (`.json` → JSON, anything else → YAML, which also accepts JSON).
 *
 * @example
 * ```ts
 * const adv = parseAdvisory('id: PYSEC-2021-1\naffected: []\n', 'PYSEC-2021-1.yaml');
 * adv.id; // 'PYSEC-2021-1'
 * ```
 */
export function parseAdvisory(text: string, file: string): OsvAdvisory {
  let data: unknown;
  try {
    data = file.endsWith('.json') ? JSON.parse(text) : loadYaml().load(text, { schema: loadYaml().FAILSAFE_SCHEMA, filename: file });
  } catch (err) {
    const mark = (err as { mark?: { line: number; column: number } }).mark;
    throw new PsrError(OSV_ADVISORY_INVALID, `${file}: advisory does not parse: ${(err as Error).message.split('\n')[0]}`, {
      hint: 'fix or remove the file; psr reads OSV records in JSON or YAML',
      location: { file, line: (mark?.line ?? 0) + 1, col: (mark?.column ?? 0) + 1 },
      cause: err,
    });
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data) || typeof (data as { id?: unknown }).id !== 'string') {
    throw new PsrError(OSV_ADVISORY_INVALID, `${file}: not an OSV record (no string "id" at the top level)`, {
      hint: 'psr reads OSV records: https://ossf.github.io/osv-schema/',
      location: { file, line: 1, col: 1 },
    });
  }
  return data as OsvAdvisory;
}
