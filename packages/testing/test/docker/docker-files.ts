/**
 * Reading docker/Dockerfile and docker/docker-compose.yml for the Docker
 * packaging tests (no Docker engine needed).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { REPO_ROOT } from '@tsflink/testing';

export const DOCKER_DIR = join(REPO_ROOT, 'docker');
export const DOCKERFILE = join(DOCKER_DIR, 'Dockerfile');
export const COMPOSE_FILE = join(DOCKER_DIR, 'docker-compose.yml');
export const ENTRYPOINT_SCRIPT = join(DOCKER_DIR, 'docker-entrypoint.sh');

/** `yaml` is a dependency of @tsflink/core (not of this package): resolve it from there. */
const yaml = createRequire(join(REPO_ROOT, 'packages/core/package.json'))('yaml') as {
  parse(text: string, options?: { merge?: boolean }): unknown;
};

export function parseYaml(text: string): unknown {
  return yaml.parse(text, { merge: true });
}

// ---------------------------------------------------------------- Dockerfile

export interface DockerInstruction {
  /** Upper-case keyword: FROM, RUN, COPY, ... */
  keyword: string;
  /** The rest of the instruction, continuation lines joined. */
  args: string;
  line: number;
}

export interface DockerStage {
  from: string;
  name: string | undefined;
  instructions: DockerInstruction[];
}

/** Splits a Dockerfile into stages of instructions (comments dropped, `\` continuations joined). */
export function parseDockerfile(text: string): DockerStage[] {
  const stages: DockerStage[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let line = lines[i]!;
    if (/^\s*(#|$)/.test(line)) continue;
    while (/\\\s*$/.test(line) && i + 1 < lines.length) {
      line = line.replace(/\\\s*$/, ' ');
      i++;
      // Comment lines inside a continuation are dropped, as Docker does.
      while (i + 1 < lines.length && /^\s*#/.test(lines[i]!)) i++;
      line += lines[i]!;
    }
    const m = /^\s*([A-Za-z]+)\s+([\s\S]*)$/.exec(line);
    if (!m) throw new Error(`Dockerfile line ${start + 1}: cannot read "${line}".`);
    const instruction: DockerInstruction = { keyword: m[1]!.toUpperCase(), args: m[2]!.trim().replace(/\s+/g, ' '), line: start + 1 };
    if (instruction.keyword === 'FROM') {
      const from = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(instruction.args);
      if (!from) throw new Error(`Dockerfile line ${start + 1}: cannot read FROM ${instruction.args}.`);
      stages.push({ from: from[1]!, name: from[2], instructions: [] });
    } else {
      const stage = stages.at(-1);
      if (!stage) throw new Error(`Dockerfile line ${start + 1}: ${instruction.keyword} before FROM.`);
      stage.instructions.push(instruction);
    }
  }
  return stages;
}

export interface CopyInstruction {
  from: string | undefined;
  sources: string[];
  destination: string;
  line: number;
}

/** COPY/ADD flags (--from=, --chown=, ...) and paths, shell or JSON form. */
export function parseCopy(instruction: DockerInstruction): CopyInstruction {
  let rest = instruction.args;
  let from: string | undefined;
  for (;;) {
    const flag = /^--([a-z-]+)=(\S+)\s+/.exec(rest);
    if (!flag) break;
    if (flag[1] === 'from') from = flag[2];
    rest = rest.slice(flag[0].length);
  }
  const paths = rest.startsWith('[') ? (JSON.parse(rest) as string[]) : rest.split(' ');
  return { from, sources: paths.slice(0, -1), destination: paths.at(-1)!, line: instruction.line };
}

/** The JSON (exec) form of ENTRYPOINT/CMD, or undefined for the shell form. */
export function execForm(instruction: DockerInstruction | undefined): string[] | undefined {
  if (!instruction || !instruction.args.startsWith('[')) return undefined;
  return JSON.parse(instruction.args) as string[];
}

/** The last instruction with this keyword in a stage. */
export function lastOf(stage: DockerStage, keyword: string): DockerInstruction | undefined {
  return stage.instructions.filter((i) => i.keyword === keyword).at(-1);
}

/** ARG defaults and ENV values of a stage (ENV in `k=v` form). */
export function stageVariables(stage: DockerStage): { args: Map<string, string>; env: Map<string, string> } {
  const args = new Map<string, string>();
  const env = new Map<string, string>();
  for (const i of stage.instructions) {
    if (i.keyword === 'ARG') {
      const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:=(\S*))?$/.exec(i.args);
      if (m) args.set(m[1]!, (m[2] ?? '').replace(/^"(.*)"$/, '$1'));
    } else if (i.keyword === 'ENV') {
      for (const m of i.args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S+)/g)) env.set(m[1]!, m[2]!.replace(/^"(.*)"$/, '$1'));
    }
  }
  return { args, env };
}

export function readDockerfile(): DockerStage[] {
  return parseDockerfile(readFileSync(DOCKERFILE, 'utf8'));
}

// ---------------------------------------------------------------- Compose

export interface ComposeHealthcheck { test: string[] | string; interval?: string; timeout?: string; retries?: number; start_period?: string }

export interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile?: string };
  command?: string[] | string;
  entrypoint?: string[] | string;
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition?: string }> | string[];
  healthcheck?: ComposeHealthcheck;
  profiles?: string[];
  restart?: string;
  container_name?: string;
  working_dir?: string;
  deploy?: { replicas?: number };
  hostname?: string;
  stop_grace_period?: string;
}

export interface ComposeFile {
  version?: string;
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

/**
 * The compose file with `${VAR}`, `${VAR:-default}`, `${VAR-default}` and `$$`
 * interpolated from `vars` (as Compose does with the shell environment and .env).
 */
export function readComposeFile(vars: Readonly<Record<string, string | undefined>> = {}): ComposeFile {
  const doc = parseYaml(readFileSync(COMPOSE_FILE, 'utf8'));
  return interpolate(doc, vars) as ComposeFile;
}

export function interpolateString(text: string, vars: Readonly<Record<string, string | undefined>>): string {
  return text.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (whole, braced: string | undefined, op: string | undefined, fallback: string | undefined, bare: string | undefined) => {
      if (whole === '$$') return '$';
      const name = braced ?? bare!;
      const value = vars[name];
      if (op === ':-') return value === undefined || value === '' ? fallback! : value;
      if (op === '-') return value === undefined ? fallback! : value;
      return value ?? '';
    });
}

function interpolate(value: unknown, vars: Readonly<Record<string, string | undefined>>): unknown {
  if (typeof value === 'string') return interpolateString(value, vars);
  if (Array.isArray(value)) return value.map((v) => interpolate(v, vars));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, vars)]));
  }
  return value;
}

/** A service's environment as a map (compose allows a map or a `K=V` list). */
export function serviceEnvironment(service: ComposeService): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map((e) => { const i = e.indexOf('='); return i < 0 ? [e, ''] : [e.slice(0, i), e.slice(i + 1)]; }));
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

/** `[host:]published:target[/proto]` port mappings as numbers. */
export function publishedPorts(service: ComposeService): Array<{ published: number; target: number }> {
  return (service.ports ?? []).map((p) => {
    const parts = String(p).replace(/\/(tcp|udp)$/, '').split(':');
    return { published: Number(parts.at(-2)), target: Number(parts.at(-1)) };
  });
}

/** `source:target[:mode]` volume mounts. */
export function volumeMounts(service: ComposeService): Array<{ source: string; target: string }> {
  return (service.volumes ?? []).map((v) => {
    const [source, target] = String(v).split(':');
    return { source: source!, target: target! };
  });
}

/** FLINK_PROPERTIES (`key: value` lines) as a map. */
export function flinkProperties(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([^\s#][^:]*?)\s*:\s*(.*)$/.exec(line);
    if (m) out.set(m[1]!, m[2]!.trim());
  }
  return out;
}
