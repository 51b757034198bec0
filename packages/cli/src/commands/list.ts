import type { JobStatus } from '@tsflink/client';
import { TERMINAL_JOB_STATES } from '@tsflink/client';
import type { CliContext } from '../cli-context.js';
import { println } from '../cli-io.js';

export interface ListOptions { running?: boolean; scheduled?: boolean; all?: boolean }

const RULE = '--------------------------------------------------------------';

/** `flink list [-r|-s|-a]`: Flink's three sections, jobs sorted by start time. */
export async function listCommand(ctx: CliContext, options: ListOptions): Promise<void> {
  const out = ctx.io.stdout;
  const showAll = !!options.all;
  const showRunning = showAll || !!options.running || (!options.running && !options.scheduled);
  const showScheduled = showAll || !!options.scheduled || (!options.running && !options.scheduled);
  println(out, 'Waiting for response...');
  const jobs = await ctx.client.listJobs();
  const running = jobs.filter((j) => j.state !== 'CREATED' && !TERMINAL_JOB_STATES.has(j.state));
  const scheduled = jobs.filter((j) => j.state === 'CREATED');
  const terminated = jobs.filter((j) => TERMINAL_JOB_STATES.has(j.state));

  if (showRunning) {
    if (running.length === 0) println(out, 'No running jobs.');
    else section('------------------ Running/Restarting Jobs -------------------', running);
  }
  if (showScheduled) {
    if (scheduled.length === 0) println(out, 'No scheduled jobs.');
    else section('----------------------- Scheduled Jobs -----------------------', scheduled);
  }
  if (showAll && terminated.length > 0) {
    section('---------------------- Terminated Jobs -----------------------', terminated);
  }

  function section(header: string, list: JobStatus[]): void {
    println(out, header);
    for (const j of [...list].sort((a, b) => a.startTime - b.startTime)) {
      println(out, `${formatFlinkDate(j.startTime)} : ${j.jobId} : ${j.name} (${j.state})`);
    }
    println(out, RULE);
  }
}

/** Flink's `dd.MM.yyyy HH:mm:ss` in local time. */
export function formatFlinkDate(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getDate())}.${p(d.getMonth() + 1)}.${d.getFullYear()} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}
