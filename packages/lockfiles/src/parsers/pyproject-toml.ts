import type { Diagnostic } from '@psr/core/errors';
import { LockfileCodes, warning } from '../errors.js';
import { pythonGroup } from '../lock-graph.js';
import { markerProblem } from '../marker-syntax.js';
import type { Dependency, DependencyGroup, ParseResult, Unresolvable } from '../model.js';
import { classifyReference, parseRequirement, pinnedVersion, requirementProblem } from '../pep508.js';
import { purlFor } from '../purl.js';
import { normalizePypiName } from '../pypi-name.js';
import { parseTomlText, TomlLocator } from '../toml-source.js';

type Table = Record<string, unknown>;

function isTable(v: unknown): v is Table {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

class PyprojectReader {
  readonly deps: Dependency[] = [];
  readonly warnings: Diagnostic[] = [];
  private readonly loc: TomlLocator;
  private readonly selfName: string | undefined;

  constructor(
    text: string,
    private readonly doc: Table,
    private readonly file: string,
  ) {
    this.loc = new TomlLocator(text);
    const project = doc['project'];
    const poetry = this.poetry();
    const name = (isTable(project) && typeof project['name'] === 'string' ? project['name'] : undefined) ?? (typeof poetry?.['name'] === 'string' ? poetry['name'] : undefined);
    this.selfName = name === undefined ? undefined : normalizePypiName(name);
  }

  private poetry(): Table | undefined {
    const tool = this.doc['tool'];
    const poetry = isTable(tool) ? tool['poetry'] : undefined;
    return isTable(poetry) ? poetry : undefined;
  }

  read(): void {
    const project = this.doc['project'];
    if (isTable(project)) {
      const at = Math.max(this.loc.tableOffset(['project']), 0);
      this.pep508List(project['dependencies'], 'main', at, 'project.dependencies');
      const optional = project['optional-dependencies'];
      if (isTable(optional)) {
        const optAt = this.loc.tableOffset(['project', 'optional-dependencies']);
        for (const [extra, list] of Object.entries(optional)) {
          this.pep508List(list, `optional:${normalizePypiName(extra)}`, optAt === -1 ? at : optAt, `project.optional-dependencies.${extra}`);
        }
      }
    }
    const groups = this.doc['dependency-groups'];
    if (isTable(groups)) {
      const at = Math.max(this.loc.tableOffset(['dependency-groups']), 0);
      for (const [group, list] of Object.entries(groups)) {
        const items = Array.isArray(list) ? list.filter((x) => typeof x === 'string') : list;
        this.pep508List(items, pythonGroup(normalizePypiName(group)), at, `dependency-groups.${group}`);
      }
    }
    const tool = this.doc['tool'];
    if (isTable(tool)) {
      const pdm = tool['pdm'];
      if (isTable(pdm) && isTable(pdm['dev-dependencies'])) {
        const at = Math.max(this.loc.tableOffset(['tool', 'pdm', 'dev-dependencies']), 0);
        for (const [group, list] of Object.entries(pdm['dev-dependencies'])) this.pep508List(list, pythonGroup(group), at, `tool.pdm.dev-dependencies.${group}`);
      }
      const uv = tool['uv'];
      if (isTable(uv) && Array.isArray(uv['dev-dependencies'])) {
        this.pep508List(uv['dev-dependencies'], 'dev', Math.max(this.loc.tableOffset(['tool', 'uv']), 0), 'tool.uv.dev-dependencies');
      }
    }
    const poetry = this.poetry();
    if (poetry) {
      const extrasOf = new Map<string, string>();
      if (isTable(poetry['extras'])) {
        for (const [extra, names] of Object.entries(poetry['extras'])) {
          if (Array.isArray(names)) for (const n of names) if (typeof n === 'string') extrasOf.set(normalizePypiName(n), normalizePypiName(extra));
        }
      }
      this.poetryTable(poetry['dependencies'], 'main', ['tool', 'poetry', 'dependencies'], extrasOf);
      this.poetryTable(poetry['dev-dependencies'], 'dev', ['tool', 'poetry', 'dev-dependencies'], extrasOf);
      if (isTable(poetry['group'])) {
        for (const [group, body] of Object.entries(poetry['group'])) {
          if (isTable(body)) this.poetryTable(body['dependencies'], pythonGroup(group), ['tool', 'poetry', 'group', group, 'dependencies'], extrasOf);
        }
      }
    }
  }

  private pep508List(list: unknown, group: DependencyGroup, from: number, where: string): void {
    if (list === undefined) return;
    if (!Array.isArray(list)) {
      this.warnings.push(warning(LockfileCodes.SKIPPED, `${where} is not a list; skipped`, this.file, this.loc.lineAt(from)));
      return;
    }
    let cursor = from;
    for (const item of list) {
      if (typeof item !== 'string') continue;
      const at = this.loc.stringOffset(item, cursor);
      if (at !== -1) cursor = at + 1;
      const line = this.loc.lineAt(at === -1 ? from : at);
      const col = at === -1 ? 1 : this.loc.colAt(at);
      const req = parseRequirement(item);
      if (!req) {
        this.warnings.push(warning(LockfileCodes.SKIPPED, `requirement ${JSON.stringify(item.length > 80 ? `${item.slice(0, 77)}...` : item)} skipped: ${requirementProblem(item)}`, this.file, line, 'write it as PEP 508 says: name[extras] specifier ; marker'));
        continue;
      }
      if (req.name === this.selfName) continue; // `myproject[extra]` refers to the project itself
      const markerIssue = req.marker ? markerProblem(req.marker) : undefined;
      // Kept, as if the marker held (as in requirements files): a malformed marker must not hide a pin.
      if (markerIssue !== undefined) this.warnings.push(warning(LockfileCodes.MARKER, `${markerIssue}; ${req.name} is scanned as if it applied`, this.file, line, 'fix the marker (e.g. python_version < "3.11")'));
      const version = req.url === undefined ? pinnedVersion(req.specifier) : undefined;
      this.push({
        name: req.name,
        version,
        pinned: version !== undefined,
        ...(req.specifier ? { specifier: req.specifier } : {}),
        ...(req.url !== undefined ? { unresolvable: classifyReference(req.url) } : {}),
        extras: req.extras,
        ...(req.marker ? { marker: req.marker } : {}),
        group,
        location: { file: this.file, line, col },
      });
    }
  }

  private poetryTable(table: unknown, group: DependencyGroup, path: string[], extrasOf: Map<string, string>): void {
    if (!isTable(table)) return;
    const at = this.loc.tableOffset(path);
    for (const [rawName, value] of Object.entries(table)) {
      if (rawName.toLowerCase() === 'python') continue;
      const name = normalizePypiName(rawName);
      const keyAt = at === -1 ? -1 : this.loc.keyOffset(rawName, at);
      const line = keyAt !== -1 ? this.loc.lineAt(keyAt) : at !== -1 ? this.loc.lineAt(at) : 1;
      // Several constraints for different markers: `foo = [{version=…, markers=…}, …]` → one entry each.
      const variants = Array.isArray(value) ? value : [value];
      for (const v of variants) {
        const spec = typeof v === 'string' ? v : isTable(v) && typeof v['version'] === 'string' ? v['version'] : undefined;
        const version = spec === undefined ? undefined : poetryPin(spec);
        let unresolvable: Unresolvable | undefined;
        if (isTable(v)) {
          if (typeof v['git'] === 'string') unresolvable = { reason: 'vcs', spec: `git+${v['git']}${typeof v['rev'] === 'string' ? `@${v['rev']}` : typeof v['tag'] === 'string' ? `@${v['tag']}` : typeof v['branch'] === 'string' ? `@${v['branch']}` : ''}` };
          else if (typeof v['path'] === 'string') unresolvable = { reason: v['develop'] === true ? 'editable' : 'path', spec: v['path'] };
          else if (typeof v['url'] === 'string') unresolvable = { reason: 'url', spec: v['url'] };
        }
        const extras = isTable(v) && Array.isArray(v['extras']) ? v['extras'].filter((e): e is string => typeof e === 'string').map(normalizePypiName) : [];
        const marker = isTable(v) && typeof v['markers'] === 'string' ? v['markers'] : undefined;
        const optional = isTable(v) && v['optional'] === true;
        this.push({
          name,
          version: unresolvable ? undefined : version,
          pinned: !unresolvable && version !== undefined,
          ...(spec !== undefined ? { specifier: spec } : {}),
          ...(unresolvable ? { unresolvable } : {}),
          extras,
          ...(marker ? { marker } : {}),
          group: optional && group === 'main' ? (extrasOf.has(name) ? `optional:${extrasOf.get(name)!}` : 'optional') : group,
          location: { file: this.file, line, col: 1 },
        });
      }
    }
  }

  private push(d: Omit<Dependency, 'ecosystem' | 'direct' | 'path' | 'purl'>): void {
    this.deps.push({ ecosystem: 'PyPI', direct: true, path: [d.name], purl: purlFor('PyPI', d.name, d.version), ...d });
  }
}

/** Poetry reads a bare `1.2.3` as `==1.2.3`; `^`, `~`, `*`, ranges and wildcards are not pins. */
function poetryPin(spec: string): string | undefined {
  const s = spec.trim();
  const m = /^(?:==\s*)?(\d[A-Za-z0-9.!+-]*)$/.exec(s);
  if (m) return m[1];
  return pinnedVersion(s);
}

/**
 * Read a `pyproject.toml`: PEP 621 `project.dependencies` and `optional-dependencies`, PEP 735
 * `dependency-groups`, Poetry `tool.poetry.*dependencies`, PDM and uv dev dependencies. Only exact
 * pins count as pinned; ranges are listed unpinned, never guessed.
 *
 * @example
 * ```ts
 * parsePyprojectToml('[project]\nname = "app"\ndependencies = ["flask==3.0.0"]\n', 'pyproject.toml').dependencies[0]?.version; // '3.0.0'
 * ```
 */
export function parsePyprojectToml(text: string, file: string): ParseResult {
  const reader = new PyprojectReader(text, parseTomlText(text, file), file);
  reader.read();
  return { file, format: 'pyproject.toml', dependencies: reader.deps, warnings: reader.warnings, errors: [] };
}
