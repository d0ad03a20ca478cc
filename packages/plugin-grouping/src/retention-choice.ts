/**
 * Which retention policy a command uses: `--retention NAME`, else the `TROLLEY_GROUPS_RETENTION`
 * environment variable, else `lossless`. Any installed `RetentionPolicy` extension may be named.
 */
import { DEFAULT_RETENTION } from './retention-policies.js';

export const RETENTION_ENV = 'TROLLEY_GROUPS_RETENTION';

export function retentionName(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env[RETENTION_ENV]?.trim();
  return flag?.trim() || fromEnv || DEFAULT_RETENTION;
}
