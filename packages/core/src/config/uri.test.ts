import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidArgumentError } from '../errors.js';
import { normalizeUri, tryNormalizeUri } from './uri.js';

describe('normalizeUri', () => {
  it('keeps URIs of every storage scheme', () => {
    assert.equal(normalizeUri('file:///tmp/flink-backend/ext-checkpoints'), 'file:///tmp/flink-backend/ext-checkpoints');
    assert.equal(normalizeUri('s3://bucket/p'), 's3://bucket/p');
    assert.equal(normalizeUri('hdfs://nn:8020/p'), 'hdfs://nn:8020/p');
    assert.equal(normalizeUri('webhdfs://h:9870/x'), 'webhdfs://h:9870/x');
  });

  it('accepts an hdfs URI without a host (the default namenode)', () => {
    assert.equal(normalizeUri('hdfs:///flink/savepoints'), 'hdfs:///flink/savepoints');
  });

  it('turns absolute paths and file:/x into file:///x, lowercasing the scheme', () => {
    assert.equal(normalizeUri('/tmp/x'), 'file:///tmp/x');
    assert.equal(normalizeUri('file:/tmp/x'), 'file:///tmp/x');
    assert.equal(normalizeUri('S3://bucket/savepoints'), 's3://bucket/savepoints');
  });

  it('rejects relative paths, missing paths and malformed authorities', () => {
    for (const bad of ['tmp/x', 'not a uri', 'C:\\flink', 'localhost:8020/x', 'hdfs://', 's3:///no-bucket', 'webhdfs://h:port/x', '']) {
      assert.ok('error' in tryNormalizeUri(bad), bad);
    }
    assert.throws(() => normalizeUri('relative/dir'), InvalidArgumentError);
  });
});
