import type { ExtensionDeclaration, RegisterHook } from '@trolley/core';

/** The Woolworths scraper: product listings and store locations (crawlee, loaded on first use). */
const register: RegisterHook = ({ kernel }) => {
  const declarations: ExtensionDeclaration[] = [
    {
      kind: 'Scraper',
      id: 'woolworths',
      apiVersion: kernel.apiVersion,
      summary: 'Woolworths: product listings and store locations (crawlee)',
      create: async () => (await import('../woolworths-scraper.js')).woolworthsScraper,
    },
  ];
  return declarations;
};

export default register;
