import { Flags } from '@oclif/core';
import { TrolleyCommand } from '../cli/base-command.js';
import { EXTENSION_KINDS, type ExtensionKind } from '../extensions/api.js';
import type { DiscoveryProblem } from '../extensions/registry.js';
import { tableFlags } from '../cli/table.js';

export interface ExtensionsResult {
  apiVersion: string;
  extensions: Array<{ kind: ExtensionKind; id: string; summary: string; plugin: string; pluginVersion: string; apiVersion: string }>;
  problems: DiscoveryProblem[];
}

export default class Extensions extends TrolleyCommand<typeof Extensions> {
  static override summary = 'List the extensions that the installed plugins register.';
  static override description =
    'Each plugin (the core included) answers the trolley:register hook with the extensions it provides. Plugins built for another major extension API version, or whose registration fails, are listed as problems and skipped.';
  static override examples = ['<%= config.bin %> extensions', '<%= config.bin %> extensions --kind SubstitutionGenerator --json'];
  static override flags = {
    ...tableFlags,
    kind: Flags.string({ description: 'Only extensions of this kind.', options: [...EXTENSION_KINDS] }),
  };

  async run(): Promise<ExtensionsResult> {
    const kernel = await this.kernel();
    const registry = await kernel.extensions();
    const kind = this.flags.kind as ExtensionKind | undefined;
    const extensions = registry.list(kind).map((e) => ({
      kind: e.kind,
      id: e.id,
      summary: e.summary,
      plugin: e.plugin.name,
      pluginVersion: e.plugin.version,
      apiVersion: e.apiVersion,
    }));
    await this.logTable(['KIND', 'ID', 'PLUGIN', 'VERSION', 'API', 'SUMMARY'], extensions.map((e) => [e.kind, e.id, e.plugin, e.pluginVersion, e.apiVersion, e.summary]), { csv: this.flags.csv });
    if (registry.problems.length > 0) {
      this.log(`\n${registry.problems.length} plugin problem(s):`);
      for (const p of registry.problems) this.log(`  - ${p.message}`);
    }
    return { apiVersion: registry.apiVersion, extensions, problems: [...registry.problems] };
  }
}
