import { Args, Flags } from '@oclif/core';
import { TrolleyCommand } from '../cli/base-command.js';
import { Tokens } from '../context/tokens.js';
import type { ProgressReporter } from '../context/progress.js';
import { ExitCode } from '../errors.js';
import type { FileReport } from '../import/import-file.js';
import { importFiles } from '../import/import-files.js';
import { importTotals, type ImportTotals } from '../import/import-totals.js';
import { findScrapeFilesIn, nothingFound } from '../import/find-scrape-files.js';
import { orderByScrapedDate, type FirstLines } from '../import/file-order.js';
import { storeIdForms } from '../scrape/scraper-lookup.js';

export interface ImportResult {
  files: FileReport[];
  totals: ImportTotals;
  dryRun: boolean;
  /** Set when the paths held no scrape file: the sentence saying where was searched. */
  nothingFound?: string;
}

export default class Import extends TrolleyCommand<typeof Import> {
  static override summary = 'Import scrape files (.jsonl or .jsonl.gz) into the database.';
  static override description = `Each file is one store's scrape of one day, read and checked whole, then written whole in one transaction (files of different stores share a transaction, never part of a file): products are matched by barcode, then the company's SKU, then the product key; prices are upserted; a file holding at least 90% of the store's current products is a full sync, which also deletes the store's prices for products not in the file; price history records changes only. A file that fails changes nothing, and the later files of its store in the same run are held back (imported in order by the next run, once the file is fixed or removed); a file not newer than the store's last import is stale and skipped, unless --backfill loads it (a day never imported) into price history only. Folders are searched for scrape files with their sub-folders (hidden ones left out), and the files are imported in date order. A folder with no scrape file is not an error: the command says so in one sentence and exits 0; a named file that does not exist exits 3.`;
  static override examples = [
    '<%= config.bin %> import scrapes/',
    '<%= config.bin %> import aldi-g147-2025-09-22.jsonl.gz --dry-run --json',
    '<%= config.bin %> import aldi-catalogue-2026-06-29.jsonl.gz --store-id CATALOGUE',
    '<%= config.bin %> import old-scrapes/ --backfill',
  ];
  static override strict = false;
  static override args = { paths: Args.string({ description: 'Scrape files or folders of them.', required: true }) };
  static override flags = {
    'skip-invalid': Flags.boolean({ description: 'Import the valid lines of a file and write the invalid ones to <file>.rejects.jsonl beside it.' }),
    'store-id': Flags.string({ description: "Store id for files whose metadata has none (the 2026 Aldi catalogue)." }),
    'allow-future-dates': Flags.boolean({ description: 'Accept files dated more than a day ahead of the clock (refused by default: such a date would make every real scrape after it stale).' }),
    'replace-invalid-utf8': Flags.boolean({ description: 'Replace bytes that are not UTF-8 with U+FFFD, with a warning, instead of refusing the file.' }),
    backfill: Flags.boolean({
      description: "Load a store's file older than its last import (a day never imported) into price history only, instead of skipping it as stale: current prices, scraped dates and groups stay as they are. Newer files import as usual.",
    }),
    'dry-run': Flags.boolean({ description: 'Report what would change, and change nothing.' }),
    jobs: Flags.integer({ description: 'Batches of files (different stores) merged at once (default 2 on a PostgreSQL server, 1 on the embedded database, which has one connection).', min: 1, max: 8 }),
  };

  async run(): Promise<ImportResult> {
    const { argv } = await this.parse(Import);
    const skipped: string[] = [];
    const firstLines: FirstLines = new Map();
    const files = await orderByScrapedDate(await findScrapeFilesIn(argv as string[], (_file, why) => skipped.push(why)), firstLines);
    const kernel = await this.kernel();
    for (const why of skipped) kernel.logger.warn(why);
    if (files.length === 0) {
      // Nothing to import is not a failure (a cron job over an empty inbox): say so, exit 0, open no database.
      const sentence = nothingFound(argv as string[]);
      kernel.logger.warn(sentence);
      return this.finish({ files: [], totals: importTotals([]), dryRun: this.flags['dry-run'], nothingFound: sentence }, ExitCode.ok);
    }
    const knex = await kernel.knex();
    const progress = kernel.container.resolve<ProgressReporter>(Tokens.Progress).start('import', files.length);
    const options = {
      skipInvalid: this.flags['skip-invalid'],
      storeId: this.flags['store-id'],
      dryRun: this.flags['dry-run'],
      allowFutureDates: this.flags['allow-future-dates'],
      replaceInvalidUtf8: this.flags['replace-invalid-utf8'],
      backfill: this.flags.backfill,
      digest: kernel.config.importDigest,
      canonicalStoreId: await storeIdForms(await kernel.extensions(), kernel.container),
    };
    const jobs = this.flags.jobs ?? (kernel.database.kind === 'postgres' ? 2 : 1);
    const reports = await importFiles(knex, files, {
      ...options,
      jobs,
      firstLines,
      onFile(report) {
        progress.tick();
        for (const warning of report.warnings ?? []) kernel.logger.warn({ file: report.file }, warning);
        if (report.mode === 'failed') kernel.logger.error({ file: report.file }, report.message);
        else if (report.mode === 'stale' || report.mode === 'held') kernel.logger.warn({ file: report.file }, report.message);
      },
    });
    progress.done();
    const result: ImportResult = { files: reports, totals: importTotals(reports), dryRun: this.flags['dry-run'] };
    for (const r of reports) this.log(describe(r));
    const t = result.totals;
    this.log(
      `${this.flags['dry-run'] ? 'Dry run: would import' : 'Imported'} ${t.imported} of ${t.files} file(s) (${t.backfilled ? `${t.backfilled} into history only, ` : ''}${t.stale} stale, ${t.failed} failed${t.held ? `, ${t.held} held back behind a failed file of their store` : ''}): ${t.inserted} new, ${t.updated} changed, ${t.unchanged} unchanged, ${t.deleted} deleted price rows; ${t.history} history rows.`,
    );
    return this.finish(result, t.failed > 0 ? ExitCode.input : ExitCode.ok);
  }
}

function describe(r: FileReport): string {
  if (r.mode === 'failed' || r.mode === 'stale' || r.mode === 'held') return `${r.mode.padEnd(6)} ${r.message}`;
  const extras = [r.rejects ? `${r.rejects} rejected line(s) in ${r.rejectsFile ?? 'the rejects file'}` : '', r.barcodesRejected ? `${r.barcodesRejected} bad barcode(s)` : '']
    .filter(Boolean)
    .join(', ');
  if (r.mode === 'backfill') return `${r.mode.padEnd(6)} ${r.company} ${r.store} ${r.scrapedDate}: history ${r.history}, current prices untouched, ${r.newProducts} new product(s)${extras ? `, ${extras}` : ''} (${r.seconds}s) ${r.file}`;
  return `${r.mode.padEnd(6)} ${r.company} ${r.store} ${r.scrapedDate}: +${r.rows.inserted} ~${r.rows.updated} =${r.rows.unchanged} -${r.rows.deleted}, history ${r.history}, ${r.newProducts} new product(s)${extras ? `, ${extras}` : ''} (${r.seconds}s) ${r.file}`;
}
