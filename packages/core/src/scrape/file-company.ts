/**
 * The company of a scrape file, read from its first line's `metadata.company` (lower case), without
 * reading the rest: how `scrape barcodes` tells the files it can enrich from the others in a mixed
 * inbox. Undefined when the first line is missing, not JSON, or names no company.
 */
import { firstLine } from '../import/scrape-lines.js';

export async function companyOfFile(file: string): Promise<string | undefined> {
  const line = await firstLine(file);
  if (!line) return undefined;
  try {
    const record = JSON.parse(line.text) as { metadata?: { company?: unknown } };
    const company = record.metadata?.company;
    return typeof company === 'string' && company.trim() !== '' ? company.trim().toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}
