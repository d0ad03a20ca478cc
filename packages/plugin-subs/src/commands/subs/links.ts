import { Flags } from '@oclif/core';
import { TrolleyCommand, Tokens } from '@trolley/core';
import { refreshCategoryLinks, type LinkKind } from '../../categories/category-links.js';
import { superGroups } from '../../categories/super-groups.js';
import { resolveEmbedder } from '../../embeddings/resolve-embedder.js';
import { kernelServices } from '../../kernel-services.js';

export interface LinksResult {
  readonly embedder: string;
  readonly modelId: string;
  readonly categories: number;
  readonly links: Readonly<Record<LinkKind, number>>;
  readonly superGroups: number;
  readonly largestSuperGroup: number;
  /** Stored link rows deleted or inserted by this run. */
  readonly changed: number;
}

export default class SubsLinks extends TrolleyCommand<typeof SubsLinks> {
  static override summary = 'Compute and store the category links of LVL4 (MATCH, CLOSE, DISTANT) and count the super-groups.';
  static override description =
    'MATCH: leaf categories of different companies whose names embed with cosine above the embedder threshold. CLOSE / DISTANT: categories whose product sets have a Jaccard index of at least 0.80 / 0.60. The stored links are brought up to date on each run as a diff: links that did not change are left alone.';
  static override examples = ['<%= config.bin %> subs links', '<%= config.bin %> subs links --embedder use-lite --json'];
  static override flags = {
    embedder: Flags.string({ description: 'Embedder for category names: an installed Embedder id (minilm, use-lite) or auto (minilm when its weights are present, else use-lite).', default: 'auto' }),
  };

  async run(): Promise<LinksResult> {
    const kernel = await this.kernel();
    const knex = await kernel.knex();
    await kernel.extensions();
    const services = kernelServices(kernel.container, Tokens);
    const embedder = await resolveEmbedder(services, this.flags.embedder);
    const report = await refreshCategoryLinks(knex, embedder, services.progress);
    const groups = superGroups(report.links);
    const result: LinksResult = {
      embedder: embedder.id,
      modelId: embedder.modelId,
      categories: report.categories,
      links: report.counts,
      superGroups: groups.length,
      largestSuperGroup: Math.max(0, ...groups.map((g) => g.length)),
      changed: report.changed,
    };
    this.log(`${report.categories.toLocaleString('en-AU')} leaf categories: ${report.counts.MATCH} MATCH, ${report.counts.CLOSE} CLOSE, ${report.counts.DISTANT} DISTANT link(s) (names scored with ${embedder.id}); ${report.changed.toLocaleString('en-AU')} stored row(s) changed.`);
    this.log(`${groups.length} super-group(s)${groups.length > 0 ? `, the largest of ${result.largestSuperGroup} categories` : ''}.`);
    return result;
  }
}
