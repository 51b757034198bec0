import ora from 'ora';
import type { CliIO } from './cli-io.js';

/** Shows a spinner with `text` on a terminal while `work` runs; on a pipe it shows nothing. */
export async function withProgress<T>(io: CliIO, text: string, work: Promise<T>): Promise<T> {
  if (!io.stderr.isTTY || io.env.CI) return work;
  const spinner = ora({ text, stream: io.stderr as NodeJS.WriteStream }).start();
  const started = Date.now();
  const timer = setInterval(() => { spinner.text = `${text} (${Math.round((Date.now() - started) / 1000)} s)`; }, 1000);
  try {
    return await work;
  } finally {
    clearInterval(timer);
    spinner.stop();
  }
}
