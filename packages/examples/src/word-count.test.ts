import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { runInPlanMode } from '@tsflink/api';
import type { ReduceFunction } from '@tsflink/api';
import { FileSource } from '@tsflink/connectors';
import main, { Tokenizer } from './word-count.js';
import type { WordCount } from './word-count.js';
import { WORD_COUNT_LINES } from './word-count-data.js';

test('the bundled sample text is the data file, line for line', async () => {
  const file = await readFile(new URL('../data/hamlet.txt', import.meta.url), 'utf8');
  assert.deepEqual(file.split('\n').slice(0, -1), WORD_COUNT_LINES);
});

test('the tokenizer emits lower-case words with a count of one', () => {
  const out: WordCount[] = [];
  new Tokenizer().flatMap("To be, or not to be,--that is the question:-- Ophelia's 2nd", { collect: (w) => out.push(w) });
  assert.deepEqual(out.map(([w]) => w), ['to', 'be', 'or', 'not', 'to', 'be', 'that', 'is', 'the', 'question', 'ophelia', 's', '2nd']);
  assert.ok(out.every(([, c]) => c === 1));
});

test('in plan mode WordCount reads the sample or a file, tokenizes, counts per word and prints, with uids', async () => {
  const sample = await runInPlanMode(main, [], { defaultParallelism: 2 });
  assert.equal(sample.jobGraph.jobName, 'WordCount');
  const ops = (plan: typeof sample) => plan.jobGraph.vertices.flatMap((v) => v.operators.map((o) => [o.uid, o.kind]));
  assert.deepEqual(ops(sample), [
    ['word-count-source', 'source'], ['tokenizer', 'flatMap'], ['counter', 'reduce'], ['word-count-print', 'print'],
  ]);

  const fromFile = await runInPlanMode(main, ['/data/books'], { defaultParallelism: 2 });
  assert.deepEqual(ops(fromFile), ops(sample));
  const source = [...fromFile.operators.values()].find((s) => s.kind === 'source')!;
  assert.ok(source.kind === 'source' && source.source instanceof FileSource);
  assert.deepEqual(source.kind === 'source' && (source.source as FileSource<string>).paths, ['/data/books']);

  // The planned functions count the sample correctly.
  const tokenizer = [...sample.operators.values()].find((s) => s.kind === 'flatMap')!;
  const counter = [...sample.operators.values()].find((s) => s.kind === 'reduce')!;
  assert.ok(tokenizer.kind === 'flatMap' && counter.kind === 'reduce');
  const reduce = counter.userFunction as ReduceFunction<WordCount>;
  const counts = new Map<string, WordCount>();
  for (const line of WORD_COUNT_LINES) {
    tokenizer.userFunction.flatMap(line, {
      collect: (value) => {
        const wordCount = value as WordCount;
        const key = counter.keySelector.getKey(wordCount) as string;
        const previous = counts.get(key);
        counts.set(key, previous === undefined ? wordCount : reduce.reduce(previous, wordCount));
      },
    });
  }
  assert.deepEqual(counts.get('to'), ['to', 15]);
  assert.deepEqual(counts.get('sleep'), ['sleep', 5]);
});
