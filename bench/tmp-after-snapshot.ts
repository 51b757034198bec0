import { ValueStateDescriptor } from '../packages/api/src/index.js';
import { HeapKeyedStateBackend } from '../packages/runtime/src/state/heap-keyed-state-backend.js';
const K = 100_000;
const words = Array.from({ length: K }, (_, k) => `w${k}`);
const backend = new HeapKeyedStateBackend({ keyGroupRange: { start: 0, end: 127 }, maxParallelism: 128 });
const count = backend.getState(new ValueStateDescriptor<number>('count', 0));
let i = 0;
const setImmediateP = () => new Promise<void>((r) => setImmediate(r));
async function phase(ms: number): Promise<number> {
  const c0 = process.cpuUsage(); const i0 = i; const end = performance.now() + ms; let b = 0;
  for (;;) {
    for (let x = 0; x < 1000; x++, i++) { backend.setCurrentKey(words[((i % K) * 7919) % K]!); count.update(count.value() + 1); }
    if (++b % 4 === 0) { await setImmediateP(); if (performance.now() >= end) break; }
  }
  const c = process.cpuUsage(c0); return (i - i0) / ((c.user + c.system) / 1e6) / 1e6;
}
const sink = { releasesChunks: true, async write(_c: Buffer) {}, async close() {} };
const out: string[] = [];
out.push('warm ' + (await phase(2000)).toFixed(2));
for (let r = 0; r < 3; r++) {
  out.push('before ' + (await phase(1500)).toFixed(2));
  const s = backend.snapshot(r + 1); await s.write(sink as never);
  out.push(`after snap${r + 1} ` + (await phase(1500)).toFixed(2) + ' ' + (await phase(1500)).toFixed(2));
}
console.log(out.join(' | '));
