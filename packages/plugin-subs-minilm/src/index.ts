export { createMiniLmEmbedder, ModelUnavailableError, MINILM_DIMENSIONS, MINILM_THRESHOLD } from './minilm-embedder.js';
export { modelSettings, missingMiniLmFiles, MINILM_REPO, MINILM_FILES, type ModelSettings } from './model-settings.js';
