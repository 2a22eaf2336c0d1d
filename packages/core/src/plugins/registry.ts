/**
 * The set of task types a workflow may `uses:`. Plugins are registered eagerly (an imported
 * plugin object) or lazily (a name, its task names and a loader), so that built-ins cost
 * nothing until a workflow uses one of their task types.
 */
import { ErrorCodes, PsrError } from '../errors.js';
import { PLUGIN_API_VERSION, type Plugin, type TaskType } from '../plugin.js';

/** A plugin known by name and task names, imported only when one of its tasks is used. */
export interface LazyPlugin {
  name: string;
  /** Task type names it provides, known without importing it. */
  taskNames: readonly string[];
  /** Where it comes from (package name or absolute path), recorded for executors. */
  source: string;
  load(): Promise<Plugin>;
}

/** A task type resolved from a `uses:` value. */
export interface ResolvedTaskType {
  plugin: Plugin;
  /** Package name or absolute path the plugin came from (`psr:shell` for built-ins). */
  source: string;
  /** The task type's name within its plugin. */
  name: string;
  taskType: TaskType;
}

interface Entry {
  name: string;
  source: string;
  taskNames: readonly string[];
  plugin?: Plugin;
  load?: () => Promise<Plugin>;
}

/**
 * Holds plugins and resolves `uses:` values. `uses: scan` finds the one plugin providing
 * `scan`; when two plugins provide the same name, `uses: <plugin>/<task>` picks one.
 *
 * @example
 * ```ts
 * const registry = new PluginRegistry();
 * registry.register(shellPlugin, 'psr:shell');
 * registry.registerLazy({ name: 'psr:scan', taskNames: ['scan'], source: '@psr/plugin-scan',
 *   load: async () => (await import('@psr/plugin-scan')).default });
 * await registry.load(['scan']);
 * registry.resolve('scan')?.taskType.description;
 * ```
 */
export class PluginRegistry {
  readonly #entries: Entry[] = [];

  /** Register a loaded plugin. Throws `PSR_PLUGIN_INVALID` when it is malformed or its name is taken. */
  register(plugin: unknown, source: string): Plugin {
    const valid = validatePlugin(plugin, source);
    this.#assertNewName(valid.name, source);
    this.#entries.push({ name: valid.name, source, taskNames: Object.keys(valid.tasks), plugin: valid });
    return valid;
  }

  /** Register a plugin to import on first use. */
  registerLazy(lazy: LazyPlugin): void {
    this.#assertNewName(lazy.name, lazy.source);
    this.#entries.push({ name: lazy.name, source: lazy.source, taskNames: lazy.taskNames, load: lazy.load });
  }

  /** Every `uses:` value that resolves, for "did you mean" hints and help. */
  taskTypeNames(): string[] {
    const names = new Set<string>();
    for (const e of this.#entries) for (const t of e.taskNames) names.add(t);
    return [...names].sort();
  }

  /** True when `uses` names a task type (loaded or not). */
  has(uses: string): boolean {
    return this.#find(uses).length === 1;
  }

  /** Plugins providing `uses`, for ambiguity messages. */
  providers(uses: string): string[] {
    return this.#find(uses).map((e) => e.name);
  }

  /** Import the lazy plugins that provide these `uses:` values. */
  async load(uses: Iterable<string>): Promise<void> {
    for (const u of uses) {
      for (const entry of this.#find(u)) {
        if (entry.plugin || !entry.load) continue;
        let loaded: unknown;
        try {
          loaded = await entry.load();
        } catch (cause) {
          throw new PsrError(ErrorCodes.UNKNOWN_PLUGIN, `cannot load plugin ${entry.name} from ${entry.source}: ${(cause as Error)?.message ?? cause}`, {
            hint: 'check that the package is installed (pnpm install) and built',
            cause,
          });
        }
        entry.plugin = validatePlugin(loaded, entry.source);
      }
    }
  }

  /** Resolve a `uses:` value to a loaded task type, or undefined (unknown, ambiguous or not loaded). */
  resolve(uses: string): ResolvedTaskType | undefined {
    const found = this.#find(uses);
    if (found.length !== 1) return undefined;
    const entry = found[0]!;
    const name = uses.includes('/') ? uses.slice(uses.lastIndexOf('/') + 1) : uses;
    const taskType = entry.plugin?.tasks[name];
    if (!entry.plugin || !taskType) return undefined;
    return { plugin: entry.plugin, source: entry.source, name, taskType };
  }

  #find(uses: string): Entry[] {
    const slash = uses.lastIndexOf('/');
    if (slash > 0) {
      const pluginName = uses.slice(0, slash);
      const task = uses.slice(slash + 1);
      return this.#entries.filter((e) => e.name === pluginName && e.taskNames.includes(task));
    }
    return this.#entries.filter((e) => e.taskNames.includes(uses));
  }

  #assertNewName(name: string, source: string): void {
    if (this.#entries.some((e) => e.name === name)) {
      throw new PsrError(ErrorCodes.PLUGIN_INVALID, `plugin name "${name}" (from ${source}) is already registered`, {
        hint: 'each plugin needs a unique name; remove the duplicate entry from plugins:',
      });
    }
  }
}

/** Check that `value` is a plugin object of this API version; explain what was expected if not. */
export function validatePlugin(value: unknown, source: string): Plugin {
  const fail = (why: string): never => {
    throw new PsrError(ErrorCodes.PLUGIN_INVALID, `${source} is not a psr plugin: ${why}`, {
      hint: 'a plugin module default-exports definePlugin({ name, apiVersion: 1, tasks: { ... } }) from @psr/core',
    });
  };
  if (typeof value !== 'object' || value === null) return fail(`expected an object, got ${value === null ? 'null' : typeof value}`);
  const p = value as Partial<Plugin>;
  if (typeof p.name !== 'string' || p.name.length === 0) return fail('missing "name"');
  if (p.apiVersion !== PLUGIN_API_VERSION) {
    return fail(`apiVersion is ${JSON.stringify(p.apiVersion)}, this psr speaks apiVersion ${PLUGIN_API_VERSION}`);
  }
  if (typeof p.tasks !== 'object' || p.tasks === null) return fail('missing "tasks"');
  for (const [name, t] of Object.entries(p.tasks)) {
    if (typeof t?.run !== 'function') return fail(`task "${name}" has no run() function`);
    if (typeof t.input?.safeParse !== 'function') return fail(`task "${name}" has no zod "input" schema`);
    if (t.failureKinds !== undefined && !(Array.isArray(t.failureKinds) && t.failureKinds.every((k) => typeof k === 'string')))
      return fail(`task "${name}": "failureKinds" must be a list of strings`);
  }
  return p as Plugin;
}
