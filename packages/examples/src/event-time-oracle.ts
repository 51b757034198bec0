/**
 * The event-time oracle: a deterministic job over out-of-order events whose
 * exact output is known, for crash and rescale tests of windows and timers.
 * A failure-free run writes exactly `expectedEventTimeOracleOutput(N, K)`;
 * after crashes, restores and rescaling the committed FileSink files must hold
 * the very same lines, each once.
 *
 *   flink run [-p <parallelism>] packages/examples/src/event-time-oracle.ts \
 *     <N> <records/s, 0 = unlimited> <K keys> <output dir> <checkpoint interval ms>
 *
 * Event `i` (0 ≤ i < N) is `[k<i % K>, i·10 + jitter(i), i]`, the jitter a
 * pure hash of `i` below 700 ms, so timestamps are out of order by up to
 * 690 ms. Three branches read the events, all into one exactly-once FileSink:
 * - `tumble,<key>,<start>,<end>,<count>,<sum of i>`: 1 s tumbling event-time
 *   windows (aggregate + ProcessWindowFunction);
 * - `timer,<key>,<bucket start>,<count>`: a KeyedProcessFunction counting each
 *   500 ms bucket in MapState, emitted and cleared by an event-time timer at
 *   the bucket's end, so timers are pending at every moment;
 * - `session,<key>,<start>,<end>,<count>,<sum of i>`: session windows (gap
 *   2 s) over the events of three session keys `s<i % 3>`, each silent for
 *   500 indexes (5 s) in every 1500, so sessions of about 10 s merge and close.
 *
 * No record is ever late, by construction: the source has parallelism 1 (a
 * reader holding several splits would interleave event times arbitrarily, and
 * with per-subtask watermarks make records late after a rescale), so records
 * arrive in index order; the watermark after event i-1 is at most
 * (i-1)·10 + 699 - 1000 - 1, below event i's timestamp ≥ i·10. Late records
 * would appear as `late,...` lines (window side outputs, and the process
 * function's own check), which the expected output never contains.
 */
import {
  CheckpointingMode, EventTimeSessionWindows, KeyedProcessFunction, MapStateDescriptor, OutputTag,
  ProcessWindowFunction, StreamExecutionEnvironment, TumblingEventTimeWindows, WatermarkStrategy,
} from '@tsflink/api';
import type {
  AggregateFunction, Collector, KeyedProcessFunctionContext, MapState, OnTimerContext, ProcessWindowFunctionContext, RuntimeContext,
} from '@tsflink/api';
import { DataGeneratorSource, FileSink, RateLimiterStrategy } from '@tsflink/connectors';

/** One event: its key, event timestamp (ms) and index. */
export type OracleEvent = [key: string, timestamp: number, index: number];

/** The fixed shape of the oracle's event time (all in ms). */
export const EVENT_TIME_ORACLE = {
  /** Event time between consecutive indexes. */
  stepMs: 10,
  /** Jitter added to each timestamp: 0 .. maxJitterMs - 1. */
  maxJitterMs: 700,
  /** The watermark strategy's bound (above maxJitterMs, so nothing is late). */
  outOfOrdernessMs: 1000,
  windowMs: 1000,
  timerBucketMs: 500,
  sessionGapMs: 2000,
  sessionKeys: 3,
  /** A session key is silent for this many consecutive indexes in every sessionKeys × sessionPhase. */
  sessionPhase: 500,
} as const;

export const EVENT_TIME_ORACLE_USAGE = 'event-time-oracle <N> <records/s (0 = unlimited)> <keys> <output dir> <checkpoint interval ms>';

export interface EventTimeOracleSettings {
  readonly count: number;
  readonly ratePerSecond: number;
  readonly keys: number;
  readonly outputPath: string;
  readonly checkpointIntervalMs: number;
}

/** Reads the job's arguments (see EVENT_TIME_ORACLE_USAGE); all are required. */
export function parseEventTimeOracleArgs(args: string[]): EventTimeOracleSettings {
  const [count, rate, keys, outputPath, interval] = args;
  const numbers = [count, rate, keys, interval].map(Number);
  if (outputPath === undefined || outputPath === '' || numbers.some((x) => !Number.isSafeInteger(x) || x < 0) || numbers[2]! < 1 || numbers[3]! < 10) {
    throw new Error(`Invalid arguments ${JSON.stringify(args)}. Usage: ${EVENT_TIME_ORACLE_USAGE}`);
  }
  return { count: numbers[0]!, ratePerSecond: numbers[1]!, keys: numbers[2]!, outputPath, checkpointIntervalMs: numbers[3]! };
}

/** A pure 32-bit mix of the index (murmur3's finalizer). */
function mix(index: number): number {
  let h = Math.imul(index ^ (index >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The event at `index`. */
export function eventTimeOracleEvent(index: number, keys: number): OracleEvent {
  const { stepMs, maxJitterMs } = EVENT_TIME_ORACLE;
  return [`k${index % keys}`, index * stepMs + (mix(index) % maxJitterMs), index];
}

/** Whether event `index` takes part in the session branch, and under which session key. */
export function sessionKeyOf(index: number): string | undefined {
  const { sessionKeys, sessionPhase } = EVENT_TIME_ORACLE;
  const key = index % sessionKeys;
  return Math.floor(index / sessionPhase) % sessionKeys === key ? undefined : `s${key}`;
}

type CountSum = [count: number, sum: number];

const COUNT_AND_SUM: AggregateFunction<OracleEvent, CountSum, CountSum> = {
  createAccumulator: () => [0, 0],
  add: (e, [count, sum]) => [count + 1, sum + e[2]],
  getResult: (acc) => acc,
  merge: (a, b) => [a[0] + b[0], a[1] + b[1]],
};

/** Formats an aggregated window as `<kind>,<key>,<start>,<end>,<count>,<sum>`. */
class WindowLine extends ProcessWindowFunction<CountSum, string, string> {
  constructor(private readonly kind: string) {
    super();
  }

  process(key: string, context: ProcessWindowFunctionContext, results: Iterable<CountSum>, out: Collector<string>): void {
    const [[count, sum]] = results;
    out.collect(`${this.kind},${key},${context.window().getStart()},${context.window().getEnd()},${count},${sum}`);
  }
}

/** Session windows keep their elements (no pre-aggregation), so merged sessions carry element lists. */
class SessionLine extends ProcessWindowFunction<OracleEvent, string, string> {
  process(key: string, context: ProcessWindowFunctionContext, events: Iterable<OracleEvent>, out: Collector<string>): void {
    let count = 0;
    let sum = 0;
    for (const e of events) { count++; sum += e[2]; }
    out.collect(`session,${key},${context.window().getStart()},${context.window().getEnd()},${count},${sum}`);
  }
}

/** Counts each key's events per bucket; an event-time timer at the bucket's last ms emits and clears the count. */
export class BucketTimers extends KeyedProcessFunction<string, OracleEvent, string> {
  private counts!: MapState<number, number>;

  override open(ctx: RuntimeContext): void {
    this.counts = ctx.getMapState(new MapStateDescriptor<number, number>('bucket-counts'));
  }

  processElement(e: OracleEvent, ctx: KeyedProcessFunctionContext<string>, out: Collector<string>): void {
    if (e[1] <= ctx.timerService().currentWatermark()) {
      out.collect(`late,timers,${e[0]},${e[1]}`);
      return;
    }
    const bucket = e[1] - (e[1] % EVENT_TIME_ORACLE.timerBucketMs);
    this.counts.put(bucket, (this.counts.get(bucket) ?? 0) + 1);
    ctx.timerService().registerEventTimeTimer(bucket + EVENT_TIME_ORACLE.timerBucketMs - 1);
  }

  override onTimer(timestamp: number, ctx: OnTimerContext<string>, out: Collector<string>): void {
    const bucket = timestamp + 1 - EVENT_TIME_ORACLE.timerBucketMs;
    out.collect(`timer,${ctx.getCurrentKey()},${bucket},${this.counts.get(bucket) ?? 0}`);
    this.counts.remove(bucket);
  }
}

/** The exact lines of a failure-free run (sorted). */
export function expectedEventTimeOracleOutput(n: number, keys: number): string[] {
  const { windowMs, timerBucketMs, sessionGapMs } = EVENT_TIME_ORACLE;
  const windows = new Map<string, CountSum>();
  const buckets = new Map<string, number>();
  const sessionEvents = new Map<string, Array<[timestamp: number, index: number]>>();
  for (let i = 0; i < n; i++) {
    const [key, ts] = eventTimeOracleEvent(i, keys);
    const start = ts - (ts % windowMs);
    const window = `tumble,${key},${start},${start + windowMs}`;
    const acc = windows.get(window) ?? [0, 0];
    windows.set(window, [acc[0] + 1, acc[1] + i]);
    const bucket = `timer,${key},${ts - (ts % timerBucketMs)}`;
    buckets.set(bucket, (buckets.get(bucket) ?? 0) + 1);
    const sessionKey = sessionKeyOf(i);
    if (sessionKey !== undefined) {
      let list = sessionEvents.get(sessionKey);
      if (list === undefined) sessionEvents.set(sessionKey, (list = []));
      list.push([ts, i]);
    }
  }
  const lines = [...windows].map(([w, [count, sum]]) => `${w},${count},${sum}`);
  for (const [bucket, count] of buckets) lines.push(`${bucket},${count}`);
  // A session is a run of a key's timestamps with gaps ≤ the session gap (inclusive, as TimeWindow.intersects);
  // by construction gaps are below 730 ms inside a run and above 4300 ms between runs.
  for (const [key, list] of sessionEvents) {
    list.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let first = 0;
    for (let j = 1; j <= list.length; j++) {
      if (j < list.length && list[j]![0] - list[j - 1]![0] <= sessionGapMs) continue;
      const run = list.slice(first, j);
      lines.push(`session,${key},${run[0]![0]},${run[run.length - 1]![0] + sessionGapMs},${run.length},${run.reduce((s, e) => s + e[1], 0)}`);
      first = j;
    }
  }
  return lines.sort();
}

/** How committed lines differ from the expected ones, as multisets (a duplicate is an unexpected extra copy). */
export interface EventTimeOracleVerification {
  readonly ok: boolean;
  readonly missing: string[];
  readonly unexpected: string[];
}

export function verifyEventTimeOracleOutput(lines: Iterable<string>, n: number, keys: number): EventTimeOracleVerification {
  const remaining = new Map<string, number>();
  for (const line of expectedEventTimeOracleOutput(n, keys)) remaining.set(line, (remaining.get(line) ?? 0) + 1);
  const unexpected: string[] = [];
  for (const line of lines) {
    const left = remaining.get(line) ?? 0;
    if (left === 0) unexpected.push(line);
    else remaining.set(line, left - 1);
  }
  const missing = [...remaining].filter(([, left]) => left > 0).map(([line]) => line);
  return { ok: missing.length === 0 && unexpected.length === 0, missing, unexpected };
}

export default async function main(args: string[]): Promise<void> {
  const settings = parseEventTimeOracleArgs(args);
  const { keys } = settings;
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  env.enableCheckpointing(settings.checkpointIntervalMs, CheckpointingMode.EXACTLY_ONCE);

  const rate = settings.ratePerSecond === 0 ? RateLimiterStrategy.noOp() : RateLimiterStrategy.perSecond(settings.ratePerSecond);
  const strategy = WatermarkStrategy.forBoundedOutOfOrderness<OracleEvent>(EVENT_TIME_ORACLE.outOfOrdernessMs).withTimestampAssigner((e) => e[1]);
  // Parallelism 1 whatever -p says: records stay in index order (see the file comment).
  const events = env.fromSource(new DataGeneratorSource((i) => eventTimeOracleEvent(i, keys), settings.count, rate), strategy, 'events')
    .uid('events').setParallelism(1);

  const lateTumbling = new OutputTag<OracleEvent>('late-tumbling');
  const tumbling = events.keyBy((e) => e[0])
    .window(TumblingEventTimeWindows.of(EVENT_TIME_ORACLE.windowMs))
    .sideOutputLateData(lateTumbling)
    .aggregate(COUNT_AND_SUM, new WindowLine('tumble')).uid('tumbling-windows').name('tumbling-windows');

  const timers = events.keyBy((e) => e[0]).process(new BucketTimers()).uid('bucket-timers').name('bucket-timers');

  const lateSessions = new OutputTag<OracleEvent>('late-sessions');
  const sessions = events.filter((e) => sessionKeyOf(e[2]) !== undefined).uid('session-events').name('session-events').setParallelism(1)
    .keyBy((e) => sessionKeyOf(e[2])!)
    .window(EventTimeSessionWindows.withGap(EVENT_TIME_ORACLE.sessionGapMs))
    .sideOutputLateData(lateSessions)
    .process(new SessionLine()).uid('session-windows').name('session-windows');

  const late = tumbling.getSideOutput(lateTumbling).union(sessions.getSideOutput(lateSessions))
    .map((e) => `late,windows,${e[0]},${e[1]}`).uid('late-lines');

  tumbling.union(timers, sessions, late)
    .sinkTo(FileSink.forRowFormat<string>(settings.outputPath).build()).uid('oracle-sink').name('oracle-sink');

  await env.execute('EventTimeOracle');
}
