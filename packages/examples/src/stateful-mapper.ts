/**
 * The checkpointing example of DESIGN.md section 4 (the seed's pattern): an
 * endless, rate-limited generator feeding a keyed stateful mapper that counts
 * per key (n % 10) and prints `key:count`. Checkpoints every 5 s, retained on
 * cancellation, so the job can be cancelled and resumed with `flink run -s`.
 *
 *   flink run packages/examples/src/stateful-mapper.ts [records per second, default 1000]
 */
import {
  ExternalizedCheckpointCleanup, RichFlatMapFunction, StreamExecutionEnvironment, ValueStateDescriptor, WatermarkStrategy,
} from '@tsflink/api';
import type { Collector, RuntimeContext, ValueState } from '@tsflink/api';
import { DataGeneratorSource, RateLimiterStrategy } from '@tsflink/connectors';

/** Default records per second. */
export const DEFAULT_RATE = 1000;

export class StatefulMapper extends RichFlatMapFunction<number, string> {
  private count!: ValueState<number>;

  override open(ctx: RuntimeContext): void {
    this.count = ctx.getState(new ValueStateDescriptor<number>('count', 0));
  }

  flatMap(n: number, out: Collector<string>): void {
    const c = this.count.value() + 1;
    this.count.update(c);
    out.collect(`${n % 10}:${c}`);
  }
}

/** The rate from `args[0]` (records per second, > 0). */
export function parseRate(args: string[]): number {
  if (args[0] === undefined || args[0] === '') return DEFAULT_RATE;
  const rate = Number(args[0]);
  if (!(rate > 0) || !Number.isFinite(rate)) throw new Error(`The rate (first argument) must be a positive number of records per second, got "${args[0]}".`);
  return rate;
}

export default async function main(args: string[]): Promise<void> {
  const rate = parseRate(args);
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  env.enableCheckpointing(5000);
  env.getCheckpointConfig().enableExternalizedCheckpoints(ExternalizedCheckpointCleanup.RETAIN_ON_CANCELLATION);
  const numbers = new DataGeneratorSource((i: number) => i, Number.MAX_SAFE_INTEGER, RateLimiterStrategy.perSecond(rate));
  env.fromSource(numbers, WatermarkStrategy.noWatermarks(), 'numbers').uid('source')
    .rebalance()
    .keyBy((n) => n % 10)
    .flatMap(new StatefulMapper()).uid('stateful-mapper')
    .print();
  await env.execute('CheckpointExample');
}
