/**
 * The core answers its own `trolley:register` hook like any plugin: its migrations and the
 * identity pricing-store resolver (every store reads its own prices until a plugin says otherwise).
 */
import type { ExtensionDeclaration, RegisterHook } from '../extensions/api.js';

const register: RegisterHook = ({ kernel }) => {
  const declarations: ExtensionDeclaration[] = [
    {
      kind: 'Migrations',
      id: 'core',
      apiVersion: kernel.apiVersion,
      summary: 'companies, stores and the rest of the domain schema',
      create: async () => ({ migrations: (await import('../db/core-migrations.js')).coreMigrations }),
    },
    {
      kind: 'PricingStoreResolver',
      id: 'identity',
      apiVersion: kernel.apiVersion,
      summary: 'every store reads its own prices',
      create: async () => (await import('../extensions/identity-resolver.js')).identityResolver,
    },
  ];
  return declarations;
};

export default register;
