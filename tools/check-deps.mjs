#!/usr/bin/env node
// Enforces the dependency arrows of DESIGN.md section 1. Every import of a
// `@tsflink/*` package, and every third-party package that must stay out of a
// package, is checked in each package's sources (tests excepted where noted).
// Also checks that package.json dependencies follow the same arrows.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Which @tsflink packages each package may import (non-test sources). */
export const ALLOWED = {
  core: [],
  fs: ['core'],
  api: ['core'],
  connectors: ['core', 'api'],
  proto: [],
  runtime: ['core', 'fs', 'api'],
  client: ['core', 'api', 'proto'],
  jobmanager: ['core', 'fs', 'api', 'runtime', 'proto'],
  taskmanager: ['core', 'fs', 'api', 'runtime', 'proto', 'connectors'],
  cli: ['core', 'api', 'proto', 'client', 'connectors'],
  examples: ['api', 'connectors'],
  testing: ['core', 'fs', 'proto', 'client'],
};
/** Third-party modules a package must never import (the API stays free of I/O and networking). */
const FORBIDDEN_EXTERNAL = {
  api: [/^@grpc\//, /^node:(net|http|http2|fs|child_process|dgram|tls)$/, /^@aws-sdk\//, /^webhdfs$/],
  core: [/^@grpc\//, /^@aws-sdk\//, /^webhdfs$/],
  cli: [/^@tsflink\/(jobmanager|taskmanager|runtime)$/],
};
/** Heavy SDKs may be imported only lazily (dynamic import) and only from these files' folder. */
const LAZY_ONLY = [/^@aws-sdk\//, /^webhdfs$/];

const importRe = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g;
const dynamicRe = /import\(\s*['"]([^'"]+)['"]\s*\)/g;

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name === 'generated') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.(ts|mts|js|mjs)$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const problems = [];
for (const pkg of readdirSync(join(root, 'packages'))) {
  const allowed = ALLOWED[pkg];
  if (!allowed) { problems.push(`packages/${pkg}: not in the dependency map of tools/check-deps.mjs`); continue; }
  const pj = JSON.parse(readFileSync(join(root, 'packages', pkg, 'package.json'), 'utf8'));
  for (const dep of Object.keys(pj.dependencies ?? {})) {
    const m = /^@tsflink\/(.+)$/.exec(dep);
    if (m && !allowed.includes(m[1])) problems.push(`packages/${pkg}/package.json depends on ${dep}, against the arrows`);
  }
  let files = [];
  try { files = walk(join(root, 'packages', pkg, 'src'), []); } catch { /* empty */ }
  for (const file of files) {
    const isTest = /\.test\.ts$/.test(file);
    const text = readFileSync(file, 'utf8');
    const rel = relative(root, file);
    const staticImports = [...text.matchAll(importRe)].map((m) => m[1] ?? m[2]);
    const dynamicImports = [...text.matchAll(dynamicRe)].map((m) => m[1]);
    for (const spec of [...staticImports, ...dynamicImports]) {
      const m = /^@tsflink\/([^/]+)(\/.*)?$/.exec(spec);
      if (m) {
        if (m[2]) problems.push(`${rel}: deep import '${spec}' (import the package, not its files)`);
        const target = m[1];
        if (target === pkg) problems.push(`${rel}: imports its own package '${spec}'`);
        else if (target === 'testing' && !isTest) problems.push(`${rel}: imports @tsflink/testing outside a test`);
        else if (target !== 'testing' && !allowed.includes(target) && !isTest) problems.push(`${rel}: imports ${spec}, against the arrows`);
        continue;
      }
      for (const re of FORBIDDEN_EXTERNAL[pkg] ?? []) if (re.test(spec)) problems.push(`${rel}: must not import '${spec}'`);
    }
    for (const spec of staticImports) {
      if (LAZY_ONLY.some((re) => re.test(spec)) && !/import\s+type\s/.test(text.split(spec)[0].split('\n').pop() ?? '')) {
        problems.push(`${rel}: '${spec}' must be loaded lazily with import(), only when its scheme is used`);
      }
    }
  }
}
if (problems.length) {
  process.stderr.write(`Dependency check failed:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
  process.exit(1);
}
process.stdout.write('Dependency check passed.\n');
