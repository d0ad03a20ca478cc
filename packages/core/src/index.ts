/**
 * @trolley/core — the kernel. Third-party plugins import from here for types only
 * (`import type { RegisterHook } from '@trolley/core'`); first-party plugins may use the helpers.
 */
export * from './extensions/api.js';
export { cleanBarcode, isValidGtin, type BarcodeResult } from './normalise/barcode.js';
export { ExtensionRegistry, majorOf, type DiscoveryProblem, type PluginRef, type RegisteredExtension } from './extensions/registry.js';
export { discoverExtensions, REGISTER_HOOK } from './extensions/discovery.js';
export { Tokens, type KernelTokens } from './context/tokens.js';
export { Kernel, type KernelParts } from './context/kernel.js';
export { resolveConfig, type TrolleyConfig, type LogLevel, type LogFormat } from './context/config.js';
export { createLogger, type Logger } from './context/logger.js';
export { createProgressReporter, formatProgress, type ProgressReporter, type ProgressStartOptions, type ProgressTask } from './context/progress.js';
export { systemClock, fixedClock, type Clock } from './context/clock.js';
export { Database, describeTarget, targetFor, type DatabaseTarget } from './db/database.js';
export { migrateToLatest, migrationStatus, orderMigrations, type OwnedMigration, type MigrationStatus } from './db/migrations.js';
export { coreMigrations } from './db/core-migrations.js';
export { bigintArray, dateArray, textArray } from './db/sql-arrays.js';
export { prepared } from './db/prepared.js';
export { inTransaction } from './db/transaction.js';
export { TrolleyCommand } from './cli/base-command.js';
export { renderTable, tableFlags, type RenderTableOptions } from './cli/table.js';
export { parseDays, parseIsoDate } from './cli/date-options.js';
export { durationMs, parseDuration } from './cli/duration.js';
export { pricingStoreResolver, resolvedPrices, resolvedPricesQuery, type ResolvedPrice } from './prices/resolved.js';
export { OWN_PRICE_ROWS, readRowsSql, storedReadRowsSql } from './prices/shared-rows.js';
export { moveSharing, shareRows, stopSharing, type ShareOutcome, type ShareScope } from './prices/sharing.js';
export { countPrices, countPricesBy, CORE_BREAKDOWNS, type PriceCount } from './prices/count.js';
export { importFiles, type ImportFilesOptions } from './import/import-files.js';
export type { FileReport, ImportOptions } from './import/import-file.js';
export * from './errors.js';
export { readCatalogue } from './catalogue/read-catalogue.js';
export { displayName } from './catalogue/display-name.js';
export { AmbiguousProductError, describeProduct, matchProduct, resolveProduct, type ProductMatch, type ProductSummary } from './catalogue/product-resolver.js';
export { productPrices, type ProductPricesOptions, type StorePrice } from './prices/product-prices.js';
export { priceHistory, type PriceChange, type PriceHistoryOptions } from './prices/price-history.js';
export { resolveStoreRefs, storesOf, type StoreSummary } from './prices/store-summaries.js';
export * as normalise from './normalise/index.js';
export { ExportClient, DEV_API_URL, type ExportClientOptions } from './export/client.js';
export { buildServer, type ServerOptions } from './export/server.js';
export type { ExportPrice, ExportProduct } from './export/export-queries.js';
export { knownBarcodes, type BarcodeQuery, type KnownBarcodes } from './export/known-barcodes.js';
export { identityResolver } from './extensions/identity-resolver.js';
export { storesNear, listStores, parseRadius, EARTH_RADIUS_KM, type RegistryStore, type StoresNear, type StoresNearQuery } from './stores/stores-near.js';
export { importStores, importPostcodes, type StoreImportReport, type PostcodeImportReport } from './stores/store-registry.js';
export { readStoreLines, readPostcodeLines, type StoreLine, type PostcodeLine } from './stores/store-lines.js';
export { scrapeStore, type StoreScrapeOptions, type StoreScrapeResult, type StoreRef as ScrapeStoreRef } from './scrape/scrape-store.js';
