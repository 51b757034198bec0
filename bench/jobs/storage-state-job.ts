/**
 * The job of bench/storage.ts: a fixed amount of keyed state that then sits still,
 * so that checkpoints, savepoints and restores move the same bytes every time.
 *
 *   KeyFiller (a generator source: emits each key `k0` … `k<K-1>` once, as fast as
 *   downstream takes them, then idles until cancelled; its position is operator
 *   state, so a restored job does not emit again)
 *   → keyBy(key) → PayloadState (ValueState<string> per key, set once to a random
 *   base64 string of `--payload` characters) → a sink that discards (nothing reaches it)
 *
 * Keyed state ≈ K × payload bytes (plus keys and per-entry framing). After the
 * source's last key nothing runs: no record flows, so a checkpoint's time is the
 * time to write the state, not to align barriers behind a backlog.
 *
 * Checkpointing: periodic with `--checkpoint-ms` (the first checkpoint is
 * triggered that long after every task runs), and `--min-pause-ms` after each
 * completed checkpoint or savepoint (default 1 h): with the defaults a job takes
 * exactly one periodic checkpoint, then only the savepoints it is asked for.
 * Completed checkpoints are retained on cancellation (the benchmark disposes of
 * them itself, outside the measured windows).
 *
 * The keyed function reports on the TaskManager's stdout:
 *
 *   TSFLINK_BENCH {"e":"open","sub":0,"att":0,"t":<Date.now()>}    after its keyed state was restored (open() runs after initializeState)
 *   TSFLINK_BENCH {"e":"fill","sub":0,"att":0,"n":<payloads set>,"t":…}   every 100 ms while the count changes
 *
 * Arguments (all optional, `--name value`):
 *   --keys K            distinct keys (default 32768)
 *   --payload B         characters of the payload string per key (default 1024)
 *   --checkpoint-ms N   checkpoint interval (default 3600000)
 *   --min-pause-ms N    minimum pause after a completed checkpoint/savepoint (default 3600000)
 */
import { randomBytes } from 'node:crypto';
import {
  ExternalizedCheckpointCleanup, ListStateDescriptor, RichFlatMapFunction, RichParallelSourceFunction,
  StreamExecutionEnvironment, ValueStateDescriptor,
} from '@tsflink/api';
import type {
  CheckpointedFunction, Collector, FunctionInitializationContext, ListState, RuntimeContext, SourceContext, ValueState,
} from '@tsflink/api';
import { option, report } from './bench-report.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Emits the keys of this subtask (k ≡ subtask mod parallelism) once each, then
 * idles. The next index to emit is its operator state.
 */
class KeyFiller extends RichParallelSourceFunction<string> implements CheckpointedFunction {
  private running = true;
  private next = 0;
  private position!: ListState<number>;

  constructor(private readonly keys: number) {
    super();
  }

  initializeState(context: FunctionInitializationContext): void {
    this.position = context.getOperatorStateStore().getListState(new ListStateDescriptor<number>('next-index'));
    if (context.isRestored()) for (const n of this.position.get()) this.next = Math.max(this.next, n);
  }

  snapshotState(): void {
    this.position.update([this.next]);
  }

  async run(ctx: SourceContext<string>): Promise<void> {
    const ctxInfo = this.getRuntimeContext();
    const sub = ctxInfo.getIndexOfThisSubtask();
    const p = ctxInfo.getNumberOfParallelSubtasks();
    if (this.next === 0) this.next = sub;
    let sinceYield = 0;
    while (this.running && this.next < this.keys) {
      // Position and collect in one synchronous block (the checkpoint lock).
      ctx.collect(`k${this.next}`);
      this.next += p;
      if (++sinceYield === 1024) {
        sinceYield = 0;
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
    while (this.running) await sleep(50);
  }

  cancel(): void {
    this.running = false;
  }
}

/** Sets a payload string once per key; emits nothing. */
class PayloadState extends RichFlatMapFunction<string, never> {
  private payload!: ValueState<string>;
  private filled = 0;
  private reported = 0;
  private timer?: NodeJS.Timeout;

  constructor(private readonly payloadBytes: number) {
    super();
  }

  override open(ctx: RuntimeContext): void {
    this.payload = ctx.getState(new ValueStateDescriptor<string>('payload'));
    const sub = ctx.getIndexOfThisSubtask();
    const att = ctx.getAttemptNumber();
    report({ e: 'open', sub, att });
    this.timer = setInterval(() => {
      if (this.filled === this.reported) return;
      this.reported = this.filled;
      report({ e: 'fill', sub, att, n: this.filled });
    }, 100);
    this.timer.unref();
  }

  flatMap(_key: string, _out: Collector<never>): void {
    if (this.payload.value() !== undefined) return;
    // base64 of random bytes: a flat, incompressible one-byte string of `payloadBytes` characters.
    this.payload.update(randomBytes(Math.ceil((this.payloadBytes * 3) / 4)).toString('base64').slice(0, this.payloadBytes));
    this.filled++;
  }

  override close(): void {
    if (this.timer) clearInterval(this.timer);
  }
}

export default async function main(args: string[]): Promise<void> {
  const keys = option(args, 'keys', 32_768);
  const payload = option(args, 'payload', 1024);
  const checkpointMs = option(args, 'checkpoint-ms', 3_600_000);
  const minPauseMs = option(args, 'min-pause-ms', 3_600_000);

  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  env.enableCheckpointing(Math.max(1, checkpointMs));
  const cc = env.getCheckpointConfig();
  cc.setMinPauseBetweenCheckpoints(minPauseMs);
  cc.setCheckpointTimeout(30 * 60_000);
  cc.enableExternalizedCheckpoints(ExternalizedCheckpointCleanup.RETAIN_ON_CANCELLATION);

  env.addSource(new KeyFiller(keys), 'keys').uid('keys')
    .keyBy((k) => k)
    .flatMap(new PayloadState(payload)).uid('state').name('state')
    .addSink(() => {}).uid('discard').name('discard');
  await env.execute('BenchStorageState');
}
