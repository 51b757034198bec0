/**
 * Sources that need I/O (files, sockets) live in `@tsflink/connectors`, which
 * depends on the API and not the reverse. The connectors package registers
 * their factories here when it is imported; `env.readTextFile` and
 * `env.socketTextStream` look them up. The CLI and the TaskManagers import the
 * connectors, so job files need not. (`fromElements`/`fromSequence` need no I/O:
 * their sources live in this package.)
 */
import type { SourceFunction } from '../functions/source-function.js';
import type { Source, SourceSplit } from '../source/source.js';

/** A built-in source may be split-based or a legacy SourceFunction. */
export type BuiltinSource<T> = Source<T, SourceSplit> | SourceFunction<T>;

export interface BuiltinSourceFactories {
  /** Backs `env.readTextFile(path, charsetName)`: the file's lines, bounded. */
  readTextFile?: (path: string, charsetName: string) => BuiltinSource<string>;
  /** Backs `env.socketTextStream(...)`: text split at `delimiter`, read by one subtask. */
  socketTextStream?: (hostname: string, port: number, delimiter: string, maxRetry: number) => BuiltinSource<string>;
}

const factories: BuiltinSourceFactories = {};

/** Registers (or replaces) built-in source factories; called by `@tsflink/connectors` at import. */
export function registerBuiltinSources(registration: BuiltinSourceFactories): void {
  Object.assign(factories, registration);
}

/** @throws Error telling to import '@tsflink/connectors' when the factory is missing. */
export function builtinSourceFactory<K extends keyof BuiltinSourceFactories>(name: K): NonNullable<BuiltinSourceFactories[K]> {
  const factory = factories[name];
  if (factory === undefined) {
    throw new Error(`env.${name}() needs the built-in connectors: import '@tsflink/connectors' to use ${name}.`);
  }
  return factory as NonNullable<BuiltinSourceFactories[K]>;
}
