import type { Command } from '../command.js';
import { ExitCode } from '../exit-codes.js';
import { reportError } from '../render-error.js';
import { httpUrlOption } from '../url-option.js';

function age(iso: string, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.round(s / 60)}m`;
  if (s < 172800) return `${Math.round(s / 3600)}h`;
  return `${Math.round(s / 86400)}d`;
}

/** A size as people read it: `21 KB`, `4.8 MB`. */
function sizeText(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** What a compiled index says about an entry's data: `4,210 advisories for 612 packages, newest 2026-11-30 (6d old)`. */
function dataLine(snap: { advisories: number; packages: number; newestModified?: string | undefined }, now = Date.now()): string {
  const newest = snap.newestModified ? `, newest ${snap.newestModified.slice(0, 10)} (${age(snap.newestModified, now)} old)` : '';
  return `${snap.advisories.toLocaleString('en-US')} advisories for ${snap.packages.toLocaleString('en-US')} packages${newest}`;
}

const db: Command = {
  name: 'db',
  summary: 'Manage the local advisory database (sync, import, status)',
  usage: 'psr db <sync|import|status> [path] [--ecosystem <name>...] [--url <base>] [--name <name>]',
  description:
    '`sync` downloads osv.dev exports (<url>/<Ecosystem>/all.zip, default ecosystems PyPI and npm) into the cache; ' +
    '`import <dir|zip>` copies a folder or zip of OSV records into it (zip-slip safe); both compile the index a scan reads, so the next scan is fast. ' +
    'New data replaces the previous only once every record of it reads and its index is compiled; when it does not, the previous data stays in use and the command exits 2 (after syncing the other ecosystems). ' +
    'Ecosystem names are case-sensitive (PyPI, npm, crates.io). ' +
    '`status` lists each source with its snapshot id, when it was fetched or imported, and how current its data is (the newest advisory); --json for machines. ' +
    'The cache is $PSR_CACHE_DIR, else $XDG_CACHE_HOME/psr, else ~/.cache/psr. `psr scan` uses it when no --sources are given.',
  positionals: [
    { name: 'action', description: 'sync, import or status' },
    { name: 'path', description: 'Folder or zip to import (import only)', required: false },
  ],
  options: [
    { name: 'ecosystem', short: 'e', type: 'string', multiple: true, valueName: 'name', description: 'Ecosystem export to sync; default PyPI and npm' },
    { name: 'url', type: 'string', valueName: 'base', description: 'Base URL of the exports (default $PSR_OSV_DATA_URL or https://osv-vulnerabilities.storage.googleapis.com)' },
    { name: 'name', type: 'string', valueName: 'name', description: 'Name of the imported source (default: the folder or zip name)' },
    { name: 'json', type: 'boolean', description: 'status: print the entries as JSON' },
  ],
  examples: ['psr db sync --ecosystem PyPI', 'psr db import ../advisory-database', 'psr db status'],
  async run(args, io) {
    const osv = await import('@psr/osv');
    const { PsrError, ErrorCodes } = await import('@psr/core');
    const cacheDir = osv.resolveCacheDir(io.env);
    const [action, path] = args.positionals;
    if (args.options['json'] === true && action !== 'status') throw new PsrError(ErrorCodes.USAGE, `--json applies to psr db status, not ${action ?? 'no action'}`, { hint: 'psr db status --json' });
    if (action === 'status') {
      const entries = osv.listDatabase(cacheDir).map((e) => ({ entry: e, data: osv.entrySource(e).compiledSnapshot(cacheDir) }));
      if (args.options['json'] === true) {
        const json = entries.map(({ entry: e, data }) => ({
          name: e.name,
          kind: e.kind,
          snapshot: e.snapshot,
          origin: e.origin,
          fetchedAt: e.fetchedAt,
          bytes: e.bytes,
          ...(e.ecosystems ? { ecosystems: e.ecosystems } : {}),
          // Known once the index is compiled (sync and import compile it).
          ...(data ? { advisories: data.advisories, packages: data.packages, withdrawn: data.withdrawn, ...(data.newestModified ? { newestModified: data.newestModified } : {}) } : {}),
        }));
        io.stdout.write(`${JSON.stringify({ cacheDir, entries: json }, null, 2)}\n`);
        return ExitCode.SUCCESS;
      }
      if (entries.length === 0) {
        io.stdout.write(`no advisory data in ${cacheDir}\nrun \`psr db sync\` or \`psr db import <dir|zip>\`\n`);
        return ExitCode.SUCCESS;
      }
      io.stdout.write(`advisory database: ${cacheDir}\n`);
      for (const { entry: e, data } of entries) {
        // Data from `psr db sync` was fetched from a URL; from `psr db import`, imported from a path.
        const how = /^https?:\/\//.test(e.origin) ? 'fetched' : 'imported';
        io.stdout.write(`${e.name.padEnd(20)} ${e.kind.padEnd(6)} ${e.snapshot}  ${how} ${e.fetchedAt} (${age(e.fetchedAt)} ago)  ${e.origin}\n`);
        io.stdout.write(`${' '.repeat(21)}${data ? dataLine(data) : 'not compiled yet (the next scan compiles it)'}\n`);
        const stale = osv.staleDownloadDays(e.origin, e.fetchedAt);
        if (stale !== undefined) io.stdout.write(`${' '.repeat(21)}downloaded ${stale} days ago: run \`psr db sync\` for what was published since\n`);
      }
      return ExitCode.SUCCESS;
    }
    if (action === 'sync') {
      const ecosystems = [args.options['ecosystem']].flat().filter((x): x is string => typeof x === 'string');
      const url = typeof args.options['url'] === 'string' ? httpUrlOption('url', args.options['url']) : undefined;
      // osv.dev's names are case-sensitive (`pypi/all.zip` is a 404): a known one in another case
      // is a typo, said before anything is downloaded. Unknown names go to the server as given.
      for (const eco of ecosystems) {
        const spelling = osv.misspelledEcosystem(eco);
        if (spelling !== undefined)
          throw new PsrError(ErrorCodes.USAGE, `unknown ecosystem "${eco}": did you mean ${spelling}?`, { hint: `ecosystem names are case-sensitive: psr db sync --ecosystem ${spelling}` });
      }
      // Ctrl-C stops the download, which deletes its partial file: the entry keeps its data.
      const ac = new AbortController();
      const onSignal = (): void => ac.abort();
      io.signals.on('SIGINT', onSignal);
      io.signals.on('SIGTERM', onSignal);
      let exitCode: number = ExitCode.SUCCESS;
      try {
        // Each ecosystem on its own: a refused PyPI export is no reason to leave npm's data a day old.
        for (const eco of ecosystems.length > 0 ? ecosystems : ['PyPI', 'npm']) {
          try {
            // Printed once the new data is compiled and in use: a refused export changes nothing.
            const e = await osv.syncEcosystem(cacheDir, eco, { ...(url ? { baseUrl: url } : {}), signal: ac.signal });
            io.stdout.write(`${e.name}: ${e.changed ? 'updated' : 'unchanged'} ${e.snapshot} (${sizeText(e.bytes)}) from ${e.origin}\n`);
            io.stdout.write(`${e.name}: ${dataLine(e.compiled)}\n`);
          } catch (err) {
            if (ac.signal.aborted) {
              io.stderr.write(`psr db sync: interrupted: ${eco} keeps the data it had\n`);
              return ExitCode.INTERRUPTED;
            }
            const code = await reportError(err, io);
            if (exitCode === ExitCode.SUCCESS) exitCode = code;
          }
        }
      } finally {
        io.signals.off('SIGINT', onSignal);
        io.signals.off('SIGTERM', onSignal);
      }
      return exitCode;
    }
    if (action === 'import') {
      if (!path) throw new PsrError(ErrorCodes.USAGE, 'psr db import needs a folder or zip', { hint: 'psr db import ../advisory-database' });
      const name = typeof args.options['name'] === 'string' ? args.options['name'] : undefined;
      // Printed once the new data is compiled and in use: a refused import changes nothing.
      const e = await osv.importSource(cacheDir, path, name ? { name } : {});
      io.stdout.write(`${e.name}: imported ${e.snapshot} (${sizeText(e.bytes)}) from ${e.origin}\n`);
      io.stdout.write(`${e.name}: ${dataLine(e.compiled)}\n`);
      return ExitCode.SUCCESS;
    }
    throw new PsrError(ErrorCodes.USAGE, `unknown db action "${action ?? ''}"`, { hint: 'use psr db sync, psr db import <dir|zip> or psr db status' });
  },
};

export default db;
