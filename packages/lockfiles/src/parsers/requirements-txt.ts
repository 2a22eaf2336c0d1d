// Synchronous fs on purpose: a CLI reads a handful of local files, and the promise API would cost
// every scan the load of `node:fs/promises` and a thread-pool round trip per call.
import { realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, relative, resolve } from 'node:path';
import type { Diagnostic } from '@psr/core/errors';
import { LockfileCodes, warning } from '../errors.js';
import type { Dependency, ParseResult, Unresolvable } from '../model.js';
import { markerProblem } from '../marker-syntax.js';
import { classifyReference, parseRequirement, pinnedVersion, requirementProblem } from '../pep508.js';
import { purlFor } from '../purl.js';
import { normalizePypiName } from '../pypi-name.js';
import { readLineBatches, type LineBatch } from '../text-decoding.js';
import { isInside } from '../path-inside.js';

/**
 * Options for reading a requirements file from disk.
 *
 * @example
 * ```ts
 * await parseRequirementsFile('services/api/requirements.txt', { root: '.' });
 * ```
 */
export interface RequirementsFileOptions {
  /**
   * `-r` includes must stay inside this folder (default: the folder of the top file).
   * An include that escapes it is not read: an error (`PSR_LOCKFILE_OUTSIDE_ROOT`) in the result.
   */
  root?: string;
  /**
   * Values of the `${NAME}` references pip replaces with environment variables (names of
   * capitals, digits and `_`; an unset or empty variable stays as written). Default
   * `process.env`. Only a requirement's name and version and an include's path are expanded: a
   * URL, VCS or path requirement is read as written, as its variables often hold credentials,
   * which reports never show.
   */
  env?: Readonly<Record<string, string | undefined>>;
}

/** pip's environment variable reference (`pip._internal.req.req_file.ENV_VAR_RE`). */
const ENV_REFERENCE = /\$\{([A-Z0-9_]+)\}/g;

/** `-i`-style options that apply to the whole file and name no dependency (value taken). */
const GLOBAL_OPTIONS_WITH_VALUE = new Set([
  '-i', '--index-url', '--extra-index-url', '-f', '--find-links', '--trusted-host', '--use-feature',
  '--only-binary', '--no-binary', '--config-settings', '--progress-bar', '--platform', '--python-version',
  '--implementation', '--abi',
]);
const GLOBAL_FLAGS = new Set(['--pre', '--no-index', '--prefer-binary', '--require-hashes', '-Z', '--always-unzip']);
/**
 * Where a requirement line's options start: pip (`break_args_options`) ends the requirement at
 * its first whitespace-separated word that starts with `-`, whatever the option.
 */
const OPTIONS_START = /\s-/;
/**
 * The options of a requirement itself (`--install-option` until pip 23.1). pip also takes the
 * file's global options there (`flask==2.0 --no-binary flask`; it ignores them on that line) and
 * refuses a line with any other.
 */
const PER_LINE_OPTIONS = new Set(['--hash', '--config-settings', '-C', '--global-option', '--install-option']);

/**
 * A bare `name==version` line, most of a pip-compile file: read by this one regex, with the
 * result {@link parseRequirement} and {@link pinnedVersion} give for it (the version holds no
 * space, `*`, `,`, `;`, `=` or other character those treat specially).
 */
const PLAIN_PIN = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)==([^\s*,;#=@()[\]:'"<>!~]+)$/;

/** pip's comment rule: `#` at the start or after whitespace starts a comment. */
const COMMENT_RE = /(^|\s+)#.*$/;

interface ViaInfo {
  parents: string[];
  fromInput: boolean;
}

/** What one requirements line says about its dependency (see `RequirementsRead.push`). */
interface LineRequirement {
  name: string;
  version: string | undefined;
  specifier?: string | undefined;
  unresolvable?: Unresolvable | undefined;
  extras: string[];
  marker?: string | undefined;
  hashes?: string[] | undefined;
}

/** Shared state of one top-level read (the file and everything it includes). */
class RequirementsRead {
  readonly deps: Dependency[] = [];
  readonly warnings: Diagnostic[] = [];
  /** Includes that could not be read: the scan of this file is incomplete. */
  readonly errors: Diagnostic[] = [];
  readonly includes: string[] = [];
  readonly via = new Map<Dependency, ViaInfo>();
  sawVia = false;
  private readonly stack: string[] = [];
  private readonly done = new Set<string>();

  constructor(
    readonly topFile: string,
    readonly root: string | undefined,
    readonly lexicalRoot?: string,
    readonly env: Readonly<Record<string, string | undefined>> = process.env,
  ) {}

  /**
   * `text` with its `${NAME}` references replaced as pip replaces them; a warning at `file:line`
   * names each variable that is unset or empty (the reference then stays as written).
   */
  private expandEnv(text: string, file: string, line: number): string {
    return text.replace(ENV_REFERENCE, (reference, name: string) => {
      const value = this.env[name];
      if (value) return value;
      this.warnings.push(
        warning(LockfileCodes.UNSET_VARIABLE, `environment variable ${name} is not set: ${reference} is read as written`, file, line, `set ${name} as for \`pip install -r\`, or write the value in the file`),
      );
      return reference;
    });
  }

  async readFile(path: string, displayName: string): Promise<void> {
    const real = realpathSync.native(path);
    if (this.stack.includes(real)) {
      this.warnings.push(
        warning(LockfileCodes.CYCLE, `cyclic -r include of ${displayName} (${[...this.stack, real].map((p) => relative(dirname(this.stack[0]!), p) || p).join(' → ')}); skipped the repeat`, displayName),
      );
      return;
    }
    if (this.done.has(real)) return; // a diamond include: its dependencies are already listed
    this.stack.push(real);
    this.done.add(real);
    try {
      await this.consume(readLineBatches(path, displayName), displayName, true);
    } finally {
      this.stack.pop();
    }
  }

  async consume(batches: Iterable<LineBatch>, file: string, followIncludes: boolean): Promise<void> {
    let joined: string[] = [];
    let firstLine = 0;
    let last: Dependency | undefined;
    let inVia = false;
    for (const batch of batches) {
      const lines = batch.lines;
      // An indexed loop: this runs once per line, mostly before the JIT has compiled it.
      for (let i = 0; i < lines.length; i++) {
        const text = lines[i]!;
        const line = batch.firstLine + i;
        // pip joins `\` continuations before stripping comments; a comment line never continues.
        const isComment = text.includes('#') && /^\s*#/.test(text);
        if (isComment && joined.length === 0) {
          inVia = this.noteComment(text, last, inVia);
          continue;
        }
        inVia = false;
        if (!isComment && text.endsWith('\\')) {
          if (joined.length === 0) firstLine = line;
          joined.push(text.slice(0, -1));
          continue;
        }
        let logical: string;
        let at: number;
        if (joined.length > 0) {
          joined.push(isComment ? '' : text);
          logical = joined.join('');
          at = firstLine;
          joined = [];
        } else {
          logical = text;
          at = line;
        }
        let produced = this.handleLine(logical, file, at, followIncludes);
        if (produced instanceof Promise) produced = await produced;
        if (produced !== null) last = produced;
        // A comment right after a `\` ends the joined line (as pip does) and may be a `# via` note.
        if (isComment) inVia = this.noteComment(text, last, false);
      }
    }
    if (joined.length > 0) await this.handleLine(joined.join(''), file, firstLine, followIncludes);
  }

  /** pip-compile writes `# via flask` / `#   -r requirements.in` under each pin: record it. */
  private noteComment(text: string, last: Dependency | undefined, inVia: boolean): boolean {
    if (!last) return false;
    const head = /^\s*#\s*via\b\s*(.*)$/.exec(text);
    if (head) {
      this.sawVia = true;
      this.addVia(last, head[1]!);
      return true;
    }
    const more = /^\s*#\s{2,}(\S.*)$/.exec(text);
    if (inVia && more) {
      this.addVia(last, more[1]!);
      return true;
    }
    return false;
  }

  private addVia(dep: Dependency, text: string): void {
    const info = this.via.get(dep) ?? { parents: [], fromInput: false };
    this.via.set(dep, info);
    // A pip-compile file has a `# via` note per pin: a plain loop, no intermediate arrays.
    const parts = text.split(',');
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!.trim();
      if (part === '') continue;
      if (part.startsWith('-')) {
        if (/^-[rc]\s/.test(part) || part.startsWith('--requirement') || part.startsWith('--constraint')) {
          if (part.startsWith('-r') || part.startsWith('--requirement')) info.fromInput = true;
        }
        continue; // a name never starts with `-`
      }
      const name = VIA_NAME.exec(part);
      if (name) info.parents.push(normalizePypiName(name[0]));
    }
  }

  /**
   * Returns the dependency a line produced, `undefined` for a non-dependency line, `null` for
   * blank. Only an option line (`-r` may read another file) answers with a promise: the common
   * lines cost no await.
   */
  private handleLine(raw: string, file: string, line: number, followIncludes: boolean): Dependency | undefined | null | Promise<Dependency | undefined> {
    // Most lines have no `#`: they need neither comment regex.
    const inlineComment = raw.includes('#') ? /(?:^|\s)#(.*)$/.exec(raw) : null;
    const text = (inlineComment ? raw.replace(COMMENT_RE, '') : raw).trim();
    if (text === '') return null;
    if (text.startsWith('-')) return this.handleOption(text, file, line, followIncludes);
    // A line starting with a printable ASCII character has no indent to measure.
    const first = raw.charCodeAt(0);
    const col = first > 32 && first < 127 ? 1 : raw.length - raw.trimStart().length + 1;
    const dep = this.requirementLine(text, file, line, col);
    if (dep && inlineComment) {
      const via = /^\s*via\s+(.*)$/.exec(inlineComment[1]!);
      if (via) {
        this.sawVia = true;
        this.addVia(dep, via[1]!);
      }
    }
    return dep;
  }

  private async handleOption(text: string, file: string, line: number, followIncludes: boolean): Promise<Dependency | undefined> {
    const m = /^(--?[A-Za-z][\w-]*)(?:=|\s+)?(.*)$/.exec(text);
    let opt = m?.[1] ?? text;
    let value = (m?.[2] ?? '').trim();
    // Short options may be glued to their value: `-rbase.txt`, `-rsub/base.txt`, `-e.`: the value
    // is all that follows the option letter (the match above stops a name at `/` or `.`).
    const glued = /^-([rceif])(\S.*)$/.exec(opt);
    if (glued && !text.startsWith('--')) {
      opt = `-${glued[1]}`;
      value = text.slice(2).trim();
    }
    if (opt === '-r' || opt === '--requirement') {
      await this.include(value, file, line, followIncludes);
      return undefined;
    }
    if (opt === '-c' || opt === '--constraint') return undefined; // constraints are not installed
    if (opt === '-e' || opt === '--editable') return this.editableLine(value, file, line);
    if (GLOBAL_OPTIONS_WITH_VALUE.has(opt) || GLOBAL_FLAGS.has(opt)) return undefined;
    this.warnings.push(warning(LockfileCodes.SKIPPED, `unknown option ${opt} skipped`, file, line));
    return undefined;
  }

  private async include(value: string, file: string, line: number, followIncludes: boolean): Promise<void> {
    let target = value.replace(/\s+--?\S.*$/, '').trim();
    if (target.includes('${')) target = this.expandEnv(target, file, line);
    // pip splits option lines with shlex, so a quoted path is one argument without its quotes
    if (/^(["']).*\1$/.test(target)) target = target.slice(1, -1);
    if (target === '') {
      this.warnings.push(warning(LockfileCodes.SKIPPED, '-r without a file name skipped', file, line));
      return;
    }
    if (!followIncludes) {
      this.warnings.push(warning(LockfileCodes.SKIPPED, `include ${target} not followed (parsed from text, no folder to resolve it in)`, file, line));
      return;
    }
    // From here on an include that cannot be read is an error, not a warning: pip would fail to
    // install the file, and a scan without the included requirements is incomplete (exit 2).
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) {
      this.errors.push(warning(LockfileCodes.INCLUDE, `remote include ${target} not fetched (offline scan): its requirements are not scanned`, file, line, 'download the file and reference it locally'));
      return;
    }
    const path = isAbsolute(target) ? target : resolve(dirname(file), target);
    const outside = (): void => {
      this.errors.push(
        warning(
          LockfileCodes.OUTSIDE_ROOT,
          `include ${target} resolves outside ${this.lexicalRoot ?? this.root}, the folder includes may reach: its requirements are not scanned`,
          file,
          line,
          'scan from a folder that holds both files (a git repository counts as one folder: includes may reach anywhere in it)',
        ),
      );
    };
    if (this.lexicalRoot !== undefined && !isInside(this.lexicalRoot, path)) return outside();
    let real: string;
    try {
      real = realpathSync.native(path);
    } catch {
      this.errors.push(warning(LockfileCodes.INCLUDE, `included file ${target} not found: its requirements are not scanned`, file, line, 'fix the -r path (pip install -r fails on it too)'));
      return;
    }
    if (this.root !== undefined && !isInside(this.root, real)) return outside();
    if (!this.includes.includes(path)) this.includes.push(path);
    try {
      await this.readFile(path, path);
    } catch (err) {
      if (isCodeError(err) && (err.code === LockfileCodes.BINARY || err.code === 'EISDIR')) {
        this.errors.push(warning(LockfileCodes.INCLUDE, `included file ${target} is not a text requirements file: nothing in it is scanned`, file, line, 'point -r at a requirements file'));
        return;
      }
      throw err;
    }
  }

  private editableLine(value: string, file: string, line: number): Dependency | undefined {
    const spec = value.trim();
    if (spec === '') {
      this.warnings.push(warning(LockfileCodes.SKIPPED, '-e without a path or URL skipped', file, line, 'write the project to install in editable mode: -e ./path or -e git+https://…#egg=name'));
      return undefined;
    }
    // `-e .[socks]`: extras after a local path
    const extrasAt = /\[([^\]]*)\]$/.exec(spec);
    const target = extrasAt && !/^[a-z][a-z0-9+.-]*:/i.test(spec) ? spec.slice(0, extrasAt.index) : spec;
    const extras = extrasAt && target !== spec ? extrasAt[1]!.split(',').map((e) => e.trim()).filter(Boolean).map(normalizePypiName) : [];
    const egg = /[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(spec);
    const name = egg ? egg[1]! : guessNameFromReference(target, this.root === undefined ? undefined : file);
    return this.push(file, line, 1, { name: nameOrSpec(name), version: undefined, unresolvable: { reason: 'editable', spec }, extras });
  }

  private requirementLine(text: string, file: string, line: number, col: number): Dependency | undefined {
    // Options follow a space and a `-`: without a `-`, no need to look for one.
    const optAt = text.includes('-') ? OPTIONS_START.exec(text) : null;
    let reqText = optAt ? text.slice(0, optAt.index).trim() : text;
    let hashes: string[] | undefined;
    if (optAt) {
      const options = text.slice(optAt.index);
      hashes = hashesIn(options);
      this.warnUnknownLineOptions(options, file, line);
    }
    // pip's `${NAME}`, in a name or version only: a URL requirement (`name @ url`, or a URL, VCS
    // or path alone) stays as written, as its variables often hold credentials.
    if (reqText.includes('${') && !reqText.includes('@') && !reqText.includes('://') && !looksLikeReference(reqText)) reqText = this.expandEnv(reqText, file, line);
    if (looksLikeReference(reqText)) {
      const [ref, marker] = splitReferenceMarker(reqText);
      const egg = /[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(ref);
      const name = nameOrSpec(egg ? egg[1]! : guessNameFromReference(ref, this.root === undefined ? undefined : file));
      return this.push(file, line, col, { name, version: undefined, unresolvable: classifyReference(ref), extras: [], marker, hashes });
    }
    const plain = PLAIN_PIN.exec(reqText);
    if (plain) {
      const rawName = plain[1]!;
      return this.push(file, line, col, { name: normalizePypiName(rawName), version: plain[2]!, specifier: reqText.slice(rawName.length), extras: [], hashes });
    }
    const req = parseRequirement(reqText);
    if (!req) {
      this.warnings.push(warning(LockfileCodes.SKIPPED, `${truncate(reqText)}: ${requirementProblem(reqText)}; line skipped`, file, line, 'check the line against PEP 508 (name[extras] specifier ; marker); pip refuses it too'));
      return undefined;
    }
    const version = req.url === undefined ? pinnedVersion(req.specifier) : undefined;
    const unresolvable = req.url !== undefined ? classifyReference(req.url) : undefined;
    return this.push(file, line, col, { name: req.name, version, specifier: req.specifier, unresolvable, extras: req.extras, marker: req.marker, hashes });
  }
  /**
   * pip refuses a requirement line with an option it does not know (`flask==2.0 --bogus`); psr
   * keeps the requirement and says pip would not install the line.
   */
  private warnUnknownLineOptions(options: string, file: string, line: number): void {
    const words = options.trim().split(/\s+/);
    for (let i = 0; i < words.length; i++) {
      const word = words[i]!;
      if (!word.startsWith('-')) continue;
      const eq = word.indexOf('=');
      const opt = eq === -1 ? word : word.slice(0, eq);
      if (PER_LINE_OPTIONS.has(opt) || GLOBAL_OPTIONS_WITH_VALUE.has(opt)) {
        if (eq === -1) i++; // each takes a value, which may itself start with `-`
        continue;
      }
      if (GLOBAL_FLAGS.has(opt)) continue;
      this.warnings.push(
        warning(
          LockfileCodes.SKIPPED,
          `unknown option ${truncate(opt)} after a requirement: pip refuses the line; its requirement is scanned as written`,
          file,
          line,
          'after a requirement pip takes --hash, --config-settings, --global-option and the options of a whole file (--no-binary, -i…)',
        ),
      );
    }
  }

  /**
   * Record one dependency, built in one go from what its line says (no spread of partial
   * objects: this runs per line). Keys are added in a fixed order, optional ones only when set,
   * so every dependency of a requirements file lists its fields the same way.
   */
  private push(file: string, line: number, col: number, r: LineRequirement): Dependency {
    const dep: Dependency = {
      ecosystem: 'PyPI',
      direct: true,
      path: [r.name],
      location: { file, line, col },
      group: 'main',
      purl: purlFor('PyPI', r.name, r.version),
      name: r.name,
      version: r.version,
      pinned: r.version !== undefined,
    } as Dependency;
    if (r.specifier) dep.specifier = r.specifier;
    if (r.unresolvable !== undefined) dep.unresolvable = r.unresolvable;
    dep.extras = r.extras;
    if (r.marker) {
      dep.marker = r.marker;
      const problem = markerProblem(r.marker);
      // Kept, as if the marker held: a malformed marker must not hide a vulnerable pin.
      if (problem !== undefined) this.warnings.push(warning(LockfileCodes.MARKER, `${problem}; ${r.name} is scanned as if it applied`, file, line, 'pip refuses this line; fix the marker (e.g. python_version < "3.11")'));
    }
    if (r.hashes !== undefined && r.hashes.length > 0) dep.hashes = r.hashes;
    this.deps.push(dep);
    return dep;
  }

  /** With pip-compile annotations, mark pins pulled in by others as transitive and give their path. */
  resolveVia(): void {
    if (!this.sawVia) return;
    const byName = new Map<string, Dependency>();
    for (const d of this.deps) if (!byName.has(d.name)) byName.set(d.name, d);
    for (const d of this.deps) {
      const info = this.via.get(d);
      d.direct = info === undefined || info.fromInput || info.parents.length === 0;
    }
    const memo = new Map<string, string[] | null>();
    const pathOf = (name: string, seen: Set<string>): string[] | null => {
      if (memo.has(name)) return memo.get(name)!;
      const dep = byName.get(name);
      if (!dep) return null;
      if (dep.direct) return [name];
      if (seen.has(name)) return null;
      seen.add(name);
      for (const parent of this.via.get(dep)?.parents ?? []) {
        const p = pathOf(parent, seen);
        if (p) {
          memo.set(name, [...p, name]);
          return memo.get(name)!;
        }
      }
      return null;
    };
    for (const d of this.deps) if (!d.direct) d.path = pathOf(d.name, new Set()) ?? [d.name];
  }
}

/** The package name a `# via` entry starts with. */
const VIA_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*/;

/** The values of the `--hash` options on a requirement line's option part. */
function hashesIn(options: string): string[] {
  const hashes: string[] = [];
  const re = /--hash[=\s]\s*(\S+)/g;
  for (let m = re.exec(options); m !== null; m = re.exec(options)) hashes.push(m[1]!);
  return hashes;
}

function truncate(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}


function isCodeError(err: unknown): err is { code: string } {
  return typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'string';
}

/** A URL (`scheme:`), a path (`./`, `../`, `/`, `~`) or an archive file name as the first word. */
function looksLikeReference(text: string): boolean {
  // Each test runs only when the characters it needs are there (this runs per line).
  const first = text.charCodeAt(0);
  return (
    text.includes(':') && /^[a-z][a-z0-9+.-]*:/i.test(text) && !/^[A-Za-z0-9._-]+\s*(\[|==|>=|<=|~=|!=|<|>|;|$)/.test(text)
  ) || ((first === 0x2e || first === 0x2f || first === 0x7e) && /^(\.{1,2}([\\/[]|$|\s)|\/|~)/.test(text)) || ARCHIVE_FIRST_WORD.test(text);
}

/** The first whitespace-separated word names a wheel or sdist (`pkg-1.0-py3-none-any.whl ; marker`). */
const ARCHIVE_FIRST_WORD = /^\S*?\.(whl|tar\.gz|zip|tar\.bz2|tgz)(?=[;#\s]|$)/i;

function splitReferenceMarker(text: string): [string, string | undefined] {
  const semi = /\s;/.exec(text);
  if (!semi) return [text.trim(), undefined];
  return [text.slice(0, semi.index).trim(), text.slice(semi.index + 2).trim()];
}

/** Normalise a real distribution name; keep a bare path like `.` as written (it names no package). */
function nameOrSpec(name: string): string {
  return /^[A-Za-z0-9]/.test(name) ? normalizePypiName(name) : name;
}

/**
 * Best-effort name for a URL/path install without `#egg=`: the wheel/sdist name or the last path
 * segment; for the folder of the requirements file itself (`-e .`, `-e file:.`), that folder's
 * name, as a project is usually named after its folder (`file`: the requirements file, when it
 * was read from disk).
 */
function guessNameFromReference(spec: string, file: string | undefined): string {
  const clean = spec.replace(/[#?].*$/, '').replace(/@[^/@]*$/, '').replace(/\/+$/, '');
  const path = clean.replace(/^file:(\/\/)?/i, '');
  const last = path.split(/[\\/]/).pop() ?? path;
  const wheel = /^([A-Za-z0-9_.]+?)-\d[^-]*(-.+)?\.(whl|tar\.gz|zip|tar\.bz2|tgz)$/i.exec(last);
  if (wheel) return wheel[1]!;
  const base = last.replace(/\.git$/, '').trim();
  if ((base === '.' || base === '..') && file !== undefined) return basename(resolve(dirname(file), path)) || spec.trim();
  // Nothing usable (`/`, `.` in text, a segment of blanks): the reference itself names the entry.
  return base === '' || base === '.' || base === '..' ? spec.trim() : base;
}

/**
 * Read a `requirements*.txt` file from disk, following `-r` includes (relative to the including
 * file, cycle-safe, refused outside `root`), streaming it line by line so huge files stay cheap.
 * An include that cannot be read (missing, outside `root`, remote) is an error of the result.
 *
 * @example
 * ```ts
 * const result = await parseRequirementsFile('requirements.txt');
 * result.dependencies.filter((d) => d.pinned).map((d) => `${d.name}==${d.version}`);
 * ```
 */
export async function parseRequirementsFile(path: string, options: RequirementsFileOptions = {}): Promise<ParseResult & { includes: string[] }> {
  const lexicalRoot = resolve(options.root ?? dirname(resolve(path)));
  const root = realpathSync.native(lexicalRoot);
  const read = new RequirementsRead(path, root, lexicalRoot, options.env);
  await read.readFile(path, path);
  read.resolveVia();
  return { file: path, format: 'requirements.txt', dependencies: read.deps, warnings: read.warnings, errors: read.errors, includes: read.includes };
}

/**
 * Parse requirements text already in memory. `-r` includes cannot be followed from text and are
 * listed as warnings.
 *
 * @example
 * ```ts
 * parseRequirementsText('flask==3.0.0\n', 'requirements.txt').dependencies[0]?.version; // '3.0.0'
 * ```
 */
export async function parseRequirementsText(text: string, file: string, options: Pick<RequirementsFileOptions, 'env'> = {}): Promise<ParseResult> {
  const read = new RequirementsRead(file, undefined, undefined, options.env);
  const lines = text.split('\n').map((t) => (t.endsWith('\r') ? t.slice(0, -1) : t));
  await read.consume([{ firstLine: 1, lines }], file, false);
  read.resolveVia();
  return { file, format: 'requirements.txt', dependencies: read.deps, warnings: read.warnings, errors: [] };
}
