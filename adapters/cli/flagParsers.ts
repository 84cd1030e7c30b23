import { InvalidArgumentError } from 'commander';

/**
 * Commander argument parsers that reject a bad value while the command line is parsed, so
 * commander reports it with the flag's name and the command exits 2 before anything starts.
 *
 * @example
 * command.option('--port <port>', 'port', integerFlag(0, 65535));
 * // embedline serve --port 80x → error: option '--port <port>' argument '80x' is invalid. Expected an integer in 0..65535.
 */
export function integerFlag(min: number, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value) => {
    // Number.parseInt would accept "80x" as 80 and "1e3" as 1.
    const parsed = /^-?\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
      throw new InvalidArgumentError(max === Number.MAX_SAFE_INTEGER ? `Expected an integer ≥ ${min}.` : `Expected an integer in ${min}..${max}.`);
    }
    return parsed;
  };
}

/**
 * A flag that may be given several times, each value appended in order.
 *
 * @example
 * command.option('--model <name>', 'model to serve', repeatedFlag, []);
 * // embedline serve --model a --model b → ['a', 'b']
 */
export function repeatedFlag(value: string, previous: readonly string[] = []): string[] {
  return [...previous, value];
}
