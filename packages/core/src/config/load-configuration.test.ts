import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ConfigurationError } from '../errors.js';
import { loadConfiguration } from './load-configuration.js';
import type { LoadConfigurationOptions } from './load-configuration.js';
import { CheckpointingOptions } from './options/checkpointing-options.js';
import { CoreOptions } from './options/core-options.js';
import { HeartbeatOptions } from './options/heartbeat-options.js';
import { JobManagerOptions } from './options/jobmanager-options.js';
import { LogOptions } from './options/log-options.js';
import { RestOptions } from './options/rest-options.js';
import { RestartStrategyOptions } from './options/restart-strategy-options.js';
import { StateBackendOptions } from './options/state-backend-options.js';
import { TaskManagerOptions } from './options/taskmanager-options.js';

const dirs: string[] = [];
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A fresh configuration directory holding the given files. */
function testdir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsflink-load-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** Loads `yaml` as flink-conf.yaml with an empty environment. */
function load(yaml: string, options: LoadConfigurationOptions = {}) {
  return loadConfiguration({ env: {}, confDir: testdir({ 'flink-conf.yaml': yaml }), ...options });
}

/** The ConfigurationError thrown by `fn`. */
function configurationError(fn: () => unknown): ConfigurationError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  assert.fail('expected a ConfigurationError');
}

/** The seed document's configuration (Flink 1.2/1.3 era), including its misspelt key. */
const SEED_CONFIG = `
# path to the externalized checkpoints
state.checkpoints.dir: file:///tmp/flink-backend/ext-checkpoints

# Supported backends: filesystem, <class-name-of-factory>
savepoints.state.backend: filesystem
savepoints.state.backend.fs.checkpointdir: file:///tmp/flink-backend/savepoints

# Default savepoint target directory
state.savepoints.dir: hdfs:///flink/savepoints

state.bachend.fs.checkpointdir: file:///tmp/flink-backend/checkpoints
`;

describe('loadConfiguration', () => {
  it('uses defaults only when no directory is given', () => {
    const loaded = loadConfiguration({ env: {} });
    assert.equal(loaded.confDir, undefined);
    assert.equal(loaded.file, undefined);
    assert.equal(loaded.config.toMap().size, 0);
    assert.equal(loaded.config.get(JobManagerOptions.RPC_ADDRESS), 'localhost');
    assert.deepEqual(loaded.warnings, []);
  });

  it('loads the seed configuration', () => {
    const { config, warnings, file } = load(SEED_CONFIG);
    assert.match(file!, /flink-conf\.yaml$/);
    assert.equal(config.getOptional(CheckpointingOptions.CHECKPOINTS_DIRECTORY), 'file:///tmp/flink-backend/ext-checkpoints');
    assert.equal(config.getOptional(CheckpointingOptions.SAVEPOINT_DIRECTORY), 'hdfs:///flink/savepoints');
    assert.equal(config.getOptional(CheckpointingOptions.SAVEPOINT_BACKEND), 'filesystem');
    assert.ok(warnings.includes("Config key 'state.checkpoints.dir' is deprecated; use 'execution.checkpointing.dir' instead."));
    assert.ok(warnings.includes("Config key 'state.savepoints.dir' is deprecated; use 'execution.checkpointing.savepoint-dir' instead."));
    assert.ok(
      warnings.includes(
        "Config key 'savepoints.state.backend.fs.checkpointdir' is deprecated and was ignored because 'state.savepoints.dir' is also set (use 'execution.checkpointing.savepoint-dir').",
      ),
    );
    const typo = warnings.find((w) => w.includes('state.bachend.fs.checkpointdir'));
    assert.match(typo!, /did you mean state\.backend\.fs\.checkpointdir\?/);
    assert.match(typo!, /the current key is execution\.checkpointing\.dir/);
    assert.equal(warnings.length, 4);
  });

  it('prefers the modern key over an alias and says the alias was ignored', () => {
    const { config, warnings } = load(
      'state.checkpoints.dir: file:///old\nexecution.checkpointing.dir: file:///new\nstate.backend.fs.checkpointdir: /older\n',
    );
    assert.equal(config.getOptional(CheckpointingOptions.CHECKPOINTS_DIRECTORY), 'file:///new');
    assert.deepEqual(warnings, [
      "Config key 'state.checkpoints.dir' is deprecated and was ignored because 'execution.checkpointing.dir' is also set.",
      "Config key 'state.backend.fs.checkpointdir' is deprecated and was ignored because 'execution.checkpointing.dir' is also set.",
    ]);
  });

  it('accepts aliases of every kind', () => {
    const { config } = load(
      'state.backend: hashmap\nstate.checkpoints.num-retained: 3\nrestart-strategy: fixeddelay\nsavepoints.state.backend.fs.dir: s3://bucket/sp\n',
    );
    assert.equal(config.get(StateBackendOptions.STATE_BACKEND), 'hashmap');
    assert.equal(config.get(CheckpointingOptions.MAX_RETAINED), 3);
    assert.equal(config.getOptional(RestartStrategyOptions.TYPE), 'fixed-delay');
    assert.equal(config.getOptional(CheckpointingOptions.SAVEPOINT_DIRECTORY), 's3://bucket/sp');
  });

  it('lets -D override the file, also across alias and modern key', () => {
    const { config, warnings } = load('rest.port: 8082\nexecution.checkpointing.dir: file:///from-file\n', {
      dynamicProperties: ['rest.port=9000', 'state.checkpoints.dir=/from-cli'],
    });
    assert.equal(config.get(RestOptions.PORT), 9000);
    assert.equal(config.getOptional(CheckpointingOptions.CHECKPOINTS_DIRECTORY), 'file:///from-cli');
    assert.deepEqual(warnings, ["Config key 'state.checkpoints.dir' (-D) is deprecated; use 'execution.checkpointing.dir' instead."]);
  });

  it('reads nested and flat YAML the same way', () => {
    const flat = load('execution.checkpointing.interval: 10 s\nexecution.checkpointing.mode: at_least_once\ntaskmanager.numberOfTaskSlots: 4\n');
    const nested = load(
      'execution:\n  checkpointing:\n    interval: 10 s\n    mode: at_least_once\ntaskmanager:\n  numberOfTaskSlots: 4\n',
    );
    for (const { config } of [flat, nested]) {
      assert.equal(config.getOptional(CheckpointingOptions.INTERVAL), 10_000);
      assert.equal(config.get(CheckpointingOptions.MODE), 'AT_LEAST_ONCE');
      assert.equal(config.get(TaskManagerOptions.NUM_TASK_SLOTS), 4);
    }
    assert.deepEqual(nested.config.toMap(), flat.config.toMap());
  });

  it("reads Flink's legacy line format when the file is not YAML", () => {
    const { config, notes } = load('jobmanager.rpc.address: @jm-host\nrest.port: 8082\nrest.port: 8083\n');
    assert.equal(config.get(JobManagerOptions.RPC_ADDRESS), '@jm-host');
    assert.equal(config.get(RestOptions.PORT), 8083);
    assert.ok(notes.some((n) => n.includes('line by line')));
  });

  it('reads config.yaml when there is no flink-conf.yaml', () => {
    const dir = testdir({ 'config.yaml': 'parallelism:\n  default: 3\n' });
    const { config, file } = loadConfiguration({ env: {}, confDir: dir });
    assert.equal(file, join(dir, 'config.yaml'));
    assert.equal(config.get(CoreOptions.DEFAULT_PARALLELISM), 3);
  });

  it('finds the directory through FLINK_CONF_DIR', () => {
    const dir = testdir({ 'flink-conf.yaml': 'jobmanager.rpc.port: 7123\n' });
    const loaded = loadConfiguration({ env: { FLINK_CONF_DIR: dir } });
    assert.equal(loaded.confDir, dir);
    assert.equal(loaded.config.get(JobManagerOptions.RPC_PORT), 7123);
    const explicit = loadConfiguration({ env: { FLINK_CONF_DIR: dir }, confDir: testdir({}) });
    assert.equal(explicit.config.get(JobManagerOptions.RPC_PORT), 6123);
    assert.ok(explicit.notes.some((n) => n.includes('using defaults')));
  });

  it('refuses a configuration directory that does not exist', () => {
    const error = configurationError(() => loadConfiguration({ env: { FLINK_CONF_DIR: '/nonexistent/tsflink-conf' } }));
    assert.match(error.problems[0]!, /'\/nonexistent\/tsflink-conf' \(FLINK_CONF_DIR\) does not exist/);
  });

  it('lets FLINK_LOG_DIR and FLINK_PID_DIR win over env.log.dir and env.pid.dir', () => {
    const yaml = 'env.log.dir: /var/log/flink\nenv.pid.dir: /var/run/flink\n';
    const fromFile = load(yaml);
    assert.equal(fromFile.config.getOptional(LogOptions.LOG_DIR), '/var/log/flink');
    const fromEnv = load(yaml, { env: { FLINK_LOG_DIR: '/logs', FLINK_PID_DIR: '/pids' } });
    assert.equal(fromEnv.config.getOptional(LogOptions.LOG_DIR), '/logs');
    assert.equal(fromEnv.config.get(LogOptions.PID_DIR), '/pids');
  });

  it('maps the legacy state backends to hashmap with a warning', () => {
    for (const legacy of ['jobmanager', 'filesystem']) {
      const { config, warnings } = load(`state.backend: ${legacy}\n`);
      assert.equal(config.get(StateBackendOptions.STATE_BACKEND), 'hashmap');
      assert.ok(warnings.some((w) => w.includes(`legacy value '${legacy}'`) && w.includes("using 'hashmap'")), legacy);
    }
  });

  it('carries on after savepoints.state.backend: jobmanager, with a warning', () => {
    const { warnings } = load('savepoints.state.backend: jobmanager\n');
    assert.deepEqual(warnings, [
      "Config key 'savepoints.state.backend' has legacy value 'jobmanager': savepoints are always written to files (state.savepoints.dir); in-memory savepoints are no longer possible.",
    ]);
  });

  it('notes common Flink keys that tsflink does not use, without warning', () => {
    const { warnings, notes } = load('jobmanager.memory.process.size: 1600m\ntaskmanager.memory.process.size: 1728m\n');
    assert.deepEqual(warnings, []);
    assert.ok(notes.includes("Config key 'jobmanager.memory.process.size' is not used by tsflink; ignored."));
    assert.ok(notes.includes("Config key 'taskmanager.memory.process.size' is not used by tsflink; ignored."));
  });

  it('warns about unknown keys, with a suggestion only when one is close', () => {
    const { warnings } = load('jobmanager.rpc.prot: 6123\nmetrics.reporters: prom\n');
    assert.deepEqual(warnings, [
      "Unknown config key 'jobmanager.rpc.prot' ignored; did you mean jobmanager.rpc.port?",
      "Unknown config key 'metrics.reporters' ignored.",
    ]);
  });

  it('warns about keys without a value', () => {
    const { config, warnings } = load('rest.port:\n');
    assert.equal(config.has(RestOptions.PORT), false);
    assert.deepEqual(warnings, ["Config key 'rest.port' has no value; ignored."]);
  });

  it('reports every invalid value at once, each naming key and value', () => {
    const error = configurationError(() =>
      load(
        [
          'jobmanager.rpc.port: 99999',
          'taskmanager.numberOfTaskSlots: 0',
          'execution.checkpointing.interval: 5 ms',
          'state.checkpoints.dir: checkpoints/relative',
          'heartbeat.timeout: soon',
          'execution.checkpointing.mode: sometimes',
        ].join('\n'),
        { dynamicProperties: ['rest.port=eighty', 'oops'] },
      ),
    );
    assert.deepEqual(error.problems, [
      "Invalid value '99999' for 'jobmanager.rpc.port': must be between 0 and 65535.",
      "Invalid value '0' for 'taskmanager.numberOfTaskSlots': must be at least 1.",
      "Invalid value '5 ms' for 'execution.checkpointing.interval': must be at least 10 ms.",
      "Invalid value 'checkpoints/relative' for 'state.checkpoints.dir': not a URI (scheme://...) or an absolute path.",
      "Invalid value 'soon' for 'heartbeat.timeout': expected a duration such as '500 ms', '10 s', '3 min' (a plain number is milliseconds).",
      "Invalid value 'sometimes' for 'execution.checkpointing.mode': expected one of EXACTLY_ONCE, AT_LEAST_ONCE.",
      "Invalid dynamic property '-D oops': expected key=value.",
      "Invalid value 'eighty' for 'rest.port' (-D): expected an integer.",
    ]);
    assert.match(error.message, /^Invalid configuration \(.*flink-conf\.yaml\) \(8 problems\):/);
    for (const problem of error.problems) assert.ok(error.message.includes(problem));
  });

  it('checks rules across keys', () => {
    const error = configurationError(() => load('heartbeat.interval: 5 s\nheartbeat.timeout: 2 s\n'));
    assert.deepEqual(error.problems, [
      "Invalid value '2 s' for 'heartbeat.timeout': must not be smaller than heartbeat.interval ('5 s').",
    ]);
    const ok = load('heartbeat.interval: 500ms\nheartbeat.timeout: 2s\n');
    assert.equal(ok.config.get(HeartbeatOptions.TIMEOUT), 2_000);
    assert.throws(() => load('parallelism.default: 300\npipeline.max-parallelism: 128\n'), /must not exceed pipeline\.max-parallelism/);
  });
});
