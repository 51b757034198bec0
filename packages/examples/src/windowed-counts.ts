/**
 * Event-time windowed counts over a file with out-of-order timestamps
 * (the seed: windows give correct results after a restore only on event time).
 *
 * Input lines: `<key>,<timestamp ms>`. Output lines (FileSink, exactly once):
 * `<key>,<window start>,<window end>,<count>`; records later than the allowed
 * out-of-orderness go to the `late` side output (printed).
 *
 * Args: <input file or directory> <output dir> [out-of-orderness ms = 5000] [window ms = 10000]
 */
import {
  StreamExecutionEnvironment, WatermarkStrategy, TumblingEventTimeWindows, OutputTag, ProcessWindowFunction,
} from '@tsflink/api';
import type { Collector } from '@tsflink/api';
import { FileSink, FileSource } from '@tsflink/connectors';

type Event = [key: string, timestamp: number];

class CountWithWindow extends ProcessWindowFunction<number, string, string> {
  process(key: string, context: { window(): { getStart(): number; getEnd(): number } }, counts: Iterable<number>, out: Collector<string>): void {
    const [count] = counts;
    out.collect(`${key},${context.window().getStart()},${context.window().getEnd()},${count}`);
  }
}

export default async function main(args: string[]): Promise<void> {
  const [input, output] = [args[0], args[1]];
  if (!input || !output) throw new Error('Usage: windowed-counts <input> <output dir> [out-of-orderness ms] [window ms]');
  const outOfOrderness = Number(args[2] ?? 5000);
  const windowMs = Number(args[3] ?? 10_000);
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  env.enableCheckpointing(500);
  const late = new OutputTag<Event>('late');
  const strategy = WatermarkStrategy.forBoundedOutOfOrderness<Event>(outOfOrderness).withTimestampAssigner((e) => e[1]);
  const counts = env.fromSource(FileSource.lines(input), WatermarkStrategy.noWatermarks(), 'events').uid('events')
    .map((line: string): Event => { const [k, t] = line.split(','); return [k!, Number(t)]; }).uid('parse')
    .assignTimestampsAndWatermarks(strategy).uid('timestamps')
    .keyBy((e) => e[0])
    .window(TumblingEventTimeWindows.of(windowMs))
    .sideOutputLateData(late)
    .aggregate({ createAccumulator: () => 0, add: (_e: Event, n: number) => n + 1, getResult: (n: number) => n, merge: (a: number, b: number) => a + b },
      new CountWithWindow()).uid('window-counts');
  counts.sinkTo(FileSink.forRowFormat<string>(output).build()).uid('counts-sink');
  counts.getSideOutput(late).print('late');
  await env.execute('WindowedCounts');
}
