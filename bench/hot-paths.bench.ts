/**
 * The per-record and per-byte costs behind the cluster benchmarks, in one
 * process, side by side with the plain loop (bench/baseline.ts), to explain
 * where a TaskManager's time goes (see bench/README.md, "Bottlenecks"):
 *
 * - counting 100 K keys: one Map (the plain loop) / 128 Maps chosen by
 *   assignToKeyGroup (what keyed state does) / the key-group hash alone / the
 *   heap backend's setCurrentKey + value() + update();
 * - first-touch cost of fresh 4 MiB Buffers (what ValueWriter.takeBytes and
 *   LocalFileSystem.readRange allocate per state chunk) against one reused Buffer,
 *   also with the UTF-8 encoding of 1 KiB strings into them;
 * - HeapKeyedStateSnapshot.write and restoreKeyGroups of 100 K keys × (count +
 *   1 KiB string), in memory, against v8.serialize/deserialize of the same Maps;
 *   the write both into fresh chunks (a sink that keeps them, as an object store
 *   may) and into two pooled chunks (a sink that releases them, as a local file);
 * - serialize-on-write: a snapshot is pending and one record writes to each of
 *   the 128 key groups of the count state, so each first write encodes its group
 *   (the whole count state, ≈ 100 K entries, once per snapshot), against a
 *   snapshot writer encoding the same state itself.
 *
 *   node --conditions=source --import tsx bench/hot-paths.bench.ts [--keys 100000] [--records 5000000]
 */
import { randomBytes } from 'node:crypto';
import v8 from 'node:v8';
import { ValueStateDescriptor } from '../packages/api/src/index.js';
import { HeapKeyedStateBackend } from '../packages/runtime/src/state/heap-keyed-state-backend.js';
import { assignToKeyGroup } from '../packages/runtime/src/state/key-group-assignment.js';
import { MemoryStateOutputStream } from '../packages/runtime/src/state/memory-state-stream.js';
import { median } from './baseline.js';
import { numberFlag, say, table } from './cluster-bench.js';

const K = numberFlag('keys', 100_000);
const N = numberFlag('records', 5_000_000);
const words = Array.from({ length: K }, (_, k) => `w${k}`);

function rate(fn: () => void, rounds = 5, count = N): number {
  const rates: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t = performance.now();
    fn();
    rates.push(count / ((performance.now() - t) / 1000));
  }
  return median(rates);
}

function msOf(fn: () => void, rounds = 5): number {
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  return median(times);
}

async function asyncMs(fn: () => Promise<void>, rounds = 5): Promise<number> {
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return median(times);
}

// Records: interleave the variants so that drift hits all of them alike.
const variants: Array<[string, () => void]> = [
  ['plain loop: one Map get/set', () => {
    const m = new Map<string, number>();
    for (let i = 0; i < N; i++) { const w = words[((i % K) * 7919) % K]!; m.set(w, (m.get(w) ?? 0) + 1); }
  }],
  ['128 Maps chosen by assignToKeyGroup', () => {
    const ms = Array.from({ length: 128 }, () => new Map<string, number>());
    for (let i = 0; i < N; i++) { const w = words[((i % K) * 7919) % K]!; const m = ms[assignToKeyGroup(w, 128)]!; m.set(w, (m.get(w) ?? 0) + 1); }
  }],
  ['assignToKeyGroup alone', () => {
    let s = 0;
    for (let i = 0; i < N; i++) s += assignToKeyGroup(words[((i % K) * 7919) % K]!, 128);
    if (s < 0) throw new Error('unreachable');
  }],
  ['heap backend setCurrentKey + value() + update()', () => {
    const b = new HeapKeyedStateBackend({ keyGroupRange: { start: 0, end: 127 }, maxParallelism: 128 });
    const c = b.getState(new ValueStateDescriptor<number>('count', 0));
    for (let i = 0; i < N; i++) { b.setCurrentKey(words[((i % K) * 7919) % K]!); c.update(c.value() + 1); }
  }],
];
const results = new Map<string, number[]>();
for (let round = 0; round < 3; round++) {
  for (const [name, fn] of variants) results.set(name, [...(results.get(name) ?? []), rate(fn, 1)]);
}
const plain = median(results.get(variants[0]![0])!);
say(`node ${process.version}; ${K} keys, ${N} records per round, medians of 3 interleaved rounds`);
say(table(['per record', 'M/s', 'ns/record', 'ratio to plain loop'], [...results].map(([name, rs]) => {
  const r = median(rs);
  return [name, r / 1e6, 1e9 / r, (r / plain).toFixed(3)];
})));

// Fresh vs reused 4 MiB buffers.
const CHUNK = 4 * 1024 * 1024;
const fresh = msOf(() => { for (let i = 0; i < 16; i++) Buffer.allocUnsafe(CHUNK).fill(1); });
const reused = Buffer.allocUnsafe(CHUNK);
const again = msOf(() => { for (let i = 0; i < 16; i++) reused.fill(1); });
say(table(['writing 64 MiB', 'ms', 'MB/s'], [
  ['into 16 fresh Buffer.allocUnsafe(4 MiB)', fresh, 67.1 / (fresh / 1000)],
  ['into one reused 4 MiB Buffer, 16 times', again, 67.1 / (again / 1000)],
]));

// Snapshot and restore of count + 1 KiB payload per key.
const backend = new HeapKeyedStateBackend({ keyGroupRange: { start: 0, end: 127 }, maxParallelism: 128 });
const count = backend.getState(new ValueStateDescriptor<number>('count', 0));
const payload = backend.getState(new ValueStateDescriptor<string>('payload'));
const plainCounts = Array.from({ length: 128 }, () => new Map<string, number>());
const plainPayloads = Array.from({ length: 128 }, () => new Map<string, string>());
for (let k = 0; k < K; k++) {
  const p = randomBytes(768).toString('base64');
  backend.setCurrentKey(words[k]!);
  count.update(k);
  payload.update(p);
  plainCounts[k % 128]!.set(words[k]!, k);
  plainPayloads[k % 128]!.set(words[k]!, p);
}
// The strings' UTF-8 encoding alone, into fresh chunks (as ValueWriter.takeBytes allocates them) or one reused chunk.
const payloads = plainPayloads.flatMap((m) => [...m.values()]);
const payloadBytes = payloads.reduce((a, p) => a + p.length, 0);
const encodeInto = (fresh: boolean) => () => {
  let buf = Buffer.allocUnsafe(CHUNK + 65536);
  let pos = 0;
  for (const p of payloads) {
    if (pos + 3 * p.length > buf.length) { if (fresh) buf = Buffer.allocUnsafe(CHUNK + 65536); pos = 0; }
    pos += buf.write(p, pos, 'utf8');
  }
};
const encodeFresh = msOf(encodeInto(true));
const encodeReused = msOf(encodeInto(false));
say(table([`Buffer.write(utf8) of the ${K} payload strings (${(payloadBytes / 1e6).toFixed(0)} MB)`, 'ms', 'MB/s'], [
  ['into fresh 4 MiB chunks', encodeFresh, payloadBytes / 1e3 / encodeFresh],
  ['into one reused 4 MiB chunk', encodeReused, payloadBytes / 1e3 / encodeReused],
]));

let last: { sink: MemoryStateOutputStream; result: Awaited<ReturnType<ReturnType<typeof backend.snapshot>['write']>> } | undefined;
let id = 0;
const writeMs = await asyncMs(async () => {
  const sink = new MemoryStateOutputStream();
  last = { sink, result: await backend.snapshot(++id).write(sink) };
});
const releasingSink = { releasesChunks: true, write(_chunk: Buffer) {} };
const pooledWriteMs = await asyncMs(async () => { await backend.snapshot(++id).write(releasingSink); });
const bytes = last!.result.length;
const reader = last!.sink.reader();
const kept: unknown[] = [];
const restoreMs = await asyncMs(async () => {
  const target = new HeapKeyedStateBackend({ keyGroupRange: { start: 0, end: 127 }, maxParallelism: 128 });
  await target.restoreKeyGroups([{ ...last!.result, bytes: reader }]);
  kept.push(target); // a restore keeps what it read, as a TaskManager does
  if (kept.length > 1) kept.shift();
});
let serialized: Buffer[] = [];
const v8WriteMs = msOf(() => { serialized = [...plainCounts, ...plainPayloads].map((m) => v8.serialize(m)); });
const v8Bytes = serialized.reduce((a, b) => a + b.length, 0);
const v8ReadMs = msOf(() => { const maps = serialized.map((b) => v8.deserialize(b) as Map<string, unknown>); kept.push(maps); if (kept.length > 1) kept.shift(); });
say(table([`${K} keys × (count + 1 KiB string), in memory`, 'ms', 'MB/s'], [
  ['HeapKeyedStateSnapshot.write (4 MiB chunks, CRC-32), fresh chunks kept by the sink', writeMs, bytes / 1e3 / writeMs],
  ['HeapKeyedStateSnapshot.write into a sink that releases chunks (two pooled chunks)', pooledWriteMs, bytes / 1e3 / pooledWriteMs],
  ['v8.serialize of the same 256 Maps', v8WriteMs, v8Bytes / 1e3 / v8WriteMs],
  ['restoreKeyGroups (kept alive)', restoreMs, bytes / 1e3 / restoreMs],
  ['v8.deserialize of the same Maps (kept alive)', v8ReadMs, v8Bytes / 1e3 / v8ReadMs],
]));

// Serialize-on-write of the count state: the first write to each pinned key group encodes it.
const firstKeyOfGroup: string[] = [];
for (const word of words) {
  backend.setCurrentKey(word);
  firstKeyOfGroup[backend.getCurrentKeyGroup()] ??= word;
}
const countTable = backend.getTable('count')!;
const countOnly = new HeapKeyedStateBackend({ keyGroupRange: { start: 0, end: 127 }, maxParallelism: 128 });
const countOnlyState = countOnly.getState(new ValueStateDescriptor<number>('count', 0));
for (let k = 0; k < K; k++) { countOnly.setCurrentKey(words[k]!); countOnlyState.update(k); }
const encodesBefore = countTable.keyGroupEncodes;
const onWriteMs = msOf(() => {
  const pending = backend.snapshot(++id);
  for (const word of firstKeyOfGroup) { backend.setCurrentKey(word); count.update(count.value() + 1); }
  pending.release();
}, 9);
const writerMs = await asyncMs(async () => { await countOnly.snapshot(++id).write(releasingSink); }, 9);
say(table([`count state of ${K} keys (≈ ${(countTable.size() / 1e3).toFixed(0)} K entries)`, 'ms', 'ns/entry'], [
  [`first write to each of 128 pinned key groups (${(countTable.keyGroupEncodes - encodesBefore) / 9} encoded per snapshot)`, onWriteMs, (onWriteMs * 1e6) / K],
  ['the snapshot writer encoding the same state (count-only backend, pooled chunks)', writerMs, (writerMs * 1e6) / K],
]));
