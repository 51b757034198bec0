import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { findConfigFile, parseConfigText } from './config-file.js';

describe('parseConfigText', () => {
  it('reads flat keys, keeping every scalar as text', () => {
    const { entries, warnings, notes } = parseConfigText(
      'jobmanager.rpc.port: 6123\ns3.access-key: 0123 # comment\nstate.savepoints.dir: "hdfs:///flink/savepoints"\n',
      'flink-conf.yaml',
    );
    assert.deepEqual([...entries], [
      ['jobmanager.rpc.port', '6123'],
      ['s3.access-key', '0123'],
      ['state.savepoints.dir', 'hdfs:///flink/savepoints'],
    ]);
    assert.deepEqual(warnings, []);
    assert.deepEqual(notes, []);
  });

  it('flattens nested maps with dots, also mixed with flat keys', () => {
    const { entries } = parseConfigText(
      'execution:\n  checkpointing:\n    interval: 10 s\n    dir: file:///tmp/chk\nstate.backend:\n  type: hashmap\nrest.port: 8082\n',
      'config.yaml',
    );
    assert.deepEqual(Object.fromEntries(entries), {
      'execution.checkpointing.interval': '10 s',
      'execution.checkpointing.dir': 'file:///tmp/chk',
      'state.backend.type': 'hashmap',
      'rest.port': '8082',
    });
  });

  it("falls back to Flink's line reader when the file is not YAML", () => {
    const text = [
      '# legacy file',
      'env.java.opts: -Dx=%y',
      'jobmanager.rpc.address: @host',
      'rest.port: 8081',
      'rest.port: 8082',
      'this line has no separator',
      'trailing.comment: value # comment',
    ].join('\n');
    const { entries, warnings, notes } = parseConfigText(text, 'flink-conf.yaml');
    assert.equal(entries.get('jobmanager.rpc.address'), '@host');
    assert.equal(entries.get('rest.port'), '8082');
    assert.equal(entries.get('trailing.comment'), 'value');
    assert.equal(entries.get('env.java.opts'), '-Dx=%y');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /flink-conf\.yaml:6: cannot read 'this line has no separator'/);
    assert.match(notes[0]!, /not valid YAML .*line by line/);
  });

  it('reads an empty or comment-only file as no entries', () => {
    assert.equal(parseConfigText('', 'f').entries.size, 0);
    assert.equal(parseConfigText('# nothing\n', 'f').entries.size, 0);
  });
});

describe('findConfigFile', () => {
  it('prefers flink-conf.yaml and falls back to config.yaml', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsflink-conf-'));
    try {
      assert.equal(findConfigFile(dir), undefined);
      writeFileSync(join(dir, 'config.yaml'), 'rest.port: 1\n');
      assert.equal(findConfigFile(dir), join(dir, 'config.yaml'));
      writeFileSync(join(dir, 'flink-conf.yaml'), 'rest.port: 2\n');
      assert.equal(findConfigFile(dir), join(dir, 'flink-conf.yaml'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
