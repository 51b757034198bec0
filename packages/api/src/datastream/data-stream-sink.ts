/** The end of a stream (Flink's `DataStreamSink`): configures the sink operator. */
import type { OperatorTransformation } from '../graph/transformation.js';

export class DataStreamSink<T> {
  /** Phantom field so sinks of different element types do not mix. */
  declare readonly __type?: T;

  /** @internal Created by `print`, `addSink` and `sinkTo`. */
  constructor(readonly transformation: OperatorTransformation) {}

  /** Sets the uid whose hash is the operator id; keep it stable to restore the sink's state. */
  uid(uid: string): this {
    this.transformation.setUid(uid);
    return this;
  }

  /** Sets the operator id directly (32 hex chars). */
  setUidHash(uidHash: string): this {
    this.transformation.setUidHash(uidHash);
    return this;
  }

  name(name: string): this {
    this.transformation.setName(name);
    return this;
  }

  setParallelism(parallelism: number): this {
    this.transformation.setParallelism(parallelism);
    return this;
  }

  setMaxParallelism(maxParallelism: number): this {
    this.transformation.setMaxParallelism(maxParallelism);
    return this;
  }

  /** Starts a new chain at this sink: it is not chained to its input. */
  startNewChain(): this {
    this.transformation.setChainingStrategy('head');
    return this;
  }

  /** The sink chains with nothing. */
  disableChaining(): this {
    this.transformation.setChainingStrategy('never');
    return this;
  }
}
