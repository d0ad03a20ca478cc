/**
 * One invocation of trolley: its configuration, its tsyringe child container (logger, clock,
 * progress, database, extensions) and its clean-up. Commands and tests build one; plugins receive
 * the container through the factories they register.
 */
import 'reflect-metadata';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import type { Config } from '@oclif/core';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { Database, targetFor } from '../db/database.js';
import { migrateToLatest, migrationStatus, orderMigrations, type OwnedMigration } from '../db/migrations.js';
import { DatabaseUnavailableError } from '../errors.js';
import { discoverExtensions } from '../extensions/discovery.js';
import type { ExtensionRegistry } from '../extensions/registry.js';
import { systemClock, type Clock } from './clock.js';
import type { TrolleyConfig } from './config.js';
import { createLogger } from './logger.js';
import { createProgressReporter, type ProgressReporter } from './progress.js';
import { Tokens } from './tokens.js';

export interface KernelParts {
  readonly config: TrolleyConfig;
  /** How extensions are found; by default the oclif hook of every installed plugin. */
  readonly discover: () => Promise<ExtensionRegistry>;
  /** The name under which the core's own migrations are recorded. */
  readonly coreName: string;
  readonly logger?: Logger;
  readonly clock?: Clock;
  readonly database?: Database;
  readonly progress?: ProgressReporter;
}

export class Kernel {
  readonly container: DependencyContainer;
  private discovery: Promise<ExtensionRegistry> | undefined;

  private constructor(
    private readonly parts: KernelParts,
    readonly logger: Logger,
  ) {
    const clock = parts.clock ?? systemClock;
    this.container = rootContainer.createChildContainer();
    this.container.register(Tokens.Config, { useValue: parts.config });
    this.container.register(Tokens.Logger, { useValue: logger });
    this.container.register(Tokens.Clock, { useValue: clock });
    this.container.register(Tokens.Progress, { useValue: parts.progress ?? createProgressReporter({ logger, clock }) });
    this.container.register(Tokens.Database, { useValue: parts.database ?? new Database(targetFor(parts.config), logger) });
  }

  static async create(parts: KernelParts): Promise<Kernel> {
    return new Kernel(parts, parts.logger ?? (await createLogger(parts.config)));
  }

  /** A kernel whose extensions come from the installed oclif plugins. */
  static forOclif(oclif: Config, parts: Omit<KernelParts, 'discover' | 'coreName'>): Promise<Kernel> {
    return Kernel.create({ ...parts, coreName: oclif.pjson.name, discover: () => discoverExtensions(oclif) });
  }

  get config(): TrolleyConfig {
    return this.parts.config;
  }

  get database(): Database {
    return this.container.resolve<Database>(Tokens.Database);
  }

  /** Every installed extension, discovered once per invocation; problems are logged as warnings. */
  extensions(): Promise<ExtensionRegistry> {
    this.discovery ??= this.parts.discover().then((registry) => {
      for (const problem of registry.problems) this.logger.warn({ plugin: problem.plugin.name, problem: problem.problem }, problem.message);
      this.container.register(Tokens.Extensions, { useValue: registry });
      return registry;
    });
    return this.discovery;
  }

  /** The core's migrations and every installed plugin's, in the order they run. */
  async migrations(): Promise<OwnedMigration[]> {
    const registry = await this.extensions();
    const sets = await registry.all('Migrations', this.container);
    const byOwner = new Map<string, OwnedMigration['migration'][]>();
    for (const { entry, extension } of sets) byOwner.set(entry.plugin.name, [...(byOwner.get(entry.plugin.name) ?? []), ...extension.migrations]);
    return orderMigrations([...byOwner].map(([owner, migrations]) => ({ owner, migrations })), this.parts.coreName);
  }

  /**
   * The database with its schema up to date: pending migrations run first unless auto-migration is
   * off (TROLLEY_AUTO_MIGRATE=0), in which case the command is refused with the fix.
   */
  async knex(): Promise<Knex> {
    const progress = this.container.resolve<ProgressReporter>(Tokens.Progress);
    // Creating the embedded database takes seconds the first time: say so on the terminal.
    const opening = this.database.isOpen ? undefined : progress.start('opening the database', undefined, { quiet: true });
    let knex: Knex;
    try {
      knex = await this.database.knex();
    } finally {
      opening?.done();
    }
    const migrations = await this.migrations();
    const { pending } = await migrationStatus(knex, migrations);
    if (pending.length === 0) return knex;
    if (!this.config.autoMigrate) {
      throw new DatabaseUnavailableError(
        `The database schema is behind: ${pending.length} migration(s) pending (${pending.join(', ')}); run trolley db migrate.`,
        'schema-behind',
      );
    }
    const migrating = progress.start(`migrating the database (${pending.length} migration(s))`, undefined, { quiet: true });
    let applied: string[];
    try {
      applied = await migrateToLatest(knex, migrations);
    } finally {
      migrating.done();
    }
    this.logger.info({ applied }, `applied ${applied.length} pending migration(s) to ${this.database.description}`);
    return knex;
  }

  /** Closes the database (if it was opened) and releases its lock. Safe to call twice. */
  async dispose(): Promise<void> {
    await this.database.close();
    this.logger.flush?.();
  }
}
