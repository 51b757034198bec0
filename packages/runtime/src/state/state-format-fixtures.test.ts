import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AggregatingStateDescriptor, ListStateDescriptor, MapStateDescriptor, ReducingStateDescriptor, ValueStateDescriptor,
} from '@tsflink/api';
import type { Key } from '@tsflink/api';
import { crc32 } from './crc32.js';
import { HeapKeyedStateBackend } from './heap-keyed-state-backend.js';
import { assignToKeyGroup, computeKeyGroupRangeForOperatorIndex } from './key-group-assignment.js';
import { DefaultOperatorStateBackend } from './operator-state-backend.js';
import { redistributeOperatorState } from './operator-state-redistribution.js';

/**
 * Snapshots written by format versions 1, 2 and 3, checked in: the formats (and the
 * key hashing that places keys in key groups) are a promise to users, so these
 * bytes must keep restoring to exactly the same state. Never regenerate them; add
 * new fixtures next to them when a format version is added.
 */

/** The handle of a keyed fixture: max parallelism 8, key groups 0–7, written by one subtask. */
function fixtureHandle(keyGroupOffsets: number[], length: number, checksum: number) {
  return { maxParallelism: 8, keyGroupRange: { start: 0, end: 7 }, keyGroupOffsets, length, checksum };
}

/** Keyed state of 8 keys, max parallelism 8, one subtask, all five state kinds. */
const KEYED_V1 = Buffer.from([
  'VEZLUwEAAAAAAAAACAAAAAAAAAAIAAAATgAAAIWCpXZhbHVlpXZhbHVlgqRsaXN0pGxpc3SCo21hcKNtYXCCqHJlZHVjaW5n',
  'qHJlZHVjaW5ngqthZ2dyZWdhdGluZ6thZ2dyZWdhdGluZwAAAAAFAAEqmQWhaaRuYW1lomF0o2JpZ6NuZWcCom4ynQAggFb+',
  'vHhCmwAAAEAAAAAAlQAAAAAAAACAAQEqgwKiczKBAgIBKgKiazKVAAAAAAAABECCAqF4kAMBKgwEASqZAqNzdW2hbgYCKU6E',
  'dgEAAAAArd5C+wIAAAAFAAL5mQWhaaRuYW1lomF0o2JpZ6NuZWcDom4znQAwgFb+vHhCm7l4ysNBuwAAlQAAAAAAAACAlQAA',
  'AAAAAPg/mgAEom40nQBAgFb+vHhCmwAAAAAAAAAQlQAAAAAAAACAAQL5gwOiczOBA5UAAAAAAAD4P4MEonM0gQQCAvkComsz',
  'lQAAAAAAAA5AggOheJCVAAAAAAAA+D8Coms0BYIEoXiQAwL5DZUAAAAAAAD4Pw4EAvmZAqNzdW2hbggClQAAAAAAAPg/mgEK',
  'AjIw4jwDAAAABQACpWFsaWNlmQWhaaRuYW1lomF0o2JpZ6NuZWcAom4wnQAAgFb+vHhCmwAAAAAAAAAAlQAAAAAAAACAk5oA',
  'BaJuNZ0AUIBW/rx4QpwACam30xlBc7J8MpUAAAAAAAAAgAECpWFsaWNlgwCiczCBAJODBaJzNYEFAgKlYWxpY2UComswAIIA',
  'oXiQkwKiazWVAAAAAAAAGUCCBaF4kAMCpWFsaWNlCpMPBAKlYWxpY2WZAqNzdW2hbgICk5oBDAJYM4joBAAAAADdUaIzBQAA',
  'AAUAAqNib2KZBaFppG5hbWWiYXSjYmlno25lZwGibjGdABCAVv68eEKbAQAAAAAAAACVAAAAAAAAAICWCcO8bsOv8J+YgJoA',
  'B6JuN50AcIBW/rx4QpwAC9GD+G+z4eEV5KQSlQAAAAAAAACAAQKjYm9igwGiczGBAZYJw7xuw6/wn5iAgweiczeBBwICo2Jv',
  'YgKiazGVAAAAAAAA9D+CAaF4kJYJw7xuw6/wn5iAAqJrN5UAAAAAAIAhQIIHoXiQAwKjYm9iC5YJw7xuw6/wn5iAEQQCo2Jv',
  'YpkCo3N1baFuBAKWCcO8bsOv8J+YgJoBEAJdOyAqBgAAAAC9AmJJBwAAAAUAAYKldHVwbGUBmQWhaaRuYW1lomF0o2JpZ6Nu',
  'ZWcGom42nQBggFb+vHhCnAAKAAAAQC6e8nDQLpUAAAAAAAAAgAEBgqV0dXBsZQGDBqJzNoEGAgGCpXR1cGxlAQKiazaVAAAA',
  'AAAAHkCCBqF4kAMBgqV0dXBsZQEQBAGCpXR1cGxlAZkCo3N1baFuDgKXnmAS',
].join(''), 'base64');
const KEYED_V1_HANDLE = fixtureHandle([106, 217, 226, 437, 636, 645, 894, 903], 1053, 3134244180);
/**
 * The same state written by keyed format version 2, plus a sixth state "twin" (value) holding
 * `{ sum: -i, n: i }`: the shape of the aggregating accumulator, which version 2 defines again in
 * twin's own section (version 1 would have referred to the accumulator's shape).
 */
const KEYED_V2 = Buffer.from([
  'VEZLUwIAAAAAAAAACAAAAAAAAAAIAAAAWgAAAIaCpXZhbHVlpXZhbHVlgqRsaXN0pGxpc3SCo21hcKNtYXCCqHJlZHVjaW5nqHJl',
  'ZHVjaW5ngqthZ2dyZWdhdGluZ6thZ2dyZWdhdGluZ4KkdHdpbqV2YWx1ZQAAAAAGAAEqmQWhaaRuYW1lomF0o2JpZ6NuZWcCom4y',
  'nQAggFb+vHhCmwAAAEAAAAAAlQAAAAAAAACAAQEqgwKiczKBAgIBKgKiazKVAAAAAAAABECCAqF4kAMBKgwEASqZAqNzdW2hbgMB',
  'BQEqmQKjc3VtoW7+AlNzvXIBAAAAAK3eQvsCAAAABgAC+ZkFoWmkbmFtZaJhdKNiaWejbmVnA6JuM50AMIBW/rx4Qpu5eMrDQbsA',
  'AJUAAAAAAAAAgJUAAAAAAAD4P5oABKJuNJ0AQIBW/rx4QpsAAAAAAAAAEJUAAAAAAAAAgAEC+YMDonMzgQOVAAAAAAAA+D+DBKJz',
  'NIEEAgL5AqJrM5UAAAAAAAAOQIIDoXiQlQAAAAAAAPg/AqJrNAWCBKF4kAMC+Q2VAAAAAAAA+D8OBAL5mQKjc3VtoW4EAZUAAAAA',
  'AAD4P5oABQEFAvmZAqNzdW2hbv0DlQAAAAAAAPg/mgD8BFdsh7UDAAAABgACpWFsaWNlmQWhaaRuYW1lomF0o2JpZ6NuZWcAom4w',
  'nQAAgFb+vHhCmwAAAAAAAAAAlQAAAAAAAACAk5oABaJuNZ0AUIBW/rx4QpwACam30xlBc7J8MpUAAAAAAAAAgAECpWFsaWNlgwCi',
  'czCBAJODBaJzNYEFAgKlYWxpY2UComswAIIAoXiQkwKiazWVAAAAAAAAGUCCBaF4kAMCpWFsaWNlCpMPBAKlYWxpY2WZAqNzdW2h',
  'bgEBk5oABgEFAqVhbGljZZkCo3N1baFulQAAAAAAAACAAJOaAPsFF3dC6QQAAAAA3VGiMwUAAAAGAAKjYm9imQWhaaRuYW1lomF0',
  'o2JpZ6NuZWcBom4xnQAQgFb+vHhCmwEAAAAAAAAAlQAAAAAAAACAlgnDvG7Dr/CfmICaAAeibjedAHCAVv68eEKcAAvRg/hvs+Hh',
  'FeSkEpUAAAAAAAAAgAECo2JvYoMBonMxgQGWCcO8bsOv8J+YgIMHonM3gQcCAqNib2IComsxlQAAAAAAAPQ/ggGheJCWCcO8bsOv',
  '8J+YgAKiazeVAAAAAACAIUCCB6F4kAMCo2JvYguWCcO8bsOv8J+YgBEEAqNib2KZAqNzdW2hbgIBlgnDvG7Dr/CfmICaAAgBBQKj',
  'Ym9imQKjc3VtoW7/AZYJw7xuw6/wn5iAmgD5BxzYe4sGAAAAAL0CYkkHAAAABgABgqV0dXBsZQGZBaFppG5hbWWiYXSjYmlno25l',
  'ZwaibjadAGCAVv68eEKcAAoAAABALp7ycNAulQAAAAAAAACAAQGCpXR1cGxlAYMGonM2gQYCAYKldHVwbGUBAqJrNpUAAAAAAAAe',
  'QIIGoXiQAwGCpXR1cGxlARAEAYKldHVwbGUBmQKjc3VtoW4HAQUBgqV0dXBsZQGZAqNzdW2hbvoGF9PeBQ==',
].join(''), 'base64');
const KEYED_V2_HANDLE = fixtureHandle([118, 242, 251, 488, 718, 727, 1007, 1016], 1186, 1165401140);
/**
 * The same state (with "twin") written by keyed format version 3: in each section all keys,
 * then all values.
 */
const KEYED_V3 = Buffer.from([
'VEZLUwMAAAAAAAAACAAAAAAAAAAIAAAAWgAAAIaCpXZhbHVlpXZhbHVlgqRsaXN0pGxpc3SCo21hcKNtYXCCqHJlZHVjaW5nqHJl',
  'ZHVjaW5ngqthZ2dyZWdhdGluZ6thZ2dyZWdhdGluZ4KkdHdpbqV2YWx1ZQAAAAAGAAEqmQWhaaRuYW1lomF0o2JpZ6NuZWcCom4y',
  'nQAggFb+vHhCmwAAAEAAAAAAlQAAAAAAAACAAQEqgwKiczKBAgIBKgKiazKVAAAAAAAABECCAqF4kAMBKgwEASqZAqNzdW2hbgYC',
  'BQEqmQKjc3VtoW7+AgPoWz0BAAAAAK3eQvsCAAAABgAC+ZUAAAAAAAD4P5kFoWmkbmFtZaJhdKNiaWejbmVnA6JuM50AMIBW/rx4',
  'Qpu5eMrDQbsAAJUAAAAAAAAAgJoABKJuNJ0AQIBW/rx4QpsAAAAAAAAAEJUAAAAAAAAAgAEC+ZUAAAAAAAD4P4MDonMzgQODBKJz',
  'NIEEAgL5lQAAAAAAAPg/AqJrM5UAAAAAAAAOQIIDoXiQAqJrNAWCBKF4kAMC+ZUAAAAAAAD4Pw0OBAL5lQAAAAAAAPg/mQKjc3Vt',
  'oW4IApoACgIFAvmVAAAAAAAA+D+ZAqNzdW2hbv0DmgD8BPJF3pQDAAAABgACpWFsaWNlk5kFoWmkbmFtZaJhdKNiaWejbmVnAKJu',
  'MJ0AAIBW/rx4QpsAAAAAAAAAAJUAAAAAAAAAgJoABaJuNZ0AUIBW/rx4QpwACam30xlBc7J8MpUAAAAAAAAAgAECpWFsaWNlk4MA',
  'onMwgQCDBaJzNYEFAgKlYWxpY2WTAqJrMACCAKF4kAKiazWVAAAAAAAAGUCCBaF4kAMCpWFsaWNlkwoPBAKlYWxpY2WTmQKjc3Vt',
  'oW4CApoADAIFAqVhbGljZZOZAqNzdW2hbpUAAAAAAAAAgACaAPsF0DdMWQQAAAAA3VGiMwUAAAAGAAKjYm9ilgnDvG7Dr/CfmICZ',
  'BaFppG5hbWWiYXSjYmlno25lZwGibjGdABCAVv68eEKbAQAAAAAAAACVAAAAAAAAAICaAAeibjedAHCAVv68eEKcAAvRg/hvs+Hh',
  'FeSkEpUAAAAAAAAAgAECo2JvYpYJw7xuw6/wn5iAgwGiczGBAYMHonM3gQcCAqNib2KWCcO8bsOv8J+YgAKiazGVAAAAAAAA9D+C',
  'AaF4kAKiazeVAAAAAACAIUCCB6F4kAMCo2JvYpYJw7xuw6/wn5iACxEEAqNib2KWCcO8bsOv8J+YgJkCo3N1baFuBAKaABACBQKj',
  'Ym9ilgnDvG7Dr/CfmICZAqNzdW2hbv8BmgD5B7ocM5kGAAAAAL0CYkkHAAAABgABgqV0dXBsZQGZBaFppG5hbWWiYXSjYmlno25l',
  'ZwaibjadAGCAVv68eEKcAAoAAABALp7ycNAulQAAAAAAAACAAQGCpXR1cGxlAYMGonM2gQYCAYKldHVwbGUBAqJrNpUAAAAAAAAe',
  'QIIGoXiQAwGCpXR1cGxlARAEAYKldHVwbGUBmQKjc3VtoW4OAgUBgqV0dXBsZQGZAqNzdW2hbvoGNBOr0A==',
].join(''), 'base64');
const KEYED_V3_HANDLE = fixtureHandle([118, 242, 251, 488, 718, 727, 1007, 1016], 1186, 2434099953);
const KEYS: Key[] = ['alice', 'bob', 42, -7, 1.5, true, ['tuple', 1], 'ünï😀'];

/** Operator state: split list "offsets" (3 elements) and union list "watermarks" (1 element). */
const OPERATOR_V1 = Buffer.from('VEZPUwEAAAAAAAAAp29mZnNldHMAA5kCpXNwbGl0o3Bvc6FhCpkCpXNwbGl0o3Bvc6FimwAAAAAAAQAAmQKlc3BsaXSjcG9zoWMA2dLeeKp3YXRlcm1hcmtzAQGVAACAVv68eEIn2Vt5', 'base64');
const OPERATOR_V1_STATES = {
  offsets: { mode: 'SPLIT_DISTRIBUTE' as const, offsets: [22, 37, 60] },
  watermarks: { mode: 'UNION' as const, offsets: [92] },
};

/** Restores a keyed fixture at parallelism 2 and checks every key's state; `twin` is only in the version 2 fixture. */
async function assertKeyedFixture(bytes: Buffer, handle: typeof KEYED_V1_HANDLE, version: number, withTwin: boolean): Promise<void> {
  assert.equal(bytes.length, handle.length);
  assert.equal(crc32(bytes), handle.checksum);
  assert.equal(bytes.readUInt32LE(4), version);
  const subtasks = [0, 1].map((index) => {
    const backend = new HeapKeyedStateBackend({ keyGroupRange: computeKeyGroupRangeForOperatorIndex(8, 2, index), maxParallelism: 8 });
    return {
      backend,
      value: backend.getState(new ValueStateDescriptor<unknown>('value')),
      list: backend.getListState(new ListStateDescriptor<unknown>('list')),
      map: backend.getMapState(new MapStateDescriptor<unknown, unknown>('map')),
      reducing: backend.getReducingState(new ReducingStateDescriptor<number>('reducing', (x, y) => x + y)),
      aggregating: backend.getAggregatingState(new AggregatingStateDescriptor('aggregating', {
        createAccumulator: () => ({ sum: 0, n: 0 }),
        add: (x: number, acc: { sum: number; n: number }) => ({ sum: acc.sum + x, n: acc.n + 1 }),
        getResult: (acc: { sum: number; n: number }) => acc.sum / acc.n,
        merge: (x: { sum: number; n: number }, y: { sum: number; n: number }) => ({ sum: x.sum + y.sum, n: x.n + y.n }),
      })),
      twin: backend.getState(new ValueStateDescriptor<unknown>('twin')),
    };
  });
  for (const s of subtasks) {
    await s.backend.restoreKeyGroups([{ ...handle, bytes: async (o, l) => bytes.subarray(o, o + l) }]);
  }
  KEYS.forEach((key, i) => {
    const s = subtasks.find((t) => t.backend.keyGroupRange.contains(assignToKeyGroup(key, 8)))!;
    s.backend.setCurrentKey(key);
    const value = s.value.value() as Record<string, unknown>;
    assert.deepEqual(value, { i, name: `n${i}`, at: new Date(1_700_000_000_000 + i), big: BigInt(i) ** 30n, neg: -0 });
    assert.ok(Object.is(value.neg, -0));
    assert.deepEqual([...s.list.get()], [i, `s${i}`, [i]]);
    assert.deepEqual([...s.map.entries()], [[`k${i}`, i * 1.25], [[i, 'x'], null]]);
    assert.equal(s.reducing.get(), i + 10);
    assert.equal(s.aggregating.get(), i + 1);
    assert.deepEqual(s.twin.value(), withTwin ? { sum: -i, n: i } : undefined);
  });
  assert.equal(subtasks[0]!.backend.numKeys('value') + subtasks[1]!.backend.numKeys('value'), KEYS.length);
}

describe('state format fixtures', () => {
  it('keyed state of format version 1 restores at parallelism 2 to exactly the state that was written', async () => {
    await assertKeyedFixture(KEYED_V1, KEYED_V1_HANDLE, 1, false);
  });

  it('keyed state of format version 2 (a shape scope per state section) restores exactly too', async () => {
    await assertKeyedFixture(KEYED_V2, KEYED_V2_HANDLE, 2, true);
  });

  it('keyed state of format version 3 (all keys of a section, then its values) restores exactly too', async () => {
    await assertKeyedFixture(KEYED_V3, KEYED_V3_HANDLE, 3, true);
  });

  it('operator state restores and redistributes to 2 subtasks', async () => {
    assert.equal(crc32(OPERATOR_V1), 850964821);
    const parts = redistributeOperatorState([{ stream: 'fixture', states: OPERATOR_V1_STATES }], 2);
    const backends = await Promise.all(parts.map(async (p) => {
      const backend = new DefaultOperatorStateBackend();
      await backend.restore(p.map((part) => ({
        bytes: async (o: number, l: number) => OPERATOR_V1.subarray(o, o + l),
        length: OPERATOR_V1.length,
        states: part.states,
      })));
      return backend;
    }));
    const offsets = new ListStateDescriptor<unknown>('offsets');
    const watermarks = new ListStateDescriptor<unknown>('watermarks');
    assert.deepEqual([...backends[0]!.getListState(offsets).get()], [{ split: 'a', pos: 10 }, { split: 'b', pos: 2n ** 40n }]);
    assert.deepEqual([...backends[1]!.getListState(offsets).get()], [{ split: 'c', pos: 0 }]);
    for (const b of backends) assert.deepEqual([...b.getUnionListState(watermarks).get()], [1_700_000_000_000]);
  });
});
