#!/usr/bin/env node
/**
 * JobManager daemon entry point (Flink's StandaloneSessionClusterEntrypoint).
 * Usage: node main.js [--configDir <dir>] [-D key=value ...] [--foreground]
 */
import { runDaemon } from '@tsflink/core';
import { JobManagerProcess } from './job-manager-process.js';

await runDaemon({
  role: 'standalonesession',
  argv: process.argv.slice(2),
  start: async ({ config, logger, clock, timers }) => {
    const jm = new JobManagerProcess({ config, logger, clock, timers });
    await jm.start();
    return { stop: () => jm.stop() };
  },
});
