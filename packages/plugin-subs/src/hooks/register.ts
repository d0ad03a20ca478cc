import type { ExtensionDeclaration, RegisterHook } from '@trolley/core';

const register: RegisterHook = ({ kernel }) => {
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
  ];
  return declarations;
};

export default register;
