/** Reads one of the package's data tables (`data/*.json`, shipped beside `dist/`). */
import fs from 'node:fs';

export function readDataFile<T>(name: string): T {
  // From dist/src/decision/ (and src/decision/ under a TypeScript runner) up to the package root.
  const url = new URL(`../../${import.meta.url.includes('/dist/') ? '../' : ''}data/${name}`, import.meta.url);
  return JSON.parse(fs.readFileSync(url, 'utf8')) as T;
}
