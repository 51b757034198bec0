/**
 * Summarizes a .cpuprofile (from bench/cpu-profile-hook.mjs or node --cpu-prof):
 * self time per function and per source file, as a share of the sampled time.
 *
 *   node --conditions=source --import tsx bench/profile-summary.ts <file.cpuprofile> [--top 30]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

export interface ProfileSummary {
  totalMs: number;
  byFunction: Array<{ name: string; selfPct: number }>;
  byFile: Array<{ file: string; selfPct: number }>;
}

/**
 * A span of the monotonic clock in microseconds (`process.hrtime.bigint() / 1000n` in
 * any process of this machine: V8 stamps profile samples with the same clock).
 */
export interface ProfileWindow { fromUs: number; toUs: number }

/** Self time per function and file; with `window`, only of the samples taken in it (e.g. not a daemon's start-up). */
export function summarizeProfile(path: string, top = 30, window?: ProfileWindow): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  let sampledAt = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    const delta = profile.timeDeltas[i] ?? 0;
    sampledAt += delta;
    if (window && (sampledAt < window.fromUs || sampledAt > window.toUs)) continue;
    self.set(id, (self.get(id) ?? 0) + delta);
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const fnTimes = new Map<string, number>();
  const fileTimes = new Map<string, number>();
  for (const [id, us] of self) {
    const f = byId.get(id)!.callFrame;
    const file = f.url.replace(/^file:\/\//, '').replace(/^.*\/(packages\/[^/]+\/)dist\//, '$1').replace(/^.*\/tsflink-jobs\/[^/]+\//, 'job:') || '(native)';
    const name = `${f.functionName || '(anonymous)'} ${file}${f.url ? `:${f.lineNumber + 1}` : ''}`;
    fnTimes.set(name, (fnTimes.get(name) ?? 0) + us);
    fileTimes.set(file, (fileTimes.get(file) ?? 0) + us);
  }
  const sorted = <K>(m: Map<K, number>) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  return {
    totalMs: total / 1000,
    byFunction: sorted(fnTimes).map(([name, us]) => ({ name, selfPct: (100 * us) / total })),
    byFile: sorted(fileTimes).map(([file, us]) => ({ file, selfPct: (100 * us) / total })),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: profile-summary.ts <file.cpuprofile> [--top N]');
  const i = process.argv.indexOf('--top');
  const s = summarizeProfile(file, i > 0 ? Number(process.argv[i + 1]) : 30);
  const out = [`sampled ${s.totalMs.toFixed(0)} ms`, '', 'self % | function'];
  for (const f of s.byFunction) out.push(`${f.selfPct.toFixed(1).padStart(6)} | ${f.name}`);
  out.push('', 'self % | file');
  for (const f of s.byFile) out.push(`${f.selfPct.toFixed(1).padStart(6)} | ${f.file}`);
  process.stdout.write(out.join('\n') + '\n');
}
