/**
 * Real data for tests. Most tests that need the shape of real scrapes read the trimmed copies kept in
 * packages/core/test/fixtures/real/ ({@link realFixture}; their README says where each came from and
 * how it was trimmed). A test that truly needs the full files (scale, a whole catalogue's pair
 * counts) is declared with {@link realDataTest}: it reads them from the folder in TROLLEY_REAL_DATA,
 * and without that variable it is not run and says so in its title ({@link REAL_DATA_NOT_RUN}), which
 * the test script counts in its summary line and CI refuses.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExecutionContext } from 'ava';

export const REAL_DATA_ENV = 'TROLLEY_REAL_DATA';
/** In the title of a full-data test that did not run; scripts/test.mjs counts these. */
export const REAL_DATA_NOT_RUN = '[not run: needs TROLLEY_REAL_DATA]';
/** The trimmed copies of real files, laid out as the full folder is (aldi/, iga/, coles/). */
export const REAL_FIXTURES = fileURLToPath(new URL('../../../test/fixtures/real/', import.meta.url));

/** The trimmed copy of a real file, by its path in the full folder (e.g. `iga/iga-local-grocer-north-sydney-2025-09-19.jsonl.gz`). */
export function realFixture(relative: string): string {
  const file = path.join(REAL_FIXTURES, relative);
  if (!fs.existsSync(file)) throw new Error(`No trimmed copy of ${relative} in ${REAL_FIXTURES}; add one as its README describes.`);
  return file;
}

export interface RealData {
  readonly dir: string;
  /** A full real file by its path in the folder; a clear error when it is missing. */
  file(relative: string): string;
}

/** The folder of full real files named by TROLLEY_REAL_DATA, or undefined when it is not set. */
export function realDataFolder(env: NodeJS.ProcessEnv = process.env): RealData | undefined {
  const dir = env[REAL_DATA_ENV];
  if (!dir) return undefined;
  const root = path.resolve(dir);
  return {
    dir: root,
    file(relative) {
      const file = path.join(root, relative);
      if (!fs.existsSync(file)) throw new Error(`${REAL_DATA_ENV}=${dir} has no ${relative}; point it at the folder of full real data files.`);
      return file;
    },
  };
}

/** ava's `test` or `test.serial`, or anything declared the same way. */
export interface TestDeclaration<T> {
  (title: string, implementation: (t: T) => unknown): void;
  skip(title: string, implementation: (t: T) => unknown): void;
}

/**
 * Declares a test that needs the full real data files. With TROLLEY_REAL_DATA set it runs with that
 * folder (and fails if the folder is not there); without it, it is declared not run, its title
 * ending in {@link REAL_DATA_NOT_RUN}, so the run's summary counts it rather than passing over it.
 */
export function realDataTest<Context = unknown>(
  declare: TestDeclaration<ExecutionContext<Context>>,
  title: string,
  implementation: (t: ExecutionContext<Context>, data: RealData) => unknown,
): void {
  const data = realDataFolder();
  if (!data) {
    declare.skip(`${title} ${REAL_DATA_NOT_RUN}`, () => undefined);
    return;
  }
  declare(title, (t) => {
    if (!fs.statSync(data.dir, { throwIfNoEntry: false })?.isDirectory()) {
      throw new Error(`${REAL_DATA_ENV}=${data.dir} is not a folder; point it at the folder of full real data files, or unset it to leave these tests out.`);
    }
    return implementation(t, data);
  });
}
