#!/usr/bin/env node
// Runs the whole test suite in one `node --test` invocation, so the TAP summary
// (`# pass N` / `# fail N`) at the end covers everything. Node 20 does not expand
// globs for --test, so the files are listed here.
//   node tools/run-tests.mjs            all tests (unit + integration)
//   node tools/run-tests.mjs --unit     only packages/*/src/**/*.test.ts
//   node tools/run-tests.mjs <filter>   only files whose path contains <filter>
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const unitOnly = args.includes('--unit');
const filters = args.filter((a) => !a.startsWith('--'));

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.test.ts')) out.push(relative(root, p));
  }
  return out;
}

const files = [];
for (const pkg of readdirSync(join(root, 'packages'))) {
  const base = join(root, 'packages', pkg);
  for (const sub of unitOnly ? ['src'] : ['src', 'test']) {
    try { walk(join(base, sub), files); } catch { /* no such folder */ }
  }
}
try { if (!unitOnly) walk(join(root, 'tools'), files); } catch { /* none */ }
const selected = files.sort().filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));
if (selected.length === 0) {
  process.stderr.write('run-tests: no test files matched\n');
  process.exit(1);
}
const concurrency = process.env.TEST_CONCURRENCY ?? '2';
const result = spawnSync(process.execPath, [
  '--conditions=source', '--import', 'tsx', '--test',
  `--test-concurrency=${concurrency}`, '--test-timeout=300000',
  ...selected,
], { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
