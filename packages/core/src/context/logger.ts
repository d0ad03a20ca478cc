/**
 * The pino logger of an invocation. Logs go to stderr (results go to stdout): human-readable on a
 * terminal, one JSON object per line in a pipe or with `--log-format json`.
 */
import { pino, type Logger, type DestinationStream } from 'pino';
import type { TrolleyConfig } from './config.js';

export type { Logger } from 'pino';

export interface LoggerOptions {
  /** Where log lines go; stderr by default. */
  readonly destination?: NodeJS.WritableStream & { isTTY?: boolean; fd?: number };
}

export async function createLogger(config: Pick<TrolleyConfig, 'logLevel' | 'logFormat'>, options: LoggerOptions = {}): Promise<Logger> {
  const out = options.destination ?? process.stderr;
  const pretty = config.logFormat === 'pretty' || (config.logFormat === 'auto' && out.isTTY === true);
  const base = { level: config.logLevel, base: undefined } as const;
  if (pretty) {
    const { default: prettyStream } = await import('pino-pretty');
    return pino(base, prettyStream({ destination: out, sync: true, ignore: 'pid,hostname', translateTime: 'HH:MM:ss' }));
  }
  const destination: DestinationStream =
    out === process.stderr ? pino.destination({ fd: 2, sync: true }) : (out as unknown as DestinationStream);
  return pino({ ...base, timestamp: pino.stdTimeFunctions.isoTime }, destination);
}
