/** A kernel-like container for plugin-subs tests: a test database, the extension registry with chosen declarations, a recording progress reporter. */
import 'reflect-metadata';
import { container as root } from 'tsyringe';
import type { Knex } from 'knex';
import { EXTENSION_API_VERSION, ExtensionRegistry, Tokens, type Embedder, type ExtensionDeclaration, type ProgressReporter } from '@trolley/core';
import { migrationsWith, silentLogger, testDatabase, type Teardown } from '@trolley/core/testing';
import { embeddingMigrations } from '../../src/embeddings/migration.js';
import { kernelServices, type KernelServices } from '../../src/kernel-services.js';
import { normaliseInPlace } from '../../src/embeddings/vectors.js';

export const SUBS = '@trolley/plugin-subs';

export interface ProgressRecord {
  label: string;
  total: number | undefined;
  ticks: number;
  done: boolean;
}

export function recordingProgress(): ProgressReporter & { tasks: ProgressRecord[] } {
  const tasks: ProgressRecord[] = [];
  return {
    tasks,
    start(label, total) {
      const record: ProgressRecord = { label, total, ticks: 0, done: false };
      tasks.push(record);
      return { tick: (n = 1) => void (record.ticks += n), setTotal: (n) => void (record.total = n), done: () => void (record.done = true) };
    },
  };
}

export interface TestKernel {
  readonly knex: Knex;
  readonly services: KernelServices;
  readonly progress: ReturnType<typeof recordingProgress>;
  readonly registry: ExtensionRegistry;
  readonly logs: string[];
}

/** A database migrated with the core's and this plugin's migrations, and a container holding it. */
export async function testKernel(t: Teardown, declarations: ExtensionDeclaration[] = [], home = '/nonexistent-trolley-home'): Promise<TestKernel> {
  const { database, knex } = await testDatabase(t, { migrations: migrationsWith({ [SUBS]: embeddingMigrations }) });
  const registry = new ExtensionRegistry();
  for (const declaration of declarations) registry.add({ name: SUBS, version: '0.0.0' }, declaration);
  const progress = recordingProgress();
  const logs: string[] = [];
  const logger = silentLogger.child({});
  logger.info = ((obj: unknown, msg?: string) => void logs.push(typeof obj === 'string' ? obj : (msg ?? ''))) as typeof logger.info;
  const container = root.createChildContainer();
  container.register(Tokens.Config, { useValue: { home, databaseUrl: undefined, databaseSchema: undefined, autoMigrate: true, logLevel: 'silent', logFormat: 'json' } });
  container.register(Tokens.Logger, { useValue: logger });
  container.register(Tokens.Progress, { useValue: progress });
  container.register(Tokens.Database, { useValue: database });
  container.register(Tokens.Extensions, { useValue: registry });
  return { knex, services: kernelServices(container, Tokens), progress, registry, logs };
}

export function embedderDeclaration(embedder: Embedder): ExtensionDeclaration {
  return { kind: 'Embedder', id: embedder.id, apiVersion: EXTENSION_API_VERSION, create: () => embedder };
}

/**
 * A deterministic bag-of-words embedder for tests: each lower-cased word adds a fixed random unit
 * direction (seeded by the word), so texts sharing words are near. Counts what it embeds.
 */
export function bagOfWordsEmbedder(options: { id?: string; dimensions?: number; threshold?: number } = {}): Embedder & { calls: string[][] } {
  const dimensions = options.dimensions ?? 64;
  const calls: string[][] = [];
  const direction = (word: string) => {
    let h = 2166136261;
    for (const c of word) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
    const v = new Float32Array(dimensions);
    for (let i = 0; i < dimensions; i++) {
      h = Math.imul(h ^ (h >>> 13), 0x5bd1e995) >>> 0;
      v[i] = (h / 4294967296) * 2 - 1;
    }
    return normaliseInPlace(v);
  };
  return {
    id: options.id ?? 'bow',
    modelId: `test-bag-of-words-${dimensions}`,
    dimensions,
    threshold: options.threshold ?? 0.6,
    calls,
    async embed(texts) {
      calls.push([...texts]);
      return texts.map((text) => {
        const v = new Float32Array(dimensions);
        for (const word of text.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean)) direction(word).forEach((x, i) => (v[i] = v[i]! + x));
        return normaliseInPlace(v);
      });
    },
  };
}
