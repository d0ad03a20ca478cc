/** What `subs links` reports, and the weakest stored category links with their categories' names and companies, for review. */
import type { Knex } from 'knex';
import type { LinkKind } from './category-links.js';

export interface ReviewedLink {
  readonly kind: LinkKind;
  readonly score: number;
  readonly a: { readonly id: number; readonly company: string; readonly name: string };
  readonly b: { readonly id: number; readonly company: string; readonly name: string };
}

export async function weakestLinks(knex: Knex, limit: number): Promise<ReviewedLink[]> {
  const { rows } = await knex.raw<{ rows: Array<{ kind: LinkKind; score: number | string; a: number | string; a_company: string; a_name: string; b: number | string; b_company: string; b_name: string }> }>(
    `select l.kind, l.score, ca.id as a, coa.name as a_company, ca.name as a_name, cb.id as b, cob.name as b_company, cb.name as b_name
     from category_links l
     join categories ca on ca.id = l.category_a join companies coa on coa.id = ca.company_id
     join categories cb on cb.id = l.category_b join companies cob on cob.id = cb.company_id
     order by l.score, l.category_a, l.category_b, l.kind
     limit ?`,
    [limit],
  );
  return rows.map((r) => ({
    kind: r.kind,
    score: Number(r.score),
    a: { id: Number(r.a), company: r.a_company, name: r.a_name },
    b: { id: Number(r.b), company: r.b_company, name: r.b_name },
  }));
}

export interface LinksResult {
  readonly embedder: string;
  readonly modelId: string;
  readonly categories: number;
  readonly companies: number;
  readonly links: Readonly<Record<LinkKind, number>>;
  readonly superGroups: number;
  readonly largestSuperGroup: number;
  /** Stored link rows deleted or inserted by this run. */
  readonly changed: number;
  /** The weakest links, lowest score first, for review. */
  readonly weakest: readonly ReviewedLink[];
}
