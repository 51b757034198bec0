import { ValueStateDescriptor } from '../packages/api/src/index.js';
import { HeapKeyedStateBackend } from '../packages/runtime/src/state/heap-keyed-state-backend.js';
const K = 100_000;
const words = Array.from({ length: K }, (_, k) => `w${k}`);
const backend = new HeapKeyedStateBackend({ keyGroupRange: { start: 0, end: 127 }, maxParallelism: 128 });
const count = backend.getState(new ValueStateDescriptor<number>('count', 0));
let i = 0;
function records(n: number) { for (let x = 0; x < n; x++, i++) { backend.setCurrentKey(words[((i % K) * 7919) % K]!); count.update(count.value() + 1); } }
const sink = { releasesChunks: true, async write(_c: Buffer) {}, async close() {} };
records(3_000_000);
const snapMs: number[] = []; const recMs: number[] = []; const rec2: number[] = [];
for (let r = 0; r < 40; r++) {
  let t = performance.now(); records(300_000); recMs.push(performance.now() - t);
  t = performance.now(); const s = backend.snapshot(r + 1); await s.write(sink as never); snapMs.push(performance.now() - t);
  t = performance.now(); records(300_000); rec2.push(performance.now() - t);
}
const med = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1]!;
console.log(`snapshot+write(null) median ${med(snapMs).toFixed(2)} ms; 300k records before ${med(recMs).toFixed(2)} ms, right after ${med(rec2).toFixed(2)} ms`);
