import type { ErrorPresentation } from '../errors';

/** Where a command writes: a line for people, or one JSON document with --json. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export class Output {
  constructor(
    private readonly io: CliIo,
    readonly json: boolean,
  ) {}

  /** Prints the result of a command: `human` lines, or `data` as JSON. */
  result(human: string | string[], data: unknown): void {
    if (this.json) this.io.out(JSON.stringify(data, jsonReplacer, 2));
    else this.io.out(Array.isArray(human) ? human.join('\n') : human);
  }

  /** Something the user should know although the command goes on: one line on stderr, never in --json's output. */
  warning(text: string): void {
    this.io.err(`warning: ${text}`);
  }

  /**
   * Prints a failure as the API presents one: `prefix: message`, then its details and hint, on stderr; with
   * --json also `{ "error": { code, message, details?, hint?, ...extra } }` on stdout, the body the API answers with.
   */
  failure(prefix: string, error: ErrorPresentation, extra: Record<string, unknown> = {}): void {
    const details = error.details ? error.details.split('\n').map((line) => `  ${line}`) : [];
    this.io.err([`${prefix}: ${error.message}`, ...details, ...(error.hint ? [`  hint: ${error.hint}`] : [])].join('\n'));
    if (this.json) this.io.out(JSON.stringify({ error: { ...error, ...extra } }, jsonReplacer, 2));
  }

  table(headers: string[], rows: string[][], data: unknown): void {
    if (this.json) {
      this.io.out(JSON.stringify(data, jsonReplacer, 2));
      return;
    }
    const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => row[column].length)));
    const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd();
    this.io.out([line(headers), ...rows.map(line)].join('\n'));
  }
}

/** bigint is not JSON: numbers that fit, strings otherwise. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value !== 'bigint') return value;
  return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
}
