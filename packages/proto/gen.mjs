#!/usr/bin/env node
// Generates TypeScript types for ../../proto/*.proto into src/generated/ (never edit those by hand).
// Runtime loading uses @grpc/proto-loader with the same options (see src/load.ts).
import { readdirSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const here = fileURLToPath(new URL('.', import.meta.url));
const protoDir = join(here, '..', '..', 'proto');
const outDir = join(here, 'src', 'generated');
rmSync(outDir, { recursive: true, force: true });
const files = readdirSync(protoDir).filter((f) => f.endsWith('.proto')).sort();
const bin = join(here, 'node_modules', '.bin', 'proto-loader-gen-types');
const r = spawnSync(bin, [...files,
  '--longs=Number', '--enums=String', '--defaults', '--oneofs', '--keepCase',
  '--grpcLib=@grpc/grpc-js', '--includeComments', '--importFileExtension=.js',
  `--outDir=${outDir}`, '--includeDirs', protoDir,
], { stdio: 'inherit' });
process.exit(r.status ?? 1);
