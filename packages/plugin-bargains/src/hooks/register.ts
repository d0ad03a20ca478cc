import type { ExtensionDeclaration, RegisterHook } from '@trolley/core';

const register: RegisterHook = ({ kernel }) => {
  const declarations: ExtensionDeclaration[] = [
    {
      kind: 'Migrations',
      id: 'bargains',
      apiVersion: kernel.apiVersion,
      summary: 'the bargains table',
      create: async () => ({ migrations: (await import('../migrations.js')).bargainsMigrations }),
    },
    {
      kind: 'Generator',
      id: 'bargains',
      apiVersion: kernel.apiVersion,
      summary: 'bargains over the current prices of pricing stores (max > 1.5 × min)',
      create: async (container) => (await import('../generator.js')).bargainsGenerator(container),
    },
  ];
  return declarations;
};

export default register;
