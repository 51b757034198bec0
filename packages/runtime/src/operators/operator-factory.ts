import type { OperatorSpec } from '@tsflink/api';
import type { OperatorContext } from './operator-context.js';
import type { StreamOperator } from './stream-operator.js';
import { FilterOperator, FlatMapOperator, MapOperator, ProcessOperator, ReduceOperator } from './udf-operators.js';
import { PrintOperator, SinkFunctionOperator, SinkWriterOperator } from './sink-operators.js';
import { SourceFunctionOperator, SourceOperator } from './source-operators.js';
import { TimestampsAndWatermarksOperator } from './timestamps-watermarks-operator.js';
import { KeyedProcessOperator } from '../windowing/keyed-process-operator.js';
import { WindowOperator } from '../windowing/window-operator.js';

/** Builds the runtime operator for a spec (one per operator id and subtask). */
export function createOperator(ctx: OperatorContext): StreamOperator {
  const spec: OperatorSpec = ctx.spec;
  switch (spec.kind) {
    case 'source': return new SourceOperator(ctx, spec.source, spec.watermarkStrategy);
    case 'source-function': return new SourceFunctionOperator(ctx, spec.userFunction);
    case 'map': return new MapOperator(ctx, spec.userFunction);
    case 'flatMap': return new FlatMapOperator(ctx, spec.userFunction);
    case 'filter': return new FilterOperator(ctx, spec.userFunction);
    case 'process': return new ProcessOperator(ctx, spec.userFunction);
    case 'keyedProcess': return new KeyedProcessOperator(ctx, spec, ctx);
    case 'reduce': return new ReduceOperator(ctx, spec.userFunction);
    case 'timestamps-watermarks': return new TimestampsAndWatermarksOperator(ctx, spec.watermarkStrategy);
    case 'sink-function': return new SinkFunctionOperator(ctx, spec.userFunction);
    case 'sink': return new SinkWriterOperator(ctx, spec.sink);
    case 'print': return new PrintOperator(ctx, spec.sinkIdentifier, spec.target);
    case 'window': return new WindowOperator(ctx, spec, ctx);
  }
}
