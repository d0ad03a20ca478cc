import type { ExtensionDeclaration, RegisterHook } from '@trolley/core';

/** The Aldi scraper: product listings and store locations (crawlee, loaded on first use). */
const register: RegisterHook = ({ kernel }) => {
  const declarations: ExtensionDeclaration[] = [
    {
      kind: 'Scraper',
      id: 'aldi',
      apiVersion: kernel.apiVersion,
      summary: 'Aldi: product listings and store locations (crawlee)',
      create: async () => (await import('../aldi-scraper.js')).aldiScraper,
    },
  ];
  return declarations;
};

export default register;
