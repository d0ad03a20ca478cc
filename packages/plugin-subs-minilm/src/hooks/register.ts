import type { RegisterHook, TrolleyConfig } from '@trolley/core';

/**
 * Declares the `minilm` Embedder. plugin-subs's `--embedder auto` prefers it when this plugin is
 * installed and its weights are in the model folder; without this plugin it says "minilm is not
 * installed" and uses its built-in use-lite. transformers.js and onnxruntime load on first embed.
 */
const register: RegisterHook = ({ kernel }) => [
  {
    kind: 'Embedder',
    id: 'minilm',
    apiVersion: kernel.apiVersion,
    summary: 'all-MiniLM-L6-v2 (transformers.js, quantised, 384-d); weights in TROLLEY_MODEL_DIR',
    create: async (container) => {
      const [{ createMiniLmEmbedder }, { modelSettings }] = await Promise.all([import('../minilm-embedder.js'), import('../model-settings.js')]);
      return createMiniLmEmbedder(modelSettings(container.resolve<TrolleyConfig>(kernel.tokens.Config).home, process.env));
    },
  },
];

export default register;
