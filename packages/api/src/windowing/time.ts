/**
 * Durations are plain milliseconds in tsflink. `Time` keeps Flink's spelling:
 * `Time.seconds(5)` is `5000`.
 */
function ms(amount: number, factor: number, unit: string): number {
  if (!Number.isFinite(amount) || amount < 0) throw new Error(`Time.${unit}() needs a non-negative number, got ${amount}.`);
  return amount * factor;
}

export const Time = {
  milliseconds: (n: number): number => ms(n, 1, 'milliseconds'),
  seconds: (n: number): number => ms(n, 1000, 'seconds'),
  minutes: (n: number): number => ms(n, 60_000, 'minutes'),
  hours: (n: number): number => ms(n, 3_600_000, 'hours'),
  days: (n: number): number => ms(n, 86_400_000, 'days'),
} as const;
