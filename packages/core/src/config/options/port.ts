/** Bounds shared by every port option: 0 means "any free port". */
export const PORT_RANGE = { min: 0, max: 65_535 } as const;

/** Checks a `host:port` value; returns why it is invalid, or undefined when fine. */
export function validateHostAndPort(value: string): string | undefined {
  const match = /^(.+):(\d+)$/.exec(value);
  if (!match || match[1]!.trim() === '') return 'expected host:port';
  const port = Number(match[2]);
  if (port < 1 || port > PORT_RANGE.max) return `port must be between 1 and ${PORT_RANGE.max}`;
  return undefined;
}
