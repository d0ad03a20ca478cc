import type { ExtensionDeclaration, RegisterHook } from '@trolley/core';

/** The Coles scraper: barcode enrichment of Coles scrape files from the product pages (docs/barcodes.md). */
const register: RegisterHook = ({ kernel }) => {
  const declarations: ExtensionDeclaration[] = [
    {
      kind: 'Scraper',
      id: 'coles',
      apiVersion: kernel.apiVersion,
      summary: 'Coles: product listings and barcodes from product pages (crawlee)',
      create: async () => (await import('../coles-scraper.js')).colesScraper,
    },
  ];
  return declarations;
};

export default register;
