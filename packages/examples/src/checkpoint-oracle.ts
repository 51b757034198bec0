/**
 * The deterministic oracle job for exactly-once tests. It counts, per key,
 * the indexes `0 .. N-1` and writes `index,key,count` lines into an
 * exactly-once FileSink; a failure-free run writes exactly
 * `expectedOracleOutput(N, K)`, and after any failures and restores the
 * committed files must hold the very same lines, each once.
 *
 *   flink run packages/examples/src/checkpoint-oracle.ts \
 *     <N> <records/s, 0 = unlimited> <parallelism> <K keys> <output dir> <checkpoint interval ms>
 *
 * Defaults (an argument that is missing, "" or "-"): N 10000, 1000 records/s,
 * parallelism 2, K 16, interval 500 ms; the output directory is required.
 *
 * Why the counts are deterministic: key = index % K, and a key's count for an
 * index is the number of its indexes up to that one, i.e. floor(index / K) + 1.
 * That holds only if each key's records reach the counter in index order. With
 * several source subtasks, one key's records could come from two subtasks and
 * interleave arbitrarily; so the source makes exactly one split per key: its
 * positions are ordered key-major (all of key 0's indexes in increasing order,
 * then key 1's, ...) and `createSplits` cuts them into K ranges whose
 * boundaries are the key boundaries. Each key is then read by one reader, in
 * order, over one FIFO channel to its counter subtask, at any source
 * parallelism (readers get K/p splits each) and across restores and rescaling
 * (a split keeps its next position and moves whole).
 */
import {
  CheckpointingMode, ExternalizedCheckpointCleanup, RichFlatMapFunction, StreamExecutionEnvironment, ValueStateDescriptor,
  WatermarkStrategy,
} from '@tsflink/api';
import type { Collector, IndexRangeSplit, RuntimeContext, ValueState } from '@tsflink/api';
import { DataGeneratorSource, FileSink, RateLimiterStrategy } from '@tsflink/connectors';

export interface OracleSettings {
  /** N: the indexes are 0 .. N-1. */
  readonly count: number;
  /** Records per second in total; 0 = unlimited. */
  readonly ratePerSecond: number;
  readonly parallelism: number;
  /** K: the number of keys (key = index % K). */
  readonly keys: number;
  readonly outputPath: string;
  readonly checkpointIntervalMs: number;
}

export const ORACLE_USAGE = 'checkpoint-oracle <N> <records/s (0 = unlimited)> <parallelism> <keys> <output dir> <checkpoint interval ms>';

export const ORACLE_DEFAULTS = {
  count: 10_000, ratePerSecond: 1000, parallelism: 2, keys: 16, checkpointIntervalMs: 500,
} as const;

/** Reads the job's arguments (see ORACLE_USAGE); "" or "-" selects a default. */
export function parseOracleArgs(args: string[]): OracleSettings {
  const given = (i: number): string | undefined => (args[i] === undefined || args[i] === '' || args[i] === '-' ? undefined : args[i]);
  const integer = (i: number, name: string, fallback: number, min: number): number => {
    const text = given(i);
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!Number.isSafeInteger(value) || value < min) throw new Error(`${name} (argument ${i + 1}) must be an integer ≥ ${min}, got "${text}". Usage: ${ORACLE_USAGE}`);
    return value;
  };
  const outputPath = given(4);
  if (outputPath === undefined) throw new Error(`The output directory (argument 5) is required. Usage: ${ORACLE_USAGE}`);
  return {
    count: integer(0, 'N', ORACLE_DEFAULTS.count, 0),
    ratePerSecond: integer(1, 'The rate', ORACLE_DEFAULTS.ratePerSecond, 0),
    parallelism: integer(2, 'The parallelism', ORACLE_DEFAULTS.parallelism, 1),
    keys: integer(3, 'The number of keys', ORACLE_DEFAULTS.keys, 1),
    outputPath,
    checkpointIntervalMs: integer(5, 'The checkpoint interval', ORACLE_DEFAULTS.checkpointIntervalMs, 10),
  };
}

/** The expected count of `index`: how many indexes ≤ it share its key. */
export function oracleCount(index: number, keys: number): number {
  return Math.floor(index / keys) + 1;
}

/** The exact lines of a failure-free run, in index order: `${index},${index % k},${floor(index / k) + 1}`. */
export function expectedOracleOutput(n: number, k: number): string[] {
  const lines: string[] = new Array(n);
  for (let index = 0; index < n; index++) lines[index] = `${index},${index % k},${oracleCount(index, k)}`;
  return lines;
}

/** What is wrong with an oracle job's output; all lists empty means exactly once and all counts right. */
export interface OracleVerification {
  readonly ok: boolean;
  /** Indexes with no line. */
  readonly missing: number[];
  /** Indexes with more than one line. */
  readonly duplicated: number[];
  /** Lines for a valid index with the wrong key or count. */
  readonly wrong: string[];
  /** Lines that are not `index,key,count` for an index below n. */
  readonly malformed: string[];
}

/** Checks output lines (any order) against `expectedOracleOutput(n, k)`. */
export function verifyOracleOutput(lines: Iterable<string>, n: number, k: number): OracleVerification {
  const seen = new Uint32Array(n);
  const wrong: string[] = [];
  const malformed: string[] = [];
  for (const line of lines) {
    const m = /^(\d+),(\d+),(\d+)$/.exec(line);
    const index = m === null ? -1 : Number(m[1]);
    if (m === null || index >= n) {
      malformed.push(line);
      continue;
    }
    seen[index]!++;
    if (Number(m[2]) !== index % k || Number(m[3]) !== oracleCount(index, k)) wrong.push(line);
  }
  const missing: number[] = [];
  const duplicated: number[] = [];
  seen.forEach((times, index) => {
    if (times === 0) missing.push(index);
    else if (times > 1) duplicated.push(index);
  });
  return { ok: missing.length + duplicated.length + wrong.length + malformed.length === 0, missing, duplicated, wrong, malformed };
}

/**
 * The index at generator position `position`: positions enumerate key 0's
 * indexes (0, K, 2K, ...), then key 1's, and so on. Key k has
 * `floor(n / k) + (k < n % K ? 1 : 0)` indexes, exactly the sizes of the K
 * ranges `DataGeneratorSource.createSplits(K)` makes, so split k is key k.
 */
export function oracleIndexAt(position: number, n: number, k: number): number {
  const perKey = Math.floor(n / k);
  const withExtra = n % k; // keys 0 .. withExtra-1 have perKey + 1 indexes
  const longBlock = withExtra * (perKey + 1);
  let key: number;
  let occurrence: number;
  if (position < longBlock) {
    key = Math.floor(position / (perKey + 1));
    occurrence = position % (perKey + 1);
  } else {
    key = withExtra + Math.floor((position - longBlock) / perKey);
    occurrence = (position - longBlock) % perKey;
  }
  return key + occurrence * k;
}

/** The oracle's generator: one split per key whatever the parallelism (see the file comment). */
export class KeyAlignedIndexSource extends DataGeneratorSource<number> {
  constructor(count: number, private readonly keys: number, rate: RateLimiterStrategy) {
    super((position) => oracleIndexAt(position, count, keys), count, rate);
  }

  override createSplits(_parallelism: number): IndexRangeSplit[] {
    return super.createSplits(this.keys);
  }
}

/** Counts the indexes of each key in keyed ValueState and emits `index,key,count`. */
export class OracleCounter extends RichFlatMapFunction<number, string> {
  private count!: ValueState<number>;

  constructor(private readonly keys: number) {
    super();
  }

  override open(ctx: RuntimeContext): void {
    this.count = ctx.getState(new ValueStateDescriptor<number>('count', 0));
  }

  flatMap(index: number, out: Collector<string>): void {
    const count = this.count.value() + 1;
    this.count.update(count);
    out.collect(`${index},${index % this.keys},${count}`);
  }
}

export default async function main(args: string[]): Promise<void> {
  const settings = parseOracleArgs(args);
  const { keys } = settings;
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  env.setParallelism(settings.parallelism);
  env.enableCheckpointing(settings.checkpointIntervalMs, CheckpointingMode.EXACTLY_ONCE);
  env.getCheckpointConfig().enableExternalizedCheckpoints(ExternalizedCheckpointCleanup.RETAIN_ON_CANCELLATION);

  const rate = settings.ratePerSecond === 0 ? RateLimiterStrategy.noOp() : RateLimiterStrategy.perSecond(settings.ratePerSecond);
  env.fromSource(new KeyAlignedIndexSource(settings.count, keys, rate), WatermarkStrategy.noWatermarks(), 'oracle-source').uid('oracle-source')
    .keyBy((index) => index % keys)
    .flatMap(new OracleCounter(keys)).uid('oracle-counter').name('oracle-counter')
    .sinkTo(FileSink.forRowFormat<string>(settings.outputPath).build()).uid('oracle-sink').name('oracle-sink');

  await env.execute('CheckpointOracle');
}
