/**
 * Transformations: the logical plan the DataStream API records (as Flink's
 * `Transformation`s). Operator transformations become operators; partition,
 * union and side-output transformations are *virtual*: they only shape the
 * edges between operators (see stream-graph.ts).
 */
import type { PartitionerKind } from './job-graph.js';
import type { AnyKeySelector, OperatorSpecBody } from './operator-spec.js';
import type { OutputTag } from '../functions/output-tag.js';
import { checkMaxParallelism, checkParallelism } from './parallelism.js';

/**
 * Flink's chaining strategies: 'always' chains with its input and its outputs,
 * 'head' (`startNewChain`) starts a chain but lets outputs chain to it, 'never'
 * (`disableChaining`) chains with nothing.
 */
export type ChainingStrategy = 'always' | 'head' | 'never';

/** Sources have no inputs and sinks no outputs; the role also prefixes the display name. */
export type OperatorRole = 'source' | 'operator' | 'sink';

export interface OperatorTransformationInit {
  /** Creation order within the environment; inputs always have smaller ids. */
  id: number;
  role: OperatorRole;
  inputs: readonly Transformation[];
  body: OperatorSpecBody;
  /** Base name, e.g. "Map" or the source name given by the user. */
  name: string;
  /** Non-parallel sources run with parallelism 1, and refuse any other. */
  nonParallel?: boolean;
}

/** A physical operator with its user-settable properties. */
export class OperatorTransformation {
  readonly type = 'operator' as const;
  readonly id: number;
  readonly role: OperatorRole;
  readonly inputs: readonly Transformation[];
  readonly body: OperatorSpecBody;
  readonly nonParallel: boolean;
  private baseName: string;
  private uidValue: string | undefined;
  private uidHashValue: string | undefined;
  private parallelismValue: number | undefined;
  private maxParallelismValue: number | undefined;
  private chaining: ChainingStrategy;

  constructor(init: OperatorTransformationInit) {
    this.id = init.id;
    this.role = init.role;
    this.inputs = init.inputs;
    this.body = init.body;
    this.baseName = init.name;
    this.nonParallel = init.nonParallel ?? false;
    this.chaining = init.role === 'source' ? 'head' : 'always';
  }

  /** The name shown in plans, vertex names and warnings: "Source: x", "Sink: x" or the operator's name. */
  get displayName(): string {
    if (this.role === 'source') return `Source: ${this.baseName}`;
    if (this.role === 'sink') return `Sink: ${this.baseName}`;
    return this.baseName;
  }

  get uid(): string | undefined { return this.uidValue; }
  get uidHash(): string | undefined { return this.uidHashValue; }
  /** The explicit parallelism, if set (the environment's default applies otherwise). */
  get parallelism(): number | undefined { return this.parallelismValue; }
  get maxParallelism(): number | undefined { return this.maxParallelismValue; }
  get chainingStrategy(): ChainingStrategy { return this.chaining; }

  setName(name: string): void {
    if (typeof name !== 'string' || name.length === 0) throw new Error('An operator name must be a non-empty string.');
    this.baseName = name;
  }

  setUid(uid: string): void {
    if (typeof uid !== 'string' || uid.length === 0) throw new Error('A uid must be a non-empty string.');
    this.uidValue = uid;
  }

  /** Sets the operator id directly: 32 hex chars, stored lowercase. */
  setUidHash(hash: string): void {
    if (typeof hash !== 'string' || !/^[0-9a-fA-F]{32}$/.test(hash)) {
      throw new Error(`setUidHash() needs 32 hexadecimal characters (an operator id such as fd72014d4c864993a2e5a9287b4a9c5d), got "${String(hash)}".`);
    }
    this.uidHashValue = hash.toLowerCase();
  }

  setParallelism(parallelism: number): void {
    checkParallelism(parallelism);
    if (this.nonParallel && parallelism !== 1) throw new Error('The parallelism of non parallel operator must be 1.');
    this.parallelismValue = parallelism;
  }

  setMaxParallelism(maxParallelism: number): void {
    this.maxParallelismValue = checkMaxParallelism(maxParallelism);
  }

  setChainingStrategy(strategy: ChainingStrategy): void {
    this.chaining = strategy;
  }
}

/** Virtual: the records of `input` reach the next operator through `partitioner` (keyBy, rebalance, ...). */
export class PartitionTransformation {
  readonly type = 'partition' as const;
  constructor(
    readonly input: Transformation,
    readonly partitioner: PartitionerKind,
    /** Set for 'hash' (keyBy). */
    readonly keySelector?: AnyKeySelector,
  ) {
    if (partitioner === 'hash' && keySelector === undefined) throw new Error('A hash partitioning needs a key selector.');
  }
}

/** Virtual: the records of all inputs reach the next operator as one stream. */
export class UnionTransformation {
  readonly type = 'union' as const;
  constructor(readonly inputs: readonly Transformation[]) {}
}

/** Virtual: the records an operator emitted to side output `tag`. */
export class SideOutputTransformation {
  readonly type = 'side-output' as const;
  constructor(readonly input: OperatorTransformation, readonly tag: OutputTag<unknown>) {}
}

export type Transformation =
  | OperatorTransformation
  | PartitionTransformation
  | UnionTransformation
  | SideOutputTransformation;
