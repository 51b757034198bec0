import { test } from 'node:test';
import assert from 'node:assert/strict';
import { baseName, displayPath, joinPath, normalizeUri, parentPath, schemeOf } from './uri.js';

test('uri helpers', () => {
  assert.equal(schemeOf('/tmp/a'), 'file');
  assert.equal(schemeOf('S3://b/k'), 's3');
  assert.equal(normalizeUri('/tmp/a/'), 'file:///tmp/a');
  assert.equal(normalizeUri('file:/tmp/a'), 'file:///tmp/a');
  assert.equal(normalizeUri('file:///tmp/a'), 'file:///tmp/a');
  assert.equal(normalizeUri('s3://bucket/p/'), 's3://bucket/p');
  assert.throws(() => normalizeUri('relative/x'), /not absolute/);
  assert.equal(joinPath('s3://b/base/', '/chk-1/', '_metadata'), 's3://b/base/chk-1/_metadata');
  assert.equal(baseName('file:///a/b/savepoint-1/'), 'savepoint-1');
  assert.equal(parentPath('hdfs://nn:8020/a/b'), 'hdfs://nn:8020/a');
  assert.equal(displayPath('file:///tmp/sp'), 'file:/tmp/sp');
});
