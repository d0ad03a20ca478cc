/**
 * Crawlee logs through `@apify/log`, to stdout by default; trolley keeps stdout for results. This
 * bridge sends crawlee's log lines to the kernel's pino logger instead, one level quieter (crawlee's
 * INFO chatter is trolley's debug; its warnings, mostly retries, are trolley's info).
 */
import { Log, Logger as CrawleeLogger, LogLevel } from '@crawlee/http';
import type { Logger } from 'pino';

/** crawlee's retry notice: the crawl logs its own line for each retry, with the wait. */
const RETRY_NOTICE = /^Reclaiming failed request back to the list or queue/;

class PinoBridge extends CrawleeLogger {
  constructor(private readonly pino: Logger) {
    super({});
  }

  override _log(level: LogLevel, message: string, data?: Record<string, unknown>, exception?: unknown): void {
    // One line per event: a stack crawlee folds into the message goes to the debug level only.
    const [first = '', ...rest] = message.split('\n');
    const detail = rest.join('\n').trim();
    const fields = { crawlee: true, ...(data ?? {}), ...(exception ? { err: exception } : {}), ...(detail !== '' && this.pino.isLevelEnabled('debug') ? { detail } : {}) };
    if (level <= LogLevel.ERROR) this.pino.warn(fields, first);
    else if (level <= LogLevel.WARNING && !RETRY_NOTICE.test(first)) this.pino.info(fields, first);
    else if (level <= LogLevel.INFO) this.pino.debug(fields, first);
    else this.pino.trace(fields, first);
  }
}

export function crawleeLog(logger: Logger, prefix = 'crawlee'): Log {
  const level = logger.isLevelEnabled('debug') ? LogLevel.DEBUG : logger.isLevelEnabled('info') ? LogLevel.WARNING : LogLevel.ERROR;
  return new Log({ level, logger: new PinoBridge(logger), prefix });
}
