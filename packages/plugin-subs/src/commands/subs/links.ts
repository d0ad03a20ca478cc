import { Flags } from '@oclif/core';
import { readCatalogue, TrolleyCommand, Tokens } from '@trolley/core';
import { refreshCategoryLinks } from '../../categories/category-links.js';
import { weakestLinks, type LinksResult } from '../../categories/link-review.js';
import { superGroups } from '../../categories/super-groups.js';
import { productVectors } from '../../embeddings/product-vectors.js';
import { resolveEmbedder } from '../../embeddings/resolve-embedder.js';
import { kernelServices } from '../../kernel-services.js';

export type { LinksResult } from '../../categories/link-review.js';
import { text } from '../../messages.js';


export default class SubsLinks extends TrolleyCommand<typeof SubsLinks> {
  static override summary = 'Compute and store the category links of LVL4 (MATCH, CLOSE, DISTANT) and list the weakest for review.';
  static override description =
    "MATCH: two leaf categories (of two companies or of one) where a share of one category's products have their closest counterpart in the other; the score is that share. CLOSE / DISTANT: categories whose product sets have a Jaccard index of at least 0.80 / 0.60 (the score). The stored links are brought up to date on each run as a diff: links that did not change are left alone. LVL4 pairs products across these links only.";
  static override examples = ['<%= config.bin %> subs links', '<%= config.bin %> subs links --weakest 20', '<%= config.bin %> subs links --embedder use-lite --json'];
  static override flags = {
    embedder: Flags.string({ description: 'Embedder for the product names: an installed Embedder id (use-lite; minilm with plugin-subs-minilm) or auto (minilm when that plugin is installed and its weights are present, else use-lite).', default: 'auto' }),
    weakest: Flags.integer({ description: 'How many of the weakest links to list for review (0: none).', default: 10, min: 0, max: 10_000 }),
  };

  async run(): Promise<LinksResult> {
    const kernel = await this.kernel();
    const knex = await kernel.knex();
    await kernel.extensions();
    const services = kernelServices(kernel.container, Tokens);
    const embedder = await resolveEmbedder(services, this.flags.embedder);
    const catalogue = await readCatalogue(knex);
    const report = await refreshCategoryLinks(knex, embedder, catalogue, await productVectors(services, embedder, catalogue));
    const groups = superGroups(report.links);
    const weakest = this.flags.weakest > 0 ? await weakestLinks(knex, this.flags.weakest) : [];
    const result: LinksResult = {
      embedder: embedder.id,
      modelId: embedder.modelId,
      categories: report.categories,
      companies: report.companies,
      links: report.counts,
      superGroups: groups.length,
      largestSuperGroup: Math.max(0, ...groups.map((g) => g.length)),
      changed: report.changed,
      weakest,
    };
    this.log(text.linksSummary(result));
    if (weakest.length > 0) {
      this.log(`The ${weakest.length} weakest link(s), for review:`);
      await this.logTable(['SCORE', 'KIND', 'CATEGORY A', 'CATEGORY B'], weakest.map((l) => [l.score.toFixed(2), l.kind, `${l.a.name} (${l.a.company})`, `${l.b.name} (${l.b.company})`]));
    }
    return result;
  }
}
