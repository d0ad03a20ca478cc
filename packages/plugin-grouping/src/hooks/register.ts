import type { ExtensionDeclaration, RegisterHook } from '@trolley/core';

const register: RegisterHook = ({ kernel }) => {
  const declarations: ExtensionDeclaration[] = [
    {
      kind: 'RetentionPolicy',
      id: 'keep',
      apiVersion: kernel.apiVersion,
      summary: 'delete nothing: members keep every price row',
      create: async () => (await import('../retention-policies.js')).keepPolicy,
    },
  ];
  return declarations;
};

export default register;
