/**
 * GitHub's `@actions/expressions`, loaded on first use rather than when `@psr/core` is imported:
 * plugins import `@psr/core` for `definePlugin` and must not pay for the expression evaluator.
 *
 * The built package carries it as one CommonJS file (`dist/actions-expressions.cjs`, see
 * tsup.config.ts), so even a synchronous first call (`evaluateExpression` before any workflow was
 * loaded) can `require` it on every Node 20. Run from source (the tests), that file does not exist
 * and the package's own ES module is imported instead.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type * as ActionsExpressions from '@actions/expressions';

let loaded: typeof ActionsExpressions | undefined;
const require = createRequire(import.meta.url);

/** The bundled CommonJS copy, or `undefined` when running from source. */
function requireBundled(): typeof ActionsExpressions | undefined {
  try {
    // From dist/, the chunk holding this code sits beside the bundled file.
    return require('./actions-expressions.cjs') as typeof ActionsExpressions;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return undefined;
    throw error;
  }
}

/** Load `@actions/expressions` (once); later {@link actionsExpressions} calls are free. */
export async function preloadActionsExpressions(): Promise<void> {
  loaded ??= requireBundled() ?? (await import('@actions/expressions'));
}

/** The `@actions/expressions` module, loading it now if nothing preloaded it. */
export function actionsExpressions(): typeof ActionsExpressions {
  loaded ??= requireBundled() ?? requireFromSource();
  return loaded;
}

/**
 * From source only: the package exports only an `import` entry, so resolve it as ESM and require
 * the file (`require` of an ES module needs Node 20.19+; the tests run on such a Node).
 */
function requireFromSource(): typeof ActionsExpressions {
  return require(fileURLToPath(import.meta.resolve('@actions/expressions'))) as typeof ActionsExpressions;
}
