/**
 * Injection tokens of the kernel's per-invocation container. They are plain strings so that a
 * plugin resolving them through the container it is handed needs no runtime import of the core.
 */
export const Tokens = {
  /** {@link TrolleyConfig}: resolved configuration of this invocation. */
  Config: 'trolley:config',
  /** A pino logger writing to stderr. */
  Logger: 'trolley:logger',
  /** {@link Clock}: the time source; tests inject a fixed one. */
  Clock: 'trolley:clock',
  /** {@link ProgressReporter}: one updating line on a terminal, log lines in a pipe. */
  Progress: 'trolley:progress',
  /** {@link Database}: the lazily opened database of this invocation. */
  Database: 'trolley:database',
  /** {@link ExtensionRegistry}: every extension the installed plugins registered. */
  Extensions: 'trolley:extensions',
} as const;

export type KernelTokens = typeof Tokens;
