/** Where hdfs:// and webhdfs:// paths go (DESIGN.md section 7). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Configuration, HdfsOptions } from '@tsflink/core';
import { InvalidWebHdfsPathError, resolveWebHdfsConfig, resolveWebHdfsLocation } from '../src/index.js';

const defaults = resolveWebHdfsConfig(new Configuration().set(HdfsOptions.USER, 'alice'));

test('hdfs://host[:rpcPort]/path reaches host:<fs.hdfs.webhdfs.port>, default 9870', () => {
  assert.deepEqual(resolveWebHdfsLocation('hdfs://nn:8020/flink/checkpoints/', defaults),
    { base: 'hdfs://nn:8020', host: 'nn', port: 9870, path: '/flink/checkpoints' });
  assert.deepEqual(resolveWebHdfsLocation('hdfs://nn/a', resolveWebHdfsConfig(new Configuration().set(HdfsOptions.WEBHDFS_PORT, 50070))),
    { base: 'hdfs://nn', host: 'nn', port: 50070, path: '/a' });
});

test('fs.hdfs.webhdfs.address overrides host and port of hdfs:// paths, and allows hdfs:///path', () => {
  const config = resolveWebHdfsConfig(new Configuration().set(HdfsOptions.WEBHDFS_ADDRESS, 'gateway:14000'));
  assert.deepEqual(resolveWebHdfsLocation('hdfs://nn:8020/a', config), { base: 'hdfs://nn:8020', host: 'gateway', port: 14000, path: '/a' });
  assert.deepEqual(resolveWebHdfsLocation('hdfs:///a', config), { base: 'hdfs://', host: 'gateway', port: 14000, path: '/a' });
});

test('webhdfs://host:port/path names the endpoint directly', () => {
  const config = resolveWebHdfsConfig(new Configuration().set(HdfsOptions.WEBHDFS_ADDRESS, 'gateway:14000'));
  assert.deepEqual(resolveWebHdfsLocation('webhdfs://nn:9871/', config), { base: 'webhdfs://nn:9871', host: 'nn', port: 9871, path: '/' });
  assert.equal(resolveWebHdfsLocation('webhdfs://nn/x', defaults).port, 9870);
});

test('the user is fs.hdfs.user, else the process user; unusable paths are named', () => {
  assert.equal(defaults.user, 'alice');
  assert.ok(resolveWebHdfsConfig(new Configuration()).user.length > 0);
  assert.throws(() => resolveWebHdfsLocation('hdfs:///a', defaults), InvalidWebHdfsPathError);
  assert.throws(() => resolveWebHdfsLocation('s3://b/a', defaults), /Cannot use 's3:\/\/b\/a': expected hdfs:\/\/host\[:port\]\/path/);
});
