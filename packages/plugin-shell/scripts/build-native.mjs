// Build dist/posix-spawn.node, the native process starter (native/posix-spawn.c), without
// node-gyp: one `cc` call against the headers of the Node that runs this script. N-API and
// libuv symbols resolve from the node binary when the addon loads.
//
// Optional by design: where it cannot be built (not Linux, no C compiler, no Node headers) this
// prints one line and exits 0, and the plugin starts processes with child_process instead.
//
//   node scripts/build-native.mjs        (run by `pnpm build` after tsup)
//   CC=clang node scripts/build-native.mjs
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));
const source = join(packageDir, 'native', 'posix-spawn.c');
const output = join(packageDir, 'dist', 'posix-spawn.node');
const skip = (why) => {
  console.log(`posix-spawn.node not built (${why}); run: tasks will start with child_process`);
  process.exit(0);
};

if (process.platform !== 'linux') skip(`${process.platform} is not Linux`);
const includeDir = join(dirname(dirname(process.execPath)), 'include', 'node');
if (!existsSync(join(includeDir, 'node_api.h'))) skip(`no Node headers in ${includeDir}`);
const cc = process.env.CC || 'cc';
mkdirSync(dirname(output), { recursive: true });
// A failed compile must not leave an addon built from older sources behind.
rmSync(output, { force: true });
const result = spawnSync(cc, ['-O2', '-Wall', '-shared', '-fPIC', `-I${includeDir}`, '-o', output, source], {
  stdio: ['ignore', 'inherit', 'pipe'],
  encoding: 'utf8',
});
if (result.error) skip(`${cc}: ${result.error.code === 'ENOENT' ? 'no C compiler' : result.error.message}`);
if (result.status !== 0) {
  process.stderr.write(result.stderr);
  skip(`${cc} failed`);
}
if (result.stderr) process.stderr.write(result.stderr);
