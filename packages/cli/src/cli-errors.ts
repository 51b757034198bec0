/** Bad command-line usage: the message is printed as is, with a hint to `-h`, and the CLI exits 1. */
export class CliArgsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliArgsError';
  }
}
