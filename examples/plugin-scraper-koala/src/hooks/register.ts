import type { ExtensionDeclaration, RegisterHook } from '@trolley/core';

/** A third-party chain: `@trolley/core` for types only, the scraper kit for the crawl. */
const register: RegisterHook = ({ kernel }) => {
  const declarations: ExtensionDeclaration[] = [
    {
      kind: 'Scraper',
      id: 'koala',
      apiVersion: kernel.apiVersion,
      summary: 'Koala Grocer (an invented chain): product listings',
      create: async () => {
        const [{ listingLister }, { koalaProducts }] = await Promise.all([import('@trolley/scraper-kit/site'), import('../koala-site.js')]);
        return { id: 'koala', company: 'koala', capabilities: ['products'], products: listingLister(koalaProducts) };
      },
    },
  ];
  return declarations;
};

export default register;
