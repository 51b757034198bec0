import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALL_OPTIONS, UNUSED_FLINK_KEYS, findOption, knownKeys } from './all-options.js';
import { CheckpointingOptions } from './options/checkpointing-options.js';
import { HeartbeatOptions } from './options/heartbeat-options.js';
import { JobManagerOptions } from './options/jobmanager-options.js';
import { RestartStrategyOptions } from './options/restart-strategy-options.js';
import { StateBackendOptions } from './options/state-backend-options.js';

describe('ALL_OPTIONS', () => {
  it('declares every key and alias exactly once', () => {
    const keys = ALL_OPTIONS.flatMap((o) => [o.key, ...o.deprecatedKeys]);
    assert.equal(new Set(keys).size, keys.length);
    for (const key of UNUSED_FLINK_KEYS) assert.equal(findOption(key), undefined, key);
    assert.equal(knownKeys().length, keys.length + UNUSED_FLINK_KEYS.length);
  });

  it('holds the keys, aliases and defaults of the design', () => {
    const expected: Array<[string, unknown, string[]]> = [
      ['jobmanager.rpc.address', 'localhost', []],
      ['jobmanager.rpc.port', 6123, []],
      ['rest.port', 8081, []],
      ['taskmanager.numberOfTaskSlots', 1, []],
      ['taskmanager.data.port', 0, []],
      ['parallelism.default', 1, []],
      ['pipeline.max-parallelism', undefined, []],
      ['state.backend.type', 'hashmap', ['state.backend']],
      ['execution.checkpointing.dir', undefined, ['state.checkpoints.dir', 'state.backend.fs.checkpointdir']],
      [
        'execution.checkpointing.savepoint-dir',
        undefined,
        ['state.savepoints.dir', 'savepoints.state.backend.fs.dir', 'savepoints.state.backend.fs.checkpointdir'],
      ],
      ['execution.checkpointing.num-retained', 1, ['state.checkpoints.num-retained']],
      ['execution.checkpointing.interval', undefined, []],
      ['execution.checkpointing.mode', 'EXACTLY_ONCE', []],
      ['execution.checkpointing.timeout', 600_000, []],
      ['execution.checkpointing.min-pause', 0, []],
      ['execution.checkpointing.max-concurrent-checkpoints', 1, []],
      ['execution.checkpointing.tolerable-failed-checkpoints', 0, []],
      ['execution.checkpointing.externalized-checkpoint-retention', 'NO_EXTERNALIZED_CHECKPOINTS', []],
      ['restart-strategy.type', undefined, ['restart-strategy']],
      ['restart-strategy.fixed-delay.attempts', undefined, []],
      ['restart-strategy.fixed-delay.delay', 1_000, []],
      ['heartbeat.interval', 1_000, []],
      ['heartbeat.timeout', 4_000, []],
      ['s3.request-checksum-calculation', 'WHEN_REQUIRED', []],
      ['s3.response-checksum-validation', 'WHEN_REQUIRED', []],
      ['fs.hdfs.webhdfs.port', 9870, []],
      ['savepoints.state.backend', undefined, []],
      ['env.log.dir', undefined, []],
      ['env.pid.dir', '/tmp', []],
    ];
    for (const [key, defaultValue, aliases] of expected) {
      const lookup = findOption(key);
      assert.ok(lookup && !lookup.deprecated, `${key} is declared`);
      assert.equal(lookup.option.defaultValue, defaultValue, key);
      assert.deepEqual(lookup.option.deprecatedKeys, aliases, key);
    }
    for (const key of ['s3.endpoint', 's3.path.style.access', 's3.access-key', 's3.secret-key', 's3.region',
      'fs.hdfs.webhdfs.address', 'fs.hdfs.user', 'jobmanager.bind-host', 'rest.address', 'rest.bind-address', 'taskmanager.host']) {
      assert.ok(findOption(key), key);
    }
  });

  it('finds an option by a deprecated name', () => {
    assert.deepEqual(findOption('state.backend'), { option: StateBackendOptions.STATE_BACKEND, deprecated: true });
    assert.equal(findOption('state.checkpoints.dir')?.option, CheckpointingOptions.CHECKPOINTS_DIRECTORY);
    assert.equal(findOption('restart-strategy')?.option, RestartStrategyOptions.TYPE);
  });

  it('gives every option a description and enum options their values', () => {
    for (const option of ALL_OPTIONS) {
      assert.ok(option.description.length > 10, option.key);
      if (option.type === 'enum') assert.ok((option.enumValues ?? []).length > 0, option.key);
    }
    assert.equal(CheckpointingOptions.INTERVAL.min, 10);
    assert.equal(CheckpointingOptions.MAX_RETAINED.min, 1);
    assert.equal(JobManagerOptions.BIND_HOST.defaultValue, undefined);
    assert.ok(HeartbeatOptions.TIMEOUT.defaultValue > HeartbeatOptions.INTERVAL.defaultValue);
  });
});
