// Deterministic ~200 MB mixed source tree for the secret-scan benchmark.
// Same seed → same bytes; the tree is reused when its marker matches.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const VERSION = 'v2';

function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const HEX = '0123456789abcdef';
const WORDS = 'user account order item price total config request response handler client server value result error token session cache query update delete create fetch parse render build deploy logger metrics retry timeout status message payload header body stream buffer index count offset limit page filter sort key name path url host port password secret auth credential service worker queue job task event listener callback promise async await module export import default'.split(' ');

/** Write the tree under `root`; returns its total size in bytes and the number of planted secrets. */
export function generateTree(root, targetBytes = 200 * 1024 * 1024) {
  const marker = join(root, '.bench-tree');
  if (existsSync(marker) && readFileSync(marker, 'utf8').startsWith(`${VERSION} ${targetBytes}`)) {
    const [, , bytes, planted] = readFileSync(marker, 'utf8').trim().split(' ');
    return { bytes: Number(bytes), planted: Number(planted), reused: true };
  }
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  const r = prng(20240601);
  const pick = (arr) => arr[Math.floor(r() * arr.length)];
  const str = (alphabet, n) => {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(r() * alphabet.length)];
    return s;
  };
  const ident = () => pick(WORDS) + pick(WORDS).replace(/^./, (c) => c.toUpperCase());
  let planted = 0;
  const secret = () => {
    planted++;
    switch (Math.floor(r() * 6)) {
      case 0: return 'ghp' + '_' + str(ALNUM, 36);
      case 1: return 'AKIA' + str('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16);
      case 2: return 'sk_live' + '_' + str(ALNUM, 32);
      case 3: return 'xoxb-' + str('0123456789', 12) + '-' + str('0123456789', 13) + '-' + str(ALNUM, 24);
      case 4: return 'glpat-' + str(ALNUM, 20);
      default: return 'SG.' + str(ALNUM, 22) + '.' + str(ALNUM, 43);
    }
  };
  const codeLine = () => {
    const x = r();
    if (x < 0.25) return `  const ${ident()} = await ${ident()}(${ident()}, { ${pick(WORDS)}: ${Math.floor(r() * 1000)} });`;
    if (x < 0.4) return `  // ${pick(WORDS)} the ${pick(WORDS)} before we ${pick(WORDS)} the ${pick(WORDS)} ${pick(WORDS)}`;
    if (x < 0.5) return `  if (${ident()}.${pick(WORDS)} === '${pick(WORDS)}') return ${ident()};`;
    if (x < 0.55) return `  const url = 'https://${pick(WORDS)}.example.org/api/v1/${pick(WORDS)}?${pick(WORDS)}=${Math.floor(r() * 1e6)}';`;
    if (x < 0.6) return `  const ${pick(['token', 'password', 'apiKey', 'secret'])} = process.env.${pick(WORDS).toUpperCase()}_${pick(['TOKEN', 'PASSWORD', 'KEY'])};`;
    if (x < 0.63) return `  logger.info(\`${pick(WORDS)} ${pick(WORDS)} \${${ident()}.id} took \${ms} ms\`);`;
    if (x < 0.65) return `  const digest = '${str(HEX, 64)}';`;
    return `  ${ident()}.${pick(WORDS)}(${ident()}, ${ident()});`;
  };
  const files = [];
  let bytes = 0;
  const add = (rel, content) => {
    const full = join(root, rel);
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, content);
    bytes += Buffer.byteLength(content);
    files.push(rel);
  };
  add('.gitignore', 'node_modules/\ndist/\n*.log\n');
  let n = 0;
  while (bytes < targetBytes) {
    n++;
    const dir = `pkg${n % 40}/src/${pick(WORDS)}`;
    const kind = r();
    if (kind < 0.55) {
      const lines = [`import { ${ident()} } from './${pick(WORDS)}.js';`, '', `export async function ${ident()}() {`];
      const count = 200 + Math.floor(r() * 600);
      for (let i = 0; i < count; i++) lines.push(codeLine());
      if (r() < 0.05) lines.push(`  const fallback = '${secret()}';`);
      lines.push('}', '');
      add(`${dir}/${ident()}${n}.${pick(['ts', 'js', 'py', 'go'])}`, lines.join('\n'));
    } else if (kind < 0.7) {
      const lines = ['server:', `  host: ${pick(WORDS)}.internal`, `  port: ${8000 + Math.floor(r() * 1000)}`, 'database:', '  password: ${DB_PASSWORD}'];
      for (let i = 0; i < 150; i++) lines.push(`${pick(WORDS)}_${pick(WORDS)}: "${pick(WORDS)}-${Math.floor(r() * 1e5)}"`);
      if (r() < 0.05) lines.push(`api_token: ${secret()}`);
      add(`${dir}/${pick(['config', 'settings', 'values'])}${n}.${pick(['yaml', 'yml', 'json', 'properties', 'tf'])}`, lines.join('\n') + '\n');
    } else if (kind < 0.82) {
      const lines = [`# ${ident()}`, ''];
      for (let i = 0; i < 400; i++) lines.push(`The ${pick(WORDS)} ${pick(WORDS)} lets you ${pick(WORDS)} a ${pick(WORDS)} with a ${pick(WORDS)} token or password; see https://docs.example.org/${pick(WORDS)}.`);
      add(`docs/${pick(WORDS)}/${ident()}${n}.md`, lines.join('\n') + '\n');
    } else if (kind < 0.88) {
      const pk = {};
      for (let i = 0; i < 800; i++) pk[`node_modules/${pick(WORDS)}-${i}`] = { version: `${Math.floor(r() * 9)}.${Math.floor(r() * 20)}.0`, resolved: `https://registry.npmjs.org/${pick(WORDS)}/-/${pick(WORDS)}-1.0.0.tgz`, integrity: `sha512-${str(ALNUM + '+/', 86)}==` };
      add(`${dir}/package-lock${n}.json`, JSON.stringify({ lockfileVersion: 3, packages: pk }, null, 2));
    } else if (kind < 0.93) {
      let line = '';
      const target = 300_000 + Math.floor(r() * 300_000);
      while (line.length < target) line += `function ${ident()}(a,b){return a.${pick(WORDS)}(b)||"${pick(WORDS)}"};var ${pick(WORDS)}=${Math.floor(r() * 1e6)};`;
      add(`dist${n % 10}/bundle${n}.min.js`, line + '\n');
    } else {
      const b = Buffer.alloc(20_000 + Math.floor(r() * 60_000));
      for (let i = 0; i < b.length; i++) b[i] = Math.floor(r() * 256);
      b[10] = 0;
      const full = join(root, `assets/${pick(WORDS)}${n}.bin`);
      mkdirSync(join(full, '..'), { recursive: true });
      writeFileSync(full, b);
      bytes += b.length;
    }
    if (n % 200 === 0) add(`services/svc${n}/.env`, `PORT=8080\nGITHUB_TOKEN=${secret()}\nDB_PASSWORD=\${DB_PASSWORD}\n`);
  }
  writeFileSync(marker, `${VERSION} ${targetBytes} ${bytes} ${planted}\n`);
  return { bytes, planted, reused: false };
}
