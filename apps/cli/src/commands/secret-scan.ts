import type { Command } from '../command.js';
import { ExitCode } from '../exit-codes.js';

const FORMATS = ['table', 'json', 'sarif', 'markdown'] as const;

function list(value: string | string[] | boolean | undefined): string[] {
  if (value === undefined || typeof value === 'boolean') return [];
  return (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

function str(value: string | string[] | boolean | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The report format a file name implies (`.sarif`, `.json`, `.md`; else the table). */
function formatFromExtension(file: string): (typeof FORMATS)[number] {
  if (/\.sarif(\.json)?$/i.test(file)) return 'sarif';
  if (/\.json$/i.test(file)) return 'json';
  if (/\.(md|markdown)$/i.test(file)) return 'markdown';
  return 'table';
}

const secretScan: Command = {
  name: 'secret-scan',
  summary: 'Find leaked credentials in files or git history (the secret-scan task as a command)',
  usage:
    'psr secret-scan [path] [--mode files|history|staged] [--format <f>...] [--output <file>...] [--baseline <file>] [--update-baseline] [--since <date>] [--from <ref>] [--to <ref>] [--config <file>]',
  description:
    'Runs the `secret-scan` task: 100+ provider rules (with checksum, JWT and PEM validation), generic high-entropy ' +
    'assignments, suppression of examples, placeholders and digests, `psr-allow` comments, config allowlists and a ' +
    'baseline. Secrets are never printed: findings show a short prefix and the length (ghp_…(40)). Without --format ' +
    'and --output the table is printed. Exit status: 0 no unallowed findings, 1 unallowed findings, 2 usage or input error.',
  positionals: [{ name: 'path', description: 'Folder, file or repository to scan (default: .)', required: false }],
  options: [
    { name: 'mode', short: 'm', type: 'string', valueName: 'mode', choices: ['files', 'history', 'staged'], default: 'files', description: 'files: the working tree; history: lines added by each commit; staged: lines the next commit would add (a pre-commit hook)' },
    { name: 'format', short: 'f', type: 'string', multiple: true, valueName: 'format', description: 'Report format(s): table, json, sarif, markdown (one per --output)' },
    { name: 'output', short: 'o', type: 'string', multiple: true, valueName: 'file', description: 'Write a report file; format from --format or the extension' },
    { name: 'baseline', type: 'string', valueName: 'file', description: 'Baseline of accepted findings (default with --update-baseline: .psr/secret-scan-baseline.json)' },
    { name: 'update-baseline', type: 'boolean', description: 'Accept every current finding into the baseline file (written atomically) and exit 0' },
    { name: 'since', type: 'string', valueName: 'date', description: 'History: only commits after this date (git --since)' },
    { name: 'from', type: 'string', valueName: 'ref', description: 'History: scan commits after this ref (from..to)' },
    { name: 'to', type: 'string', valueName: 'ref', description: 'History: last commit to scan (default HEAD; every ref when --from is absent)' },
    { name: 'config', short: 'c', type: 'string', valueName: 'file', description: 'Config file (default: <path>/.psr/secret-scan.yml when present)' },
    { name: 'max-file-size', type: 'string', valueName: 'size', description: 'Skip larger files (default 10MB)' },
  ],
  examples: [
    'psr secret-scan',
    'psr secret-scan . --format sarif --output secrets.sarif',
    'psr secret-scan --mode history --since 2024-01-01',
    'psr secret-scan --mode staged   # in .git/hooks/pre-commit: exit 1 stops the commit',
    'psr secret-scan --update-baseline',
  ],
  async run(args, io) {
    const formats = list(args.options['format']);
    const outputs = list(args.options['output']);
    for (const f of formats)
      if (!(FORMATS as readonly string[]).includes(f)) {
        const { PsrError, ErrorCodes } = await import('@psr/core');
        throw new PsrError(ErrorCodes.USAGE, `unknown --format "${f}"`, { hint: `use one of: ${FORMATS.join(', ')}` });
      }
    while (formats.length < outputs.length) formats.push(formatFromExtension(outputs[formats.length]!));
    if (formats.length === 0) formats.push('table');
    const input: Record<string, unknown> = {
      path: args.positionals[0] ?? '.',
      mode: str(args.options['mode']) ?? 'files',
      format: formats,
      output: outputs,
      'update-baseline': args.options['update-baseline'] === true,
    };
    for (const key of ['baseline', 'since', 'from', 'to', 'config', 'max-file-size']) {
      const value = str(args.options[key]);
      if (value !== undefined) input[key] = value;
    }
    const { runSecretScanStandalone } = await import('@psr/plugin-secret-scan');
    const ac = new AbortController();
    const onSignal = (): void => ac.abort();
    io.signals.on('SIGINT', onSignal);
    io.signals.on('SIGTERM', onSignal);
    try {
      const env: Record<string, string> = {};
      for (const [k, v] of Object.entries(io.env)) if (v !== undefined) env[k] = v;
      const { exitCode } = await runSecretScanStandalone(input, {
        cwd: io.cwd,
        signal: ac.signal,
        env,
        output: { stdout: (t) => io.stdout.write(t), stderr: (t) => io.stderr.write(t) },
      });
      if (ac.signal.aborted) return ExitCode.INTERRUPTED;
      return exitCode === 1 ? ExitCode.TASK_FAILED : ExitCode.SUCCESS;
    } finally {
      io.signals.off('SIGINT', onSignal);
      io.signals.off('SIGTERM', onSignal);
    }
  },
};

export default secretScan;
