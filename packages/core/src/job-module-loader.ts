import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Loads a job bundle (an ES module whose `@tsflink/*` imports were left
 * external) so that those imports resolve to the host's own copies: the bundle
 * is written into a private directory whose `node_modules/@tsflink/<name>` are
 * symlinks to the host's packages. Node resolves the symlinks to their real
 * paths, so the job and the host share one instance of `@tsflink/api` (and its
 * plan-mode context).
 */
export interface JobModuleLoaderOptions {
  /** Package name → its root directory (use `packageRootOf(import.meta.resolve(name))`). */
  packages: Record<string, string>;
  /** Where bundles are written (default: `<tmpdir>/tsflink-jobs`). */
  baseDir?: string;
}

/** The job module: its default export is `main(args)`. */
export interface JobModule {
  main: (args: string[]) => unknown;
  /** The file the bundle was written to. */
  file: string;
}

/** Writes `bundle` (keyed by its content hash) and imports it. */
export async function loadJobModule(bundle: string | Buffer, name: string, options: JobModuleLoaderOptions): Promise<JobModule> {
  const code = typeof bundle === 'string' ? bundle : bundle.toString('utf8');
  // The directory is keyed by the code and by where the packages resolve, so two
  // installations on one machine never share symlinks (and module instances).
  const hash = createHash('sha256').update(code).update(JSON.stringify(options.packages)).digest('hex').slice(0, 16);
  const dir = join(options.baseDir ?? join(tmpdir(), 'tsflink-jobs'), `${safeName(name)}-${hash}`);
  const file = join(dir, 'job.mjs');
  if (!existsSync(file)) {
    await mkdir(join(dir, 'node_modules', '@tsflink'), { recursive: true });
    for (const [pkg, root] of Object.entries(options.packages)) {
      const link = join(dir, 'node_modules', ...pkg.split('/'));
      await mkdir(dirname(link), { recursive: true });
      await rm(link, { force: true, recursive: false }).catch(() => {});
      await symlink(root, link, 'dir').catch((e: NodeJS.ErrnoException) => { if (e.code !== 'EEXIST') throw e; });
    }
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, code);
    await rename(tmp, file);
  }
  const mod = (await import(pathToFileURL(file).href)) as { default?: unknown; main?: unknown };
  const main = typeof mod.default === 'function' ? mod.default : typeof mod.main === 'function' ? mod.main : undefined;
  if (!main) throw new Error(`The job ${name} has no default export main(args): export default async function main(args) { ... }.`);
  return { main: main as JobModule['main'], file };
}

/** The root directory (holding package.json) of the package a resolved module URL belongs to. */
export function packageRootOf(resolvedUrl: string): string {
  let dir = dirname(fileURLToPath(resolvedUrl));
  for (;;) {
    const pj = join(dir, 'package.json');
    if (existsSync(pj)) {
      try {
        if (JSON.parse(readFileSync(pj, 'utf8')).name) return dir;
      } catch { /* keep walking */ }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No package.json above ${resolvedUrl}.`);
    dir = parent;
  }
}

function safeName(name: string): string {
  return name.replace(/[^a-zA-Z0-9._-]/g, '_').slice(0, 40) || 'job';
}
