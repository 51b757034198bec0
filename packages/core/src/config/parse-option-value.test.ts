import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { enumOption, intOption, stringOption } from './config-option.js';
import { CheckpointingOptions } from './options/checkpointing-options.js';
import { HdfsOptions } from './options/hdfs-options.js';
import { JobManagerOptions } from './options/jobmanager-options.js';
import { RestartStrategyOptions } from './options/restart-strategy-options.js';
import { S3Options } from './options/s3-options.js';
import { StateBackendOptions } from './options/state-backend-options.js';
import { TaskManagerOptions } from './options/taskmanager-options.js';
import { formatOptionValue, parseOptionValue } from './parse-option-value.js';

describe('parseOptionValue', () => {
  it('parses ints, booleans, durations and URIs to their types', () => {
    assert.deepEqual(parseOptionValue(JobManagerOptions.RPC_PORT, '6124'), { value: 6124 });
    assert.deepEqual(parseOptionValue(S3Options.PATH_STYLE_ACCESS, 'TRUE'), { value: true });
    assert.deepEqual(parseOptionValue(CheckpointingOptions.INTERVAL, '5 s'), { value: 5000 });
    assert.deepEqual(parseOptionValue(CheckpointingOptions.CHECKPOINTS_DIRECTORY, '/data/chk'), { value: 'file:///data/chk' });
  });

  it('rejects values of the wrong type', () => {
    assert.deepEqual(parseOptionValue(JobManagerOptions.RPC_PORT, 'six'), { error: 'expected an integer' });
    assert.deepEqual(parseOptionValue(S3Options.PATH_STYLE_ACCESS, 'yes'), { error: 'expected true or false' });
    assert.ok('error' in parseOptionValue(CheckpointingOptions.TIMEOUT, 'a while'));
    assert.ok('error' in parseOptionValue(CheckpointingOptions.SAVEPOINT_DIRECTORY, 'savepoints'));
    assert.deepEqual(parseOptionValue(JobManagerOptions.RPC_ADDRESS, ['a', 'b']), { error: 'expected a single value' });
  });

  it('enforces ranges', () => {
    assert.deepEqual(parseOptionValue(JobManagerOptions.RPC_PORT, '70000'), { error: 'must be between 0 and 65535' });
    assert.deepEqual(parseOptionValue(TaskManagerOptions.NUM_TASK_SLOTS, '0'), { error: 'must be at least 1' });
    assert.deepEqual(parseOptionValue(CheckpointingOptions.INTERVAL, '5 ms'), { error: 'must be at least 10 ms' });
    assert.deepEqual(parseOptionValue(CheckpointingOptions.INTERVAL, '10 ms'), { value: 10 });
  });

  it('matches enum values case-insensitively and returns the canonical spelling', () => {
    assert.deepEqual(parseOptionValue(CheckpointingOptions.MODE, 'at_least_once'), { value: 'AT_LEAST_ONCE' });
    assert.deepEqual(parseOptionValue(CheckpointingOptions.MODE, 'sometimes'), {
      error: 'expected one of EXACTLY_ONCE, AT_LEAST_ONCE',
    });
  });

  it('normalises restart strategy spellings', () => {
    const expected: Record<string, string> = {
      none: 'none', off: 'none', disable: 'none', 'fixed-delay': 'fixed-delay', FixedDelay: 'fixed-delay',
      'exponential-delay': 'exponential-delay', 'failure-rate': 'failure-rate',
    };
    for (const [raw, value] of Object.entries(expected)) {
      assert.deepEqual(parseOptionValue(RestartStrategyOptions.TYPE, raw), { value }, raw);
    }
  });

  it('maps legacy state backend names to hashmap with a warning', () => {
    for (const legacy of ['jobmanager', 'filesystem', 'FileSystem']) {
      const result = parseOptionValue(StateBackendOptions.STATE_BACKEND, legacy);
      assert.ok('value' in result && result.value === 'hashmap' && result.warning?.includes('hashmap'), legacy);
    }
    assert.ok('error' in parseOptionValue(StateBackendOptions.STATE_BACKEND, 'rocksdb'));
  });

  it('applies an option-specific check', () => {
    assert.deepEqual(parseOptionValue(HdfsOptions.WEBHDFS_ADDRESS, 'namenode:9870'), { value: 'namenode:9870' });
    assert.deepEqual(parseOptionValue(HdfsOptions.WEBHDFS_ADDRESS, 'namenode'), { error: 'expected host:port' });
    assert.deepEqual(parseOptionValue(S3Options.ENDPOINT, 'http://localhost:9000'), { value: 'http://localhost:9000' });
    assert.ok('error' in parseOptionValue(S3Options.ENDPOINT, 'file:///tmp'));
  });

  it('formats values back into loadable text', () => {
    assert.equal(formatOptionValue(CheckpointingOptions.TIMEOUT, 600_000), '10 min');
    assert.equal(formatOptionValue(JobManagerOptions.RPC_PORT, 6123), '6123');
    const custom = enumOption('x.mode', ['A', 'B'], { description: 'test' });
    assert.equal(formatOptionValue(custom, 'B'), 'B');
  });

  it('declares options with frozen fields and typed defaults', () => {
    const port = intOption('x.port', { defaultValue: 1, min: 0, description: 'test' });
    assert.equal(port.defaultValue, 1);
    assert.deepEqual(port.deprecatedKeys, []);
    assert.ok(Object.isFrozen(port));
    assert.equal(stringOption('x.name', { description: 'test' }).defaultValue, undefined);
  });
});
