import type { ExtensionDeclaration, RegisterHook } from '@trolley/core';

const register: RegisterHook = ({ kernel }) => {
  const declarations: ExtensionDeclaration[] = [
    {
      kind: 'SubstitutionGenerator',
      id: 'lvl1',
      apiVersion: kernel.apiVersion,
      summary: 'LVL1: same brand and product, different size',
      create: async () => (await import('../generators/same-product-other-size.js')).sameProductOtherSize,
    },
  ];
  return declarations;
};

export default register;
