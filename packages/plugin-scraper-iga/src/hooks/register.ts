import type { ExtensionDeclaration, RegisterHook } from '@trolley/core';

/** The IGA scraper: product listings (crawlee, loaded on first use). */
const register: RegisterHook = ({ kernel }) => {
  const declarations: ExtensionDeclaration[] = [
    {
      kind: 'Scraper',
      id: 'iga',
      apiVersion: kernel.apiVersion,
      summary: 'IGA: product listings (crawlee)',
      create: async () => (await import('../iga-scraper.js')).igaScraper,
    },
  ];
  return declarations;
};

export default register;
