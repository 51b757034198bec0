import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { ChunkedStateWriter } from './chunked-state-writer.js';
import { crc32 } from './crc32.js';
import { MemoryStateOutputStream } from './memory-state-stream.js';

describe('ChunkedStateWriter', () => {
  it('frames blocks with their CRC and reports the CRC of the whole stream, with blocks spanning chunks', async () => {
    const sink = new MemoryStateOutputStream();
    const out = new ChunkedStateWriter(sink, 1000);
    const blocks: Array<{ start: number; payload: Buffer }> = [];
    out.writer.writeBytes(Buffer.from('header'));
    for (const size of [10, 2500, 0, 999, 1, 4000]) {
      const payload = randomBytes(size);
      const start = out.position;
      out.beginBlock();
      await out.writeBytes(payload);
      out.endBlock();
      out.writer.writeBytes(Buffer.from('gap')); // bytes between blocks count for the stream only
      blocks.push({ start, payload });
      if (out.full) await out.flush();
    }
    await out.close();
    const bytes = sink.toBuffer();
    assert.equal(out.position, bytes.length);
    assert.equal(out.checksum, crc32(bytes));
    for (const { start, payload } of blocks) {
      assert.deepEqual(bytes.subarray(start, start + payload.length), payload);
      assert.equal(bytes.readUInt32LE(start + payload.length), crc32(payload));
    }
    for (const size of sink.chunkSizes.slice(0, -1)) assert.ok(size >= 1000 && size <= 1000 + 4, `chunk of ${size} bytes`);
  });

  it('encodes the next chunk while the previous one is written, with at most one write in flight', async () => {
    const events: string[] = [];
    const finishers: Array<() => void> = [];
    let inFlight = 0;
    const sink = {
      write(chunk: Buffer) {
        inFlight++;
        assert.equal(inFlight, 1);
        events.push(`write ${chunk.length}`);
        return new Promise<void>((resolve) => finishers.push(() => {
          events.push('written');
          inFlight--;
          resolve();
        }));
      },
    };
    const out = new ChunkedStateWriter(sink, 100);
    out.writer.writeBytes(Buffer.alloc(100));
    await out.flush();
    events.push('encoding');
    out.writer.writeBytes(Buffer.alloc(50));
    const closed = out.close();
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(events, ['write 100', 'encoding'], 'the second chunk waits for the first write');
    finishers.shift()!();
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(events, ['write 100', 'encoding', 'written', 'write 50']);
    let done = false;
    void closed.then(() => { done = true; });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(done, false, 'close() waits for the last write');
    finishers.shift()!();
    await closed;
    assert.deepEqual(events, ['write 100', 'encoding', 'written', 'write 50', 'written']);
  });
});
