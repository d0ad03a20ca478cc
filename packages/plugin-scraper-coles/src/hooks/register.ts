import type { ExtensionDeclaration, RegisterHook } from '@trolley/core';

/** The Coles scraper. Its `barcodes` capability (product-page enrichment) is declared when it ships. */
const register: RegisterHook = ({ kernel }) => {
  const declarations: ExtensionDeclaration[] = [
    {
      kind: 'Scraper',
      id: 'coles',
      apiVersion: kernel.apiVersion,
      summary: 'Coles (no capability yet: barcode enrichment is being built)',
      create: () => ({ id: 'coles', company: 'coles', capabilities: [] }),
    },
  ];
  return declarations;
};

export default register;
