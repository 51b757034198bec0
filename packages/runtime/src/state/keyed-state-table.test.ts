import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValueReader } from '../serialization/value-reader.js';
import type { EncodedKeys } from './encoded-keys.js';
import type { StateKeyRef, StateMapKey } from './key-context.js';
import { KeyedStateSectionEncoder } from './keyed-state-section.js';
import type { EncodedSection, SectionEncodingBound } from './keyed-state-section.js';
import type { StateEntry } from './state-entry.js';
import { KeyedStateTable, SERIALIZE_ON_WRITE_BOUND } from './keyed-state-table.js';

/** The entries of a value-kind section, decoded (all keys, then all values). */
function decodeSection(section: EncodedSection): Array<[unknown, unknown]> {
  const reader = new ValueReader(Buffer.concat([section.keys, section.values]));
  const count = reader.readVarUint();
  const keys = Array.from({ length: count }, () => reader.readValue());
  const entries = keys.map((key): [unknown, unknown] => [key, reader.readValue()]);
  assert.equal(reader.remaining, 0);
  return entries;
}

/** Counts the encodings it is asked for. */
class CountingEncoder extends KeyedStateSectionEncoder {
  calls = 0;
  override encode(kind: 'value', group: readonly StateEntry[], bound: SectionEncodingBound, keys?: EncodedKeys): EncodedSection | undefined {
    this.calls++;
    return super.encode(kind, group, bound, keys);
  }
}

/** The key `key` of key group `group`, as a table is asked about it. */
function at(group: number, key: StateMapKey): StateKeyRef {
  return { mapKey: key, keyGroupIndex: () => group };
}

/** The entries of a group as [key, value] pairs. */
function pairs(entries: readonly StateEntry[] | undefined): Array<[StateMapKey, unknown]> {
  return (entries ?? []).map((e) => [e.key, e.value]);
}

function tableWith(entries: Array<[number, StateMapKey, unknown]>, encoder = new KeyedStateSectionEncoder()): KeyedStateTable {
  const table = new KeyedStateTable('t', 'value', 4, encoder);
  for (const [group, key, value] of entries) table.set(at(group, key), value);
  return table;
}

describe('KeyedStateTable (serialize-on-write)', () => {
  it('encodes a pinned group once on the first write, for every capture waiting for it, and the write goes to the same map', () => {
    const table = tableWith([[0, 'a', 1], [0, 'b', 2], [1, 'c', 3]]);
    const live = table.entriesOf(0);
    const first = table.capture();
    const second = table.capture();
    table.set(at(0, 'a'), 10);
    assert.equal(table.keyGroupEncodes, 1);
    assert.equal(table.keyGroupCopies, 0);
    assert.equal(table.entriesOf(0), live, 'no copy: the live entries are the same');
    const section = first.takeSection(0)!;
    assert.equal(second.takeSection(0), section, 'both captures share one encoding');
    assert.deepEqual(decodeSection(section), [['a', 1], ['b', 2]], 'the bytes hold the state before the write');
    assert.equal(first.pending[0], undefined);
    table.set(at(0, 'b'), 20);
    assert.equal(table.keyGroupEncodes, 1, 'a group is encoded once per snapshot');
    assert.equal(first.pending[1], table.entriesOf(1), 'untouched groups stay pinned');
    assert.equal(first.hasEntries(2), false, 'empty groups are not captured');
  });

  it('a capture taken after a write encodes the new content; the earlier capture keeps its bytes', () => {
    const table = tableWith([[0, 'a', 1]]);
    const first = table.capture();
    table.set(at(0, 'a'), 2);
    const second = table.capture();
    table.set(at(0, 'a'), 3);
    assert.equal(table.keyGroupEncodes, 2);
    assert.deepEqual(decodeSection(first.takeSection(0)!), [['a', 1]]);
    assert.deepEqual(decodeSection(second.takeSection(0)!), [['a', 2]]);
    assert.equal(table.peek(at(0, 'a')), 3);
  });

  it('a released capture stops pinning, without disturbing another one', () => {
    const table = tableWith([[0, 'a', 1], [1, 'b', 2]]);
    const dropped = table.capture();
    const kept = table.capture();
    table.release(dropped);
    table.release(dropped);
    assert.equal(dropped.hasEntries(0), false);
    table.set(at(0, 'a'), 5);
    assert.equal(table.keyGroupEncodes, 1, 'still encoded for the capture that is kept');
    assert.deepEqual(decodeSection(kept.takeSection(0)!), [['a', 1]]);
    table.release(kept);
    table.set(at(1, 'b'), 6);
    table.set(at(0, 'a'), 7);
    assert.equal(table.keyGroupEncodes, 1, 'nothing pinned any more');
  });

  it('hands a mutable object to a reader only after encoding its group, then the same object', () => {
    const stored = { n: 1 };
    const table = tableWith([[0, 'k', stored]]);
    const capture = table.capture();
    const read = table.read(at(0, 'k')) as { n: number };
    assert.equal(read, stored, 'no copy');
    read.n = 99;
    assert.deepEqual(decodeSection(capture.takeSection(0)!), [['k', { n: 1 }]]);
    assert.equal(table.read(at(0, 'k')), stored);
  });

  it('copies a group instead when encoding it would pass the bound, and then predicts that without trying again', () => {
    const encoder = new CountingEncoder();
    const big = 'x'.repeat(1024);
    const entries = Array.from({ length: 1500 }, (_, i): [number, StateMapKey, unknown] => [0, `k${i}`, big]);
    const table = tableWith(entries, encoder);
    const original = table.entriesOf(0);
    const capture = table.capture();
    table.set(at(0, 'k0'), 'changed');
    assert.equal(table.keyGroupCopies, 1);
    assert.equal(table.keyGroupEncodes, 0);
    assert.equal(encoder.calls, 1, 'tried, and gave up past the bound');
    assert.equal(capture.pending[0], original, 'the capture keeps the original map');
    assert.equal(original![0]!.value, big, 'which nothing changes any more');
    assert.equal(table.peek(at(0, 'k0')), 'changed');
    assert.notEqual(table.entriesOf(0), original);
    table.release(capture);

    const again = table.capture();
    table.set(at(0, 'k1'), 'changed');
    assert.equal(table.keyGroupCopies, 2);
    assert.equal(encoder.calls, 1, 'the size of the last attempt predicts the outcome');
    table.release(again);
  });

  it('encodes a large group of small entries whatever its size (cheaper than copying it)', () => {
    const entries = Array.from({ length: 200_000 }, (_, i): [number, StateMapKey, unknown] => [0, i, i]);
    const table = tableWith(entries);
    const capture = table.capture();
    table.set(at(0, 1), -1);
    assert.equal(table.keyGroupEncodes, 1);
    assert.equal(table.keyGroupCopies, 0);
    const section = capture.takeSection(0)!;
    const bytes = section.keys.length + section.values.length;
    assert.ok(bytes > SERIALIZE_ON_WRITE_BOUND.maxBytes, `${bytes} bytes`);
    assert.deepEqual(decodeSection(section).slice(0, 3), [[0, 0], [1, 1], [2, 2]]);
  });

  it('lets the writer encode a group in one go only up to 1 MiB; a larger one it streams', () => {
    const encoder = new CountingEncoder();
    const entries = Array.from({ length: 200_000 }, (_, i): [number, StateMapKey, unknown] => [0, i, i]);
    entries.push([1, 'small', 1]);
    const table = tableWith(entries, encoder);
    const capture = table.capture();
    assert.equal(table.encodePending(capture, 0), false, 'tried, and gave up past 1 MiB');
    assert.equal(encoder.calls, 1);
    assert.equal(capture.sections[0], undefined);
    assert.equal(table.encodePending(capture, 1), true);
    assert.deepEqual(decodeSection(capture.takeSection(1)!), [['small', 1]]);
    assert.equal(capture.pending[0], table.entriesOf(0), 'still pending: the writer streams it');
    table.release(capture);
    const calls = encoder.calls;
    const next = table.capture();
    assert.equal(table.encodePending(next, 0), false);
    assert.equal(encoder.calls, calls, 'predicted from the size of the last attempt, without trying');
    table.release(next);
  });

  it('copies a group that a snapshot writer is streaming, which keeps iterating the unchanged original', () => {
    const table = tableWith([[0, 'a', 1], [0, 'b', 2]]);
    const capture = table.capture();
    const streamed = table.startStreaming(capture, 0)!;
    assert.equal(streamed, table.entriesOf(0));
    table.set(at(0, 'a'), 3);
    assert.equal(table.keyGroupCopies, 1);
    assert.equal(table.keyGroupEncodes, 0);
    assert.deepEqual(pairs(streamed), [['a', 1], ['b', 2]]);
    assert.deepEqual(pairs(table.entriesOf(0)), [['a', 3], ['b', 2]]);
    table.finishStreaming(capture, 0, 10);
    assert.equal(capture.hasEntries(0), false);
    const later = table.capture();
    table.set(at(0, 'b'), 4);
    assert.equal(table.keyGroupEncodes, 1, 'the new live map is pinned and encoded as usual');
    assert.deepEqual(decodeSection(later.takeSection(0)!), [['a', 3], ['b', 2]]);
  });

  it('after the writer streamed a group, writes to it are free', () => {
    const table = tableWith([[0, 'a', 1]]);
    const capture = table.capture();
    table.startStreaming(capture, 0);
    table.finishStreaming(capture, 0, 4);
    table.set(at(0, 'a'), 2);
    assert.equal(table.keyGroupEncodes + table.keyGroupCopies, 0);
  });

  it('copies instead of throwing when a value cannot be encoded (the snapshot writer reports it)', () => {
    const widget = new (class Widget {})();
    const table = tableWith([[0, 'bad', widget], [0, 'ok', 1]]);
    const capture = table.capture();
    assert.doesNotThrow(() => table.set(at(0, 'ok'), 2));
    assert.equal(table.keyGroupCopies, 1);
    assert.equal(capture.pending[0]![0]!.value, widget);
  });

  it('keeps a group\'s encoded keys while only values change, and drops them on any insertion or deletion', () => {
    const table = tableWith([[0, 'a', 1], [0, 'b', 2], [0, 'c', 3]]);
    const keyParts: Buffer[] = [];
    /** Takes a snapshot, changes `change`, and returns the snapshot's bytes for group 0, decoded. */
    const snapshotThen = (change: () => void) => {
      const capture = table.capture();
      change();
      const section = capture.takeSection(0)!;
      keyParts.push(section.keys);
      table.release(capture);
      return decodeSection(section);
    };
    assert.deepEqual(snapshotThen(() => table.set(at(0, 'a'), 10)), [['a', 1], ['b', 2], ['c', 3]]);
    assert.equal(table.keyGroupEncodesWithKeptKeys, 0, 'the first encoding encodes the keys, and keeps them');
    assert.deepEqual(snapshotThen(() => table.set(at(0, 'b'), 20)), [['a', 10], ['b', 2], ['c', 3]]);
    assert.deepEqual(snapshotThen(() => table.set(at(0, 'c'), 30)), [['a', 10], ['b', 20], ['c', 3]]);
    assert.equal(table.keyGroupEncodesWithKeptKeys, 2, 'kept from the second encoding on (no key changed in between)');
    assert.ok(keyParts[1] === keyParts[0] && keyParts[2] === keyParts[0], 'the sections share the kept bytes');
    table.delete(at(0, 'a'));
    table.set(at(0, 'a'), 11); // same size, another order (the last entry took the deleted one's slot): the kept keys would be wrong now
    assert.deepEqual(snapshotThen(() => table.set(at(0, 'b'), 21)), [['c', 30], ['b', 20], ['a', 11]]);
    assert.equal(table.keyGroupEncodesWithKeptKeys, 2);
    assert.deepEqual(snapshotThen(() => table.set(at(0, 'd'), 4)), [['c', 30], ['b', 21], ['a', 11]]);
    assert.equal(table.keyGroupEncodesWithKeptKeys, 3, 'encoded (with new kept keys) before the insertion');
    assert.deepEqual(snapshotThen(() => table.set(at(0, 'b'), 22)), [['c', 30], ['b', 21], ['a', 11], ['d', 4]]);
    assert.equal(table.keyGroupEncodesWithKeptKeys, 3);
    assert.deepEqual(snapshotThen(() => table.set(at(0, 'b'), 23)), [['c', 30], ['b', 22], ['a', 11], ['d', 4]]);
    assert.equal(table.keyGroupEncodesWithKeptKeys, 4);
    table.readForUpdate(at(0, 'b')); // a caller changing a value in place keeps the kept keys
    assert.deepEqual(snapshotThen(() => table.set(at(0, 'b'), 24)), [['c', 30], ['b', 23], ['a', 11], ['d', 4]]);
    assert.equal(table.keyGroupEncodesWithKeptKeys, 5);
  });
});

describe('KeyedStateTable (snapshots after any mix of operations)', () => {
  it('encodes exactly the entries after any mix of inserts, updates, deletions, copies, restores and encodings', () => {
    const table = tableWith([]);
    let seed = 7;
    const random = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const keyOf = (i: number): [number, StateMapKey] => [i % 4, `k${i}`];
    for (let step = 0; step < 3000; step++) {
      const [group, key] = keyOf(random(60));
      const op = random(10);
      if (op < 5) table.set(at(group, key), step);
      else if (op < 7) table.delete(at(group, key));
      else if (op < 8) table.restore(group, key, { step });
      else if (op < 9) {
        const capture = table.capture(); // the next write encodes its group
        table.set(at(group, key), step);
        table.release(capture);
      } else {
        const capture = table.capture(); // a write while the writer streams the group copies it
        table.startStreaming(capture, group);
        table.set(at(group, key), [step]);
        table.finishStreaming(capture, group, 0);
        table.release(capture);
      }
    }
    const capture = table.capture();
    for (let group = 0; group < 4; group++) {
      const expected = pairs(table.entriesOf(group));
      if (expected.length === 0) continue;
      assert.equal(table.encodePending(capture, group), true);
      assert.deepEqual(decodeSection(capture.takeSection(group)!), expected, `group ${group}`);
    }
    assert.ok(table.keyGroupCopies > 0 && table.keyGroupEncodes > 0);
  });
});

describe('KeyedStateTable (lookups)', () => {
  it('keeps the last entry looked up only while it is valid (deletion, copy, re-insertion)', () => {
    const table = tableWith([[0, 'a', 1], [0, 'b', 2], [1, 'c', 3]]);
    assert.equal(table.read(at(0, 'a')), 1);
    table.delete(at(0, 'a'));
    assert.equal(table.read(at(0, 'a')), undefined, 'deleted');
    assert.equal(table.peek(at(0, 'a')), undefined);
    table.set(at(0, 'a'), 4);
    assert.equal(table.read(at(0, 'a')), 4, 'inserted again');
    assert.deepEqual(pairs(table.entriesOf(0)), [['b', 2], ['a', 4]], 'the last entry moved into the freed slot');
    const stored = { n: 1 };
    table.set(at(1, 'c'), stored);
    table.set(at(1, 'd'), new (class Widget {})()); // cannot be encoded: a write to the pinned group copies it
    const capture = table.capture();
    table.set(at(1, 'd'), 5);
    assert.equal(table.keyGroupCopies, 1);
    const live = table.read(at(1, 'c')) as { n: number };
    assert.notEqual(live, stored, 'after a copy the live state holds a copy');
    assert.deepEqual(live, stored);
    live.n = 2;
    assert.equal(stored.n, 1, 'the capture keeps the original');
    assert.equal(capture.pending[1]![0]!.value, stored);
    assert.equal(table.size(), 4);
    assert.deepEqual([...table.mapKeys()].sort(), ['a', 'b', 'c', 'd']);
  });

  it('refuses a key group out of its range only when a key is inserted, and only then asks for it', () => {
    const table = tableWith([[0, 'a', 1]]);
    let asked = 0;
    const counting = (group: number, key: string) => ({ mapKey: key, keyGroupIndex: () => (asked++, group) });
    table.set(counting(0, 'a'), 2);
    assert.equal(table.read(counting(0, 'a')), 2);
    assert.equal(asked, 0, 'an existing key needs no key group');
    table.set(counting(3, 'z'), 1);
    assert.equal(asked, 1);
    assert.deepEqual(pairs(table.entriesOf(3)), [['z', 1]]);
  });
});
