// A third-party plugin imports @trolley/core for types only: the kernel, its API version and its
// tokens arrive in the hook's options, so the plugin installs without the (unpublished) core.
import type { ExtensionDeclaration, RegisterHook } from '@trolley/core';

const register: RegisterHook = ({ kernel }) => {
  const declarations: ExtensionDeclaration[] = [
    {
      kind: 'SubstitutionGenerator',
      id: 'lvl5-anagram',
      apiVersion: '1.0.0',
      summary: `LVL5: product names that are anagrams of each other (kernel API ${kernel.apiVersion})`,
      create: async () => (await import('../anagram-names.js')).anagramNames,
    },
  ];
  return declarations;
};

export default register;
