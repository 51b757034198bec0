/** Where the CLI writes, and what it knows of its environment; injected so commands can be tested in-process. */
export interface CliIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export function println(stream: NodeJS.WritableStream, line = ''): void {
  stream.write(line + '\n');
}
