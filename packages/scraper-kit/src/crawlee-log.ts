/**
 * Crawlee logs through `@apify/log`, to stdout by default; trolley keeps stdout for results. This
 * bridge sends crawlee's log lines to the kernel's pino logger instead, one level quieter (crawlee's
 * INFO chatter is trolley's debug; its warnings, mostly retries, are trolley's info).
 */
import { Log, Logger as CrawleeLogger, LogLevel } from '@crawlee/http';
import type { Logger } from 'pino';

class PinoBridge extends CrawleeLogger {
  constructor(private readonly pino: Logger) {
    super({});
  }

  override _log(level: LogLevel, message: string, data?: Record<string, unknown>, exception?: unknown): void {
    const fields = { crawlee: true, ...(data ?? {}), ...(exception ? { err: exception } : {}) };
    if (level <= LogLevel.ERROR) this.pino.warn(fields, message);
    else if (level <= LogLevel.WARNING) this.pino.info(fields, message);
    else if (level === LogLevel.INFO) this.pino.debug(fields, message);
    else this.pino.trace(fields, message);
  }
}

export function crawleeLog(logger: Logger, prefix = 'crawlee'): Log {
  const level = logger.isLevelEnabled('debug') ? LogLevel.DEBUG : logger.isLevelEnabled('info') ? LogLevel.WARNING : LogLevel.ERROR;
  return new Log({ level, logger: new PinoBridge(logger), prefix });
}
