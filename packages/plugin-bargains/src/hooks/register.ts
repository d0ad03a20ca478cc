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
  ];
  return declarations;
};

export default register;
