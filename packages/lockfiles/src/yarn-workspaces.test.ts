import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { berryWorkspaceFolders, expandWorkspacePatterns, workspacePatterns } from './yarn-workspaces.js';

describe('yarn workspace folders', () => {
  it('expands the usual patterns inside the project only, `!` excluding, node_modules and dot folders skipped', () => {
    const root = mkdtempSync(join(tmpdir(), 'psr-yarn-ws-'));
    onTestFinished(() => rmSync(root, { recursive: true, force: true }));
    for (const d of ['packages/api', 'packages/web', 'packages/legacy', 'apps/shop/admin', 'apps/node_modules/x', 'apps/.cache', 'tools/cli']) mkdirSync(join(root, d), { recursive: true });
    expect(expandWorkspacePatterns(root, ['packages/*', '!packages/legacy', 'apps/**', './tools/cli/', '../elsewhere', '/etc', 'packages/../..'])).toEqual([
      'apps',
      'apps/shop',
      'apps/shop/admin',
      'packages/api',
      'packages/web',
      'tools/cli',
    ]);
  });

  it('reads `workspaces` as a list or `{ packages }`, and the members a berry lock names', () => {
    expect(workspacePatterns('{"workspaces": ["a/*", 3]}')).toEqual(['a/*']);
    expect(workspacePatterns('{"workspaces": {"packages": ["b/*"], "nohoist": ["**/x"]}}')).toEqual(['b/*']);
    expect(workspacePatterns('{ not json')).toEqual([]);
    const lock = '"app@workspace:.":\n  resolution: "app@workspace:."\n\n"lib@workspace:^, lib@workspace:libs/lib":\n  resolution: "lib@workspace:libs/lib"\r\n  dependencies:\n    x: "workspace:^"\n';
    expect(berryWorkspaceFolders(lock)).toEqual(['libs/lib']);
  });
});
