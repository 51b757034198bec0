#!/usr/bin/env node
/**
 * TaskManager daemon entry point (Flink's TaskManagerRunner).
 * Usage: node main.js [--configDir <dir>] [-D key=value ...] [--foreground]
 */
import { runDaemon } from '@tsflink/core';
import { TaskManagerProcess } from './task-manager-process.js';

await runDaemon({
  role: 'taskexecutor',
  argv: process.argv.slice(2),
  start: async ({ config, logger, clock, timers }) => {
    const tm = new TaskManagerProcess({ config, logger, clock, timers });
    await tm.start();
    return { stop: () => tm.stop() };
  },
});
