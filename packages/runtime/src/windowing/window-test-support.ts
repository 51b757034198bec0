/**
 * Shared by the window operator tests: the event type, a main that windows a
 * keyed stream of it, and starting a group of WindowOperators from such a main.
 */
import {
  StreamExecutionEnvironment,
  type DataStream, type KeyedStream, type WindowOperatorSpec,
} from '@tsflink/api';
import { ManualProcessingTimeScheduler } from './manual-processing-time-scheduler.js';
import { KeyedOperatorGroup, type GroupStarter, type OperatorCheckpoint } from './operator-test-harness.js';
import { WindowOperator } from './window-operator.js';

export interface Event {
  readonly key: string;
  readonly ts: number;
  readonly value: number;
}

export const ev = (key: string, ts: number, value = 1): Event => ({ key, ts, value });

/** A job reading events, keyed by `key`, with `windowing` building the window operator (and a print sink). */
export function windowJob(windowing: (keyed: KeyedStream<Event, string>) => Pick<DataStream<unknown>, 'print'>): () => Promise<void> {
  return async () => {
    const env = StreamExecutionEnvironment.getExecutionEnvironment();
    const keyed = env.fromElements<Event>(ev('a', 0)).keyBy((e) => e.key);
    windowing(keyed).print();
    await env.execute('window test');
  };
}

/** Starts (or restores) the window operator subtasks of `main`. */
export function windowStarter(main: () => Promise<void>): GroupStarter<WindowOperator> {
  return (parallelism: number, scheduler: ManualProcessingTimeScheduler, checkpoint?: OperatorCheckpoint) =>
    KeyedOperatorGroup.start<WindowOperatorSpec, WindowOperator>({
      main, kind: 'window', parallelism, scheduler, checkpoint,
      create: (ctx, spec, services) => new WindowOperator(ctx, spec, services),
    });
}

/** Sums the values of events (keeping key and the latest timestamp): the reduce function of several tests. */
export const sumEvents = (a: Event, b: Event): Event => ({ key: a.key, ts: Math.max(a.ts, b.ts), value: a.value + b.value });
