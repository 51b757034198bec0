/**
 * Loaded into a daemon with NODE_OPTIONS="--import <this file>" (node refuses
 * --cpu-prof in NODE_OPTIONS): samples the process's CPU with the inspector
 * from BENCH_CPU_PROFILE_START_MS (default 0) after start-up, for at most
 * BENCH_CPU_PROFILE_MS (default: until the process exits normally, e.g. on
 * SIGTERM), and writes BENCH_CPU_PROFILE_DIR/<role>-<pid>.cpuprofile (open it in
 * Chrome DevTools, or summarize it with bench/profile-summary.ts).
 */
import { Session } from 'node:inspector';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.BENCH_CPU_PROFILE_DIR;
if (dir) {
  const startMs = Number(process.env.BENCH_CPU_PROFILE_START_MS ?? 0);
  const durationMs = Number(process.env.BENCH_CPU_PROFILE_MS ?? 0);
  const role = process.argv[1]?.includes('taskmanager') ? 'taskmanager' : process.argv[1]?.includes('jobmanager') ? 'jobmanager' : 'node';
  const session = new Session();
  session.connect();
  let state = 'idle';
  const stop = () => {
    if (state !== 'running') return;
    state = 'stopped';
    // The same-thread session answers synchronously, so this also works in an 'exit' handler.
    session.post('Profiler.stop', (err, result) => {
      if (err) return;
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `${role}-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  };
  const start = () => {
    session.post('Profiler.enable');
    session.post('Profiler.setSamplingInterval', { interval: 250 });
    session.post('Profiler.start');
    state = 'running';
    if (durationMs > 0) setTimeout(stop, durationMs).unref();
  };
  if (startMs > 0) setTimeout(start, startMs).unref();
  else start();
  process.on('exit', stop);
}
