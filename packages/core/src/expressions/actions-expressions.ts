/**
 * GitHub's `@actions/expressions`, loaded on first use rather than when `@psr/core` is imported:
 * plugins import `@psr/core` for `definePlugin` and must not pay for the expression evaluator.
 * The loader and the engine preload it (`await preloadActionsExpressions()`); a direct call of a
 * synchronous expression function before that loads it with `require` (Node >= 20.19 can require
 * an ES module).
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type * as ActionsExpressions from '@actions/expressions';

let loaded: typeof ActionsExpressions | undefined;

/** Load `@actions/expressions` (once); later {@link actionsExpressions} calls are free. */
export async function preloadActionsExpressions(): Promise<void> {
  loaded ??= await import('@actions/expressions');
}

/** The `@actions/expressions` module, loading it now if nothing preloaded it. */
export function actionsExpressions(): typeof ActionsExpressions {
  if (loaded) return loaded;
  // The package exports only an `import` entry: resolve it as ESM, then require the file.
  const file = fileURLToPath(import.meta.resolve('@actions/expressions'));
  loaded = createRequire(import.meta.url)(file) as typeof ActionsExpressions;
  return loaded;
}
