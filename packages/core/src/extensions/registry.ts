/**
 * The extensions found in this invocation: who registered what, at which API version, and the
 * problems met on the way (a refused or broken plugin never takes the CLI down).
 */
import type { DependencyContainer } from 'tsyringe';
import { InputError } from '../errors.js';
import { EXTENSION_API_VERSION, EXTENSION_KINDS, type ExtensionDeclaration, type ExtensionKind, type ExtensionKinds } from './api.js';

export interface PluginRef {
  readonly name: string;
  readonly version: string;
}

export interface RegisteredExtension<K extends ExtensionKind = ExtensionKind> {
  readonly kind: K;
  readonly id: string;
  readonly apiVersion: string;
  readonly summary: string;
  readonly plugin: PluginRef;
  readonly declaration: ExtensionDeclaration<K>;
}

export type ProblemKind = 'incompatible' | 'failed' | 'invalid' | 'duplicate';

export interface DiscoveryProblem {
  readonly plugin: PluginRef;
  readonly problem: ProblemKind;
  readonly message: string;
}

export class ExtensionRegistry {
  private readonly entries: RegisteredExtension[] = [];
  private readonly problemList: DiscoveryProblem[] = [];
  private readonly instances = new Map<string, Promise<unknown>>();

  constructor(readonly apiVersion: string = EXTENSION_API_VERSION) {}

  /** Registers what one plugin declared; refuses, with a recorded problem, what cannot be used. */
  addFrom(plugin: PluginRef, declarations: unknown): void {
    if (!Array.isArray(declarations)) {
      this.report(plugin, 'invalid', `Plugin ${plugin.name}@${plugin.version} answered trolley:register with ${describe(declarations)} instead of a list of extensions; it was skipped (fix the plugin's hook to return an array).`);
      return;
    }
    for (const declaration of declarations) this.add(plugin, declaration);
  }

  add(plugin: PluginRef, declaration: unknown): void {
    const invalid = validate(declaration);
    if (invalid) {
      this.report(plugin, 'invalid', `Plugin ${plugin.name}@${plugin.version} declared an extension that ${invalid}; it was skipped (fix the plugin).`);
      return;
    }
    const decl = declaration as ExtensionDeclaration;
    const wanted = majorOf(this.apiVersion);
    if (majorOf(decl.apiVersion) !== wanted) {
      this.report(
        plugin,
        'incompatible',
        `Plugin ${plugin.name}@${plugin.version} was refused: its ${decl.kind} "${decl.id}" is built for extension API ${decl.apiVersion}, but this trolley speaks ${this.apiVersion}; install a version of the plugin built for API ${wanted}.x.`,
      );
      return;
    }
    const existing = this.find(decl.kind, decl.id);
    if (existing) {
      this.report(
        plugin,
        'duplicate',
        `Plugin ${plugin.name}@${plugin.version} registers ${decl.kind} "${decl.id}", which ${existing.plugin.name} already registered; the first one is kept (uninstall one of the two).`,
      );
      return;
    }
    this.entries.push({ kind: decl.kind, id: decl.id, apiVersion: decl.apiVersion, summary: decl.summary ?? '', plugin, declaration: decl });
  }

  report(plugin: PluginRef, problem: ProblemKind, message: string): void {
    this.problemList.push({ plugin, problem, message });
  }

  get problems(): readonly DiscoveryProblem[] {
    return this.problemList;
  }

  list<K extends ExtensionKind>(kind?: K): readonly RegisteredExtension<K>[] {
    return (kind === undefined ? this.entries : this.entries.filter((e) => e.kind === kind)) as RegisteredExtension<K>[];
  }

  find<K extends ExtensionKind>(kind: K, id: string): RegisteredExtension<K> | undefined {
    return this.entries.find((e) => e.kind === kind && e.id === id) as RegisteredExtension<K> | undefined;
  }

  /** Creates (once per invocation) the extension `kind`/`id`, or says which ids exist. */
  async get<K extends ExtensionKind>(kind: K, id: string, container: DependencyContainer): Promise<ExtensionKinds[K]> {
    const entry = this.find(kind, id);
    if (!entry) {
      const known = this.list(kind).map((e) => e.id);
      throw new InputError(
        `No ${kind} named "${id}" is installed; ${known.length > 0 ? `choose one of ${known.join(', ')}` : `install a plugin that provides one (trolley plugins install NAME)`}.`,
        'unknown-extension',
      );
    }
    return this.create(entry, container);
  }

  /** Creates every extension of a kind, in registration order. */
  async all<K extends ExtensionKind>(kind: K, container: DependencyContainer): Promise<Array<{ entry: RegisteredExtension<K>; extension: ExtensionKinds[K] }>> {
    const result: Array<{ entry: RegisteredExtension<K>; extension: ExtensionKinds[K] }> = [];
    for (const entry of this.list(kind)) result.push({ entry, extension: await this.create(entry, container) });
    return result;
  }

  private create<K extends ExtensionKind>(entry: RegisteredExtension<K>, container: DependencyContainer): Promise<ExtensionKinds[K]> {
    const key = `${entry.kind}\u0000${entry.id}`;
    let instance = this.instances.get(key) as Promise<ExtensionKinds[K]> | undefined;
    if (!instance) {
      const declaration = entry.declaration as { create(c: DependencyContainer): ExtensionKinds[K] | Promise<ExtensionKinds[K]> };
      instance = Promise.resolve().then(() => declaration.create(container));
      this.instances.set(key, instance);
    }
    return instance;
  }
}

export function majorOf(version: string): number {
  const major = Number.parseInt(String(version).split('.')[0] ?? '', 10);
  return Number.isNaN(major) ? -1 : major;
}

function validate(declaration: unknown): string | undefined {
  if (typeof declaration !== 'object' || declaration === null) return `is ${describe(declaration)}, not an object`;
  const d = declaration as Record<string, unknown>;
  if (!EXTENSION_KINDS.includes(d.kind as ExtensionKind)) return `has an unknown kind ${JSON.stringify(d.kind)} (known: ${EXTENSION_KINDS.join(', ')})`;
  if (typeof d.id !== 'string' || !/^[a-z0-9][a-z0-9._-]*$/i.test(d.id)) return `of kind ${String(d.kind)} has no usable id (${JSON.stringify(d.id)})`;
  if (typeof d.apiVersion !== 'string' || majorOf(d.apiVersion) < 0) return `${String(d.kind)} "${d.id}" has no apiVersion like "1.0.0"`;
  if (typeof d.create !== 'function') return `${String(d.kind)} "${d.id}" has no create() factory`;
  return undefined;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}
