/**
 * An example job for the Docker setup (mounted at /jobs/app.ts in the client
 * container): an endless, rate-limited stream of numbers counted per key
 * (n % 10) in keyed state, printed as `key:count` by the TaskManagers (see
 * `docker compose logs taskmanager`). Checkpoints every 5 s, retained on
 * cancellation, so it can be savepointed, cancelled and resumed with `run -s`.
 *
 *   docker compose -f docker/docker-compose.yml run --rm client run -d /jobs/app.ts [records per second, default 10]
 */
import {
  ExternalizedCheckpointCleanup, RichFlatMapFunction, StreamExecutionEnvironment, ValueStateDescriptor, WatermarkStrategy,
} from '@tsflink/api';
import type { Collector, RuntimeContext, ValueState } from '@tsflink/api';
import { DataGeneratorSource, RateLimiterStrategy } from '@tsflink/connectors';

class CountPerKey extends RichFlatMapFunction<number, string> {
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

export default async function main(args: string[]): Promise<void> {
  const rate = args[0] === undefined ? 10 : Number(args[0]);
  if (!(rate > 0) || !Number.isFinite(rate)) throw new Error(`The rate (first argument) must be a positive number of records per second, got "${args[0]}".`);
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  env.enableCheckpointing(5000);
  env.getCheckpointConfig().enableExternalizedCheckpoints(ExternalizedCheckpointCleanup.RETAIN_ON_CANCELLATION);
  const numbers = new DataGeneratorSource((i: number) => i, Number.MAX_SAFE_INTEGER, RateLimiterStrategy.perSecond(rate));
  env.fromSource(numbers, WatermarkStrategy.noWatermarks(), 'numbers').uid('numbers')
    .rebalance()
    .keyBy((n) => n % 10)
    .flatMap(new CountPerKey()).uid('count-per-key')
    .print();
  await env.execute('DockerExample');
}
