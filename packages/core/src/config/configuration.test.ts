import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigurationError } from '../errors.js';
import type { ConfigOptionWithDefault } from './config-option.js';
import { Configuration } from './configuration.js';
import { CheckpointingOptions } from './options/checkpointing-options.js';
import { JobManagerOptions } from './options/jobmanager-options.js';
import { RestOptions } from './options/rest-options.js';

describe('Configuration', () => {
  it('reads defaults until a value is set', () => {
    const config = new Configuration();
    assert.equal(config.get(JobManagerOptions.RPC_PORT), 6123);
    assert.equal(config.has(JobManagerOptions.RPC_PORT), false);
    config.set(JobManagerOptions.RPC_PORT, 7000);
    assert.equal(config.get(JobManagerOptions.RPC_PORT), 7000);
    assert.equal(config.has(JobManagerOptions.RPC_PORT), true);
    config.remove(JobManagerOptions.RPC_PORT);
    assert.equal(config.get(JobManagerOptions.RPC_PORT), 6123);
  });

  it('returns undefined for unset options without a default', () => {
    const config = new Configuration();
    assert.equal(config.getOptional(CheckpointingOptions.CHECKPOINTS_DIRECTORY), undefined);
    assert.equal(config.getOptional(RestOptions.PORT), 8081);
    config.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, 'file:///tmp/chk');
    assert.equal(config.getOptional(CheckpointingOptions.CHECKPOINTS_DIRECTORY), 'file:///tmp/chk');
  });

  it('refuses get on an option that has neither value nor default', () => {
    const forced = CheckpointingOptions.INTERVAL as unknown as ConfigOptionWithDefault<number>;
    assert.throws(() => new Configuration().get(forced), ConfigurationError);
  });

  it('lists set values and copies independently', () => {
    const config = new Configuration()
      .set(RestOptions.PORT, 9090)
      .set(CheckpointingOptions.TIMEOUT, 120_000);
    assert.deepEqual(config.toMap(), new Map<string, unknown>([['rest.port', 9090], ['execution.checkpointing.timeout', 120_000]]));
    assert.deepEqual(config.toDynamicProperties(), ['rest.port=9090', 'execution.checkpointing.timeout=2 min']);
    const copy = config.clone();
    copy.set(RestOptions.PORT, 1);
    assert.equal(config.get(RestOptions.PORT), 9090);
    assert.equal(copy.get(RestOptions.PORT), 1);
  });
});
