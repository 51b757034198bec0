/**
 * The benchmark job of bench/throughput.ts, bench/checkpoint.ts and bench/savepoint.ts:
 *
 *   DataGeneratorSource (unbounded) → keyBy(word) → RichFlatMapFunction counting in
 *   ValueState (emits [word, count]) → a sink that discards (or is throttled)
 *
 * The record at index i is the word `w${((i mod K) * 7919) mod K}`: K distinct keys
 * visited in the same scattered order as bench/baseline.ts's plain loop.
 *
 * The sink reports its own progress on the TaskManager's stdout, one line per
 * subtask at most every `--report-ms` (checked every 1024 records):
 *
 *   TSFLINK_BENCH {"e":"progress","sub":0,"att":0,"n":<records so far>,"t":<Date.now()>}
 *
 * plus an "open" line when the counter's state is restored and opened, and a
 * "first" line at the sink's first record (each attempt). The benchmark reads
 * these lines from the TaskManagers' output: throughput is measured by the job
 * itself, between two of its own reports, so start-up is never part of it.
 *
 * Arguments (all optional, `--name value`):
 *   --keys K            distinct keys (default 100000)
 *   --checkpoint-ms N   checkpoint interval, 0 = no checkpointing (default 0)
 *   --throttle R        sink rate limit in records/s per subtask, 0 = discard at full speed
 *   --payload B         bytes of an extra ValueState<string> per key, set once (default 0: none)
 *   --rate R            source rate in records/s in total, 0 = unthrottled (default 0)
 *   --report-ms N       progress report interval (default 500)
 */
import { randomBytes } from 'node:crypto';
import {
  ExternalizedCheckpointCleanup, RichFlatMapFunction, RichSinkFunction, StreamExecutionEnvironment, ValueStateDescriptor,
  WatermarkStrategy,
} from '@tsflink/api';
import type { Collector, RuntimeContext, ValueState } from '@tsflink/api';
import { DataGeneratorSource, RateLimiterStrategy } from '@tsflink/connectors';
import { option, report } from './bench-report.js';

let words: string[] = [];
function wordsFor(keys: number): string[] {
  if (words.length !== keys) words = Array.from({ length: keys }, (_, k) => `w${k}`);
  return words;
}

/** The running count per word, plus (with --payload) a payload string per word written once. */
class Counter extends RichFlatMapFunction<string, [string, number]> {
  private count!: ValueState<number>;
  private payload?: ValueState<string>;

  constructor(private readonly payloadBytes: number) {
    super();
  }

  override open(ctx: RuntimeContext): void {
    this.count = ctx.getState(new ValueStateDescriptor<number>('count', 0));
    if (this.payloadBytes > 0) this.payload = ctx.getState(new ValueStateDescriptor<string>('payload'));
    report({ e: 'open', sub: ctx.getIndexOfThisSubtask(), att: ctx.getAttemptNumber() });
  }

  flatMap(word: string, out: Collector<[string, number]>): void {
    const c = this.count.value() + 1;
    this.count.update(c);
    if (this.payload !== undefined && c === 1) {
      // base64 of random bytes: a flat, distinct one-byte string of `payloadBytes` characters.
      this.payload.update(randomBytes(Math.ceil((this.payloadBytes * 3) / 4)).toString('base64').slice(0, this.payloadBytes));
    }
    out.collect([word, c]);
  }
}

/** Counts what it receives and reports; with a throttle, awaits a timer per 1,000 records to hold `rate` records/s. */
class ReportingSink extends RichSinkFunction<[string, number]> {
  private n = 0;
  private sub = 0;
  private att = 0;
  private lastReport = 0;
  private started = 0;

  constructor(private readonly reportMs: number, private readonly throttle: number) {
    super();
  }

  override open(ctx: RuntimeContext): void {
    this.sub = ctx.getIndexOfThisSubtask();
    this.att = ctx.getAttemptNumber();
  }

  invoke(): void | Promise<void> {
    const n = ++this.n;
    if (n === 1) {
      this.started = Date.now();
      this.lastReport = this.started;
      report({ e: 'first', sub: this.sub, att: this.att });
    }
    if ((n & 1023) === 0) {
      const now = Date.now();
      if (now - this.lastReport >= this.reportMs) {
        this.lastReport = now;
        report({ e: 'progress', sub: this.sub, att: this.att, n });
      }
    }
    if (this.throttle > 0 && n % 1000 === 0) {
      const due = this.started + (n / this.throttle) * 1000;
      const wait = due - Date.now();
      if (wait > 0) return new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

export default async function main(args: string[]): Promise<void> {
  const keys = option(args, 'keys', 100_000);
  const checkpointMs = option(args, 'checkpoint-ms', 0);
  const throttle = option(args, 'throttle', 0);
  const payload = option(args, 'payload', 0);
  const rate = option(args, 'rate', 0);
  const reportMs = option(args, 'report-ms', 500);

  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  if (checkpointMs > 0) {
    env.enableCheckpointing(checkpointMs);
    env.getCheckpointConfig().enableExternalizedCheckpoints(ExternalizedCheckpointCleanup.RETAIN_ON_CANCELLATION);
  }
  const table = wordsFor(keys);
  const source = new DataGeneratorSource<string>(
    (i) => table[((i % keys) * 7919) % keys]!,
    Number.MAX_SAFE_INTEGER,
    rate > 0 ? RateLimiterStrategy.perSecond(rate) : RateLimiterStrategy.noOp(),
  );
  env.fromSource(source, WatermarkStrategy.noWatermarks(), 'words').uid('words')
    .keyBy((w) => w)
    .flatMap(new Counter(payload)).uid('counter').name('counter')
    .addSink(new ReportingSink(reportMs, throttle)).uid('sink').name('sink');
  await env.execute('BenchKeyedCount');
}
