/**
 * The pino logger of an invocation. Logs go to stderr (results go to stdout).
 *
 * On a terminal (or `--log-format pretty`): one line per event, `12:04:31 INFO  message`; the
 * event's fields are shown from debug level on (at info they are in the JSON form only). In a pipe
 * or with `--log-format json`: one JSON object per line with every field. Either way a log line
 * first clears the progress line, so the two never run into each other.
 */
import { Writable } from 'node:stream';
import { pino, type Logger, type DestinationStream, type LoggerOptions as PinoOptions } from 'pino';
import type { TrolleyConfig } from './config.js';
import { statusLineOf, type TerminalStream } from './status-line.js';

export type { Logger } from 'pino';

export interface LoggerOptions {
  /** Where log lines go; stderr by default. */
  readonly destination?: TerminalStream & { fd?: number };
}

/**
 * pino writes the event's level as `level`; a field of the same name (a substitution level, say)
 * would make a second `level` key that log shippers read instead. Such a field is written as `lvl`.
 */
export const logFormatters: NonNullable<PinoOptions['formatters']> = {
  log(object) {
    if (!('level' in object)) return object;
    const { level, ...rest } = object;
    return { ...rest, lvl: level };
  },
};

export async function createLogger(config: Pick<TrolleyConfig, 'logLevel' | 'logFormat'>, options: LoggerOptions = {}): Promise<Logger> {
  const out = options.destination ?? process.stderr;
  const pretty = config.logFormat === 'pretty' || (config.logFormat === 'auto' && out.isTTY === true);
  const base = { level: config.logLevel, base: undefined, formatters: logFormatters } as const;
  const detailed = config.logLevel === 'debug' || config.logLevel === 'trace';
  if (pretty) {
    const { default: prettyStream } = await import('pino-pretty');
    return pino(
      base,
      prettyStream({
        destination: out.isTTY === true ? aroundStatusLine(out) : out,
        sync: true,
        ignore: 'pid,hostname',
        translateTime: 'HH:MM:ss',
        singleLine: true,
        hideObject: !detailed,
      }),
    );
  }
  const destination: DestinationStream =
    out.isTTY === true ? (aroundStatusLine(out) as unknown as DestinationStream) : out === process.stderr ? pino.destination({ fd: 2, sync: true }) : (out as unknown as DestinationStream);
  return pino({ ...base, timestamp: pino.stdTimeFunctions.isoTime }, destination);
}

/** A stream that clears the terminal's status line before each write. */
function aroundStatusLine(out: TerminalStream): Writable {
  const status = statusLineOf(out);
  return new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      status.clear();
      const text = chunk.toString();
      // pino-pretty hands a stream of its own each line without the line end.
      out.write(text.endsWith('\n') ? text : `${text}\n`);
      callback();
    },
  });
}
