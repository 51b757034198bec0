import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, describe, it } from 'node:test';
import { createLogger, createSilentLogger } from './create-logger.js';
import type { ConsoleStream } from './create-logger.js';
import { currentHostname, currentUser, logFileName } from './log-file-name.js';

const dirs: string[] = [];
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsflink-log-'));
  dirs.push(dir);
  return dir;
}

function readLines(file: string): Array<Record<string, unknown>> {
  return readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** A stdout stand-in that records what is written. */
function captureStream(isTTY: boolean): { stream: ConsoleStream; text: () => string } {
  const stream = new PassThrough() as PassThrough & { isTTY?: boolean };
  stream.isTTY = isTTY;
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { stream, text: () => text };
}

describe('logFileName', () => {
  it("follows Flink's naming", () => {
    assert.equal(
      logFileName({ user: 'alice', role: 'taskexecutor', instance: 2, hostname: 'worker1' }),
      'flink-alice-taskexecutor-2-worker1.log',
    );
  });
});

describe('createLogger', () => {
  it('writes JSON lines with the bindings to a Flink-named file in the log dir', async () => {
    const logDir = join(tempDir(), 'log');
    const { logger, file, flush, close } = createLogger({
      role: 'standalonesession',
      logDir,
      bindings: { cluster: 'test' },
    });
    assert.equal(file, join(logDir, `flink-${currentUser()}-standalonesession-0-${currentHostname()}.log`));
    logger.info({ port: 6123 }, 'JobManager started');
    logger.child({ jobId: 'abc' }).warn('checkpoint declined');
    logger.debug('not written at info level');
    await close();
    const lines = readLines(file!);
    assert.equal(lines.length, 2);
    assert.deepEqual(
      { ...lines[0], time: undefined },
      {
        level: 'info', time: undefined, role: 'standalonesession', pid: process.pid, hostname: currentHostname(),
        cluster: 'test', port: 6123, msg: 'JobManager started',
      },
    );
    assert.match(String(lines[0]!['time']), /^\d{4}-\d\d-\d\dT/);
    assert.equal(lines[1]!['jobId'], 'abc');
    assert.equal(lines[1]!['level'], 'warn');
  });

  it('flush writes buffered lines synchronously', async () => {
    const { logger, file, flush, close } = createLogger({ role: 'taskexecutor', logDir: tempDir() });
    for (let i = 0; i < 10; i++) logger.info(`line ${i}`);
    flush();
    // The first line may still be in an asynchronous write; every later one was buffered and is now on disk.
    const written = readFileSync(file!, 'utf8');
    for (let i = 1; i < 10; i++) assert.ok(written.includes(`"msg":"line ${i}"`), `line ${i}`);
    await close();
    assert.equal(readLines(file!).length, 10);
  });

  it('uses an explicit log file, the instance number and the level', async () => {
    const dir = tempDir();
    const explicit = createLogger({ role: 'taskexecutor', logFile: join(dir, 'tm.log'), level: 'debug' });
    explicit.logger.debug('debug line');
    await explicit.close();
    assert.equal(explicit.file, join(dir, 'tm.log'));
    assert.equal(readLines(explicit.file!)[0]!['msg'], 'debug line');

    const second = createLogger({ role: 'taskexecutor', logDir: dir, instance: 1 });
    assert.match(second.file!, /-taskexecutor-1-/);
    await second.close();
  });

  it('also writes JSON to stdout in the foreground when stdout is not a terminal', async () => {
    const out = captureStream(false);
    const { logger, file, close } = createLogger({ role: 'taskexecutor', logDir: tempDir(), foreground: true, stdout: out.stream });
    logger.info('hello');
    await close();
    assert.equal(JSON.parse(out.text())['msg'], 'hello');
    assert.equal(readLines(file!)[0]!['msg'], 'hello');
  });

  it('writes pretty lines in the foreground on a terminal', async () => {
    const out = captureStream(true);
    const { logger, close } = createLogger({ role: 'taskexecutor', logDir: tempDir(), foreground: true, stdout: out.stream });
    logger.info('pretty hello');
    await new Promise((resolve) => setImmediate(resolve));
    assert.match(out.text(), /INFO.*pretty hello/);
    assert.throws(() => JSON.parse(out.text()));
    await close();
  });

  it('writes to stdout only when no file is named', () => {
    const out = captureStream(false);
    const { logger, file } = createLogger({ role: 'client', stdout: out.stream });
    logger.error('no file');
    assert.equal(file, undefined);
    assert.equal(JSON.parse(out.text())['role'], 'client');
  });
});

describe('createSilentLogger', () => {
  it('logs nothing', () => {
    const logger = createSilentLogger();
    assert.equal(logger.level, 'silent');
    assert.equal(logger.isLevelEnabled('fatal'), false);
  });
});
