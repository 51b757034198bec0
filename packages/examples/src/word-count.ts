/**
 * WordCount, the classic: counts the words of a text and prints a running
 * count per word (`word,count`) each time a word appears.
 *
 *   flink run packages/examples/src/word-count.ts [<text file or directory>]
 *
 * Without an argument it counts the bundled sample text (Hamlet's soliloquy,
 * also in packages/examples/data/hamlet.txt), as Flink's WordCount does.
 */
import { StreamExecutionEnvironment, WatermarkStrategy } from '@tsflink/api';
import type { Collector, DataStream, FlatMapFunction } from '@tsflink/api';
import { FileSource, TextLineInputFormat } from '@tsflink/connectors';
import { WORD_COUNT_LINES } from './word-count-data.js';

/** A word and how often it was seen (Flink's `Tuple2<String, Integer>`). */
export type WordCount = [word: string, count: number];

/** Splits a line into lower-case words (letters and digits) and emits `[word, 1]` for each. */
export class Tokenizer implements FlatMapFunction<string, WordCount> {
  flatMap(line: string, out: Collector<WordCount>): void {
    for (const word of line.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
      if (word.length > 0) out.collect([word, 1]);
    }
  }
}

export default async function main(args: string[]): Promise<void> {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  const input = args[0];

  const text: DataStream<string> = input === undefined
    ? env.fromCollection(WORD_COUNT_LINES).uid('word-count-source')
    : env.fromSource(FileSource.forRecordStreamFormat(new TextLineInputFormat(), input).build(), WatermarkStrategy.noWatermarks(), 'file-source')
      .uid('word-count-source');

  text
    .flatMap(new Tokenizer()).uid('tokenizer').name('tokenizer')
    .keyBy((wordCount) => wordCount[0])
    .sum(1).uid('counter').name('counter')
    .print().uid('word-count-print');

  await env.execute('WordCount');
}
