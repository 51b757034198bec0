/**
 * Record codec benchmark: encode and decode throughput (records/s) for batches of
 * 1,000 small records, for JSON, v8.serialize, msgpackr and the tsflink codec,
 * side by side in one run. Prints the median of several rounds and the ratio to
 * the plain-loop baseline (bench/baseline.ts).
 *
 *   node --conditions=source --import tsx bench/codec.bench.ts [--rounds 7] [--batches 1000]
 *   (without --conditions=source the workspace packages resolve to their built dist/)
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import v8 from 'node:v8';
import { RecordBatchDecoder, decodeRecordBatch } from '../packages/runtime/src/serialization/record-batch-decoder.js';
import { RecordBatchEncoder } from '../packages/runtime/src/serialization/record-batch-encoder.js';
import { measureBaselineWordsPerSecond, median } from './baseline.js';

// msgpackr is a dependency of @tsflink/runtime, so resolve it from there.
const requireFromRuntime = createRequire(new URL('../packages/runtime/package.json', import.meta.url));
const { Packr } = requireFromRuntime('msgpackr') as typeof import('msgpackr');

const BATCH_SIZE = 1000;

interface Codec {
  name: string;
  encode(records: unknown[]): Buffer | string;
  decode(bytes: Buffer | string): unknown[];
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

function workloads(): Record<string, unknown[]> {
  const tuples = Array.from({ length: BATCH_SIZE }, (_, i) => [`word${(i * 7919) % 10007}`, i % 500]);
  const objects = Array.from({ length: BATCH_SIZE }, (_, i) => ({
    id: i, name: `user${i}`, score: i * 0.5 + 0.25, active: i % 2 === 0,
  }));
  const events = Array.from({ length: BATCH_SIZE }, (_, i) => ({
    key: `sensor-${i % 64}`, timestamp: 1_700_000_000_000 + i * 17, value: Math.sin(i),
  }));
  return { 'tuple [string, number]': tuples, 'object {id,name,score,active}': objects, 'event {key,timestamp,value}': events };
}

function codecs(): Codec[] {
  const encoder = new RecordBatchEncoder();
  const decoder = new RecordBatchDecoder();
  const packrRecords = new Packr({ useRecords: true, moreTypes: true, useBigIntExtension: true });
  const unpackrRecords = new Packr({ useRecords: true, moreTypes: true, useBigIntExtension: true });
  const packrPlain = new Packr({ useRecords: false, moreTypes: true, useBigIntExtension: true });
  return [
    { name: 'JSON', encode: (r) => JSON.stringify(r), decode: (b) => JSON.parse(b as string) as unknown[] },
    { name: 'v8.serialize', encode: (r) => v8.serialize(r), decode: (b) => v8.deserialize(b as Buffer) as unknown[] },
    { name: 'msgpackr', encode: (r) => packrPlain.pack(r), decode: (b) => packrPlain.unpack(b as Buffer) as unknown[] },
    { name: 'msgpackr useRecords', encode: (r) => packrRecords.pack(r), decode: (b) => unpackrRecords.unpack(b as Buffer) as unknown[] },
    {
      name: 'tsflink RecordBatchEncoder/Decoder',
      encode: (r) => {
        for (let i = 0; i < r.length; i++) encoder.add(r[i]);
        return encoder.finish();
      },
      decode: (b) => decoder.decode(b as Buffer),
    },
    {
      name: 'tsflink decodeRecordBatch (no cache)',
      encode: (r) => {
        for (let i = 0; i < r.length; i++) encoder.add(r[i]);
        return encoder.finish();
      },
      decode: (b) => decodeRecordBatch(b as Buffer),
    },
  ];
}

/** Records per second of `fn` applied `batches` times to a 1,000-record batch. */
function time(batches: number, fn: () => unknown): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < batches; i++) fn();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return (batches * BATCH_SIZE) / seconds;
}

function main(): void {
  const rounds = arg('rounds', 7);
  const batches = arg('batches', 1000);
  const baseline = measureBaselineWordsPerSecond();
  const lines: string[] = [
    `node ${process.version}, ${rounds} rounds × ${batches} batches × ${BATCH_SIZE} records, median`,
    `baseline (plain loop, 100 K keys): ${(baseline / 1e6).toFixed(2)} M words/s`,
    '',
  ];
  for (const [workload, records] of Object.entries(workloads())) {
    const all = codecs();
    const encoded = all.map((c) => c.encode(records));
    all.forEach((c, i) => assert.deepEqual(c.decode(encoded[i]!), records, `${c.name} must round-trip ${workload}`));
    const enc = all.map(() => [] as number[]);
    const dec = all.map(() => [] as number[]);
    time(Math.ceil(batches / 4), () => all.forEach((c, i) => c.decode(c.encode(records) ?? encoded[i]!))); // warm-up
    for (let r = 0; r < rounds; r++) {
      all.forEach((c, i) => {
        enc[i]!.push(time(batches, () => c.encode(records)));
        dec[i]!.push(time(batches, () => c.decode(encoded[i]!)));
      });
    }
    lines.push(`${workload}`);
    lines.push(`  ${'codec'.padEnd(38)} ${'encode M rec/s'.padStart(15)} ${'decode M rec/s'.padStart(15)} ${'bytes/record'.padStart(13)} ${'enc/baseline'.padStart(13)}`);
    all.forEach((c, i) => {
      const e = median(enc[i]!);
      const d = median(dec[i]!);
      const bytes = Buffer.byteLength(encoded[i]!) / BATCH_SIZE;
      lines.push(`  ${c.name.padEnd(38)} ${(e / 1e6).toFixed(2).padStart(15)} ${(d / 1e6).toFixed(2).padStart(15)} ${bytes.toFixed(1).padStart(13)} ${(e / baseline).toFixed(2).padStart(13)}`);
    });
    lines.push('');
  }
  process.stdout.write(lines.join('\n'));
}

main();
