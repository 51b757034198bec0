/**
 * What one snapshot costs the records around it, in one process, paired: the
 * keyed running count of bench/jobs/keyed-count.ts (100 K keys, ValueState<number>)
 * runs cycles of
 *
 *   with a snapshot:  capture → R records → write to a file + fsync → R records
 *   without:          R records → R records
 *
 * alternately, and reports medians over the cycles of the difference (wall time
 * and CPU time of this process, which includes the file writes' system time) and
 * of each half: the R records right after the capture pay for encoding every key
 * group on its first write (serialize-on-write, `KeyedStateTable`), the R records
 * right after the write show what the write leaves behind (caches, GC). Each pair
 * of cycles runs back to back, so the machine's drift between minutes cancels;
 * the process's own speed does not (compare variants side by side, in one run).
 *
 *   node --conditions=source --import tsx bench/snapshot-cycle.bench.ts
 *     [--keys 100000] [--records 100000] [--cycles 60] [--sink file|null]
 *
 * `--sink file` writes through the TaskManager's own state stream (ThresholdStateOutput
 * on LocalFileSystem: fsync on close); `--sink null` writes nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValueStateDescriptor } from '../packages/api/src/index.js';
import { LocalFileSystem } from '../packages/fs/src/index.js';
import { HeapKeyedStateBackend } from '../packages/runtime/src/state/heap-keyed-state-backend.js';
import type { StateOutputStream } from '../packages/runtime/src/state/state-output-stream.js';
import { ThresholdStateOutput } from '../packages/taskmanager/src/checkpoint/threshold-state-output.js';
import { median } from './baseline.js';
import { numberFlag, say, stringFlag, table } from './cluster-bench.js';

const K = numberFlag('keys', 100_000);
const R = numberFlag('records', 100_000);
const CYCLES = numberFlag('cycles', 60);
const SINK = stringFlag('sink', 'file');
const WARMUP_CYCLES = 5;
if (!['file', 'null'].includes(SINK)) throw new Error(`--sink must be file or null, not ${SINK}`);

const words = Array.from({ length: K }, (_, k) => `w${k}`);
/** A fixed pseudo-random key sequence (the same in every run), 1 M long. */
const sequence = new Uint32Array(1 << 20);
for (let i = 0, x = 12345; i < sequence.length; i++) {
  x = (Math.imul(x, 1103515245) + 12345) >>> 0;
  sequence[i] = x % K;
}

const backend = new HeapKeyedStateBackend({ keyGroupRange: { start: 0, end: 127 }, maxParallelism: 128 });
const count = backend.getState(new ValueStateDescriptor<number>('count', 0));
for (let k = 0; k < K; k++) {
  backend.setCurrentKey(words[k]!);
  count.update(0);
}

let next = 0;
/** Processes `n` records of the running count; returns the milliseconds taken. */
function processRecords(n: number): number {
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    backend.setCurrentKey(words[sequence[next++ & (sequence.length - 1)]!]!);
    count.update(count.value() + 1);
  }
  return performance.now() - started;
}

const files = new LocalFileSystem();

/** The sink of one snapshot, by `--sink`: the TaskManager's own stream into a state file (fsync on close), or nothing. */
function openSink(path: string): StateOutputStream & { close(): Promise<unknown> } {
  if (SINK === 'null') return { releasesChunks: true, write() {}, async close() {} };
  return new ThresholdStateOutput(files, path, 0);
}

const cpuMs = (since: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

const dir = mkdtempSync(join(tmpdir(), 'tsflink-snapshot-cycle-'));
const rows = { wall: [] as number[], cpu: [] as number[], afterCapture: [] as number[], afterWrite: [] as number[], plainFirst: [] as number[], plainSecond: [] as number[], plainCycle: [] as number[] };
try {
  for (let cycle = 0; cycle < CYCLES + WARMUP_CYCLES; cycle++) {
    let cpu = process.cpuUsage();
    let started = performance.now();
    const snapshot = backend.snapshot(cycle + 1);
    const afterCapture = processRecords(R);
    const path = join(dir, `chk-${cycle + 1}`);
    const sink = openSink(path);
    await snapshot.write(sink);
    await sink.close();
    rmSync(path, { force: true });
    const afterWrite = processRecords(R);
    const withWall = performance.now() - started;
    const withCpu = cpuMs(cpu);

    cpu = process.cpuUsage();
    started = performance.now();
    const plainFirst = processRecords(R);
    const plainSecond = processRecords(R);
    const withoutWall = performance.now() - started;
    const withoutCpu = cpuMs(cpu);
    if (cycle < WARMUP_CYCLES) continue;
    rows.wall.push(withWall - withoutWall);
    rows.cpu.push(withCpu - withoutCpu);
    rows.afterCapture.push(afterCapture);
    rows.afterWrite.push(afterWrite);
    rows.plainFirst.push(plainFirst);
    rows.plainSecond.push(plainSecond);
    rows.plainCycle.push(withoutWall);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const ms = (values: number[]): string => median(values).toFixed(2);
say(`node ${process.version}; ${K} keys, ${R} records per half cycle, ${CYCLES} cycles (+${WARMUP_CYCLES} warm-up), sink ${SINK}`);
say(table(['what (median over cycles)', 'ms'], [
  ['a snapshot: wall time of a cycle with it − without', ms(rows.wall)],
  ['a snapshot: CPU time of this process, with − without', ms(rows.cpu)],
  [`${R} records right after the capture (encoding on first writes)`, ms(rows.afterCapture)],
  [`${R} records, first half of a cycle without`, ms(rows.plainFirst)],
  [`${R} records right after the write`, ms(rows.afterWrite)],
  [`${R} records, second half of a cycle without`, ms(rows.plainSecond)],
  ['a whole cycle without a snapshot', ms(rows.plainCycle)],
]));
