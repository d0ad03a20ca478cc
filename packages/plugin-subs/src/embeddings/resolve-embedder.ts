/**
 * `--embedder ID|auto` → an Embedder from the registry. `auto` takes the first of
 * {@link AUTO_PREFERENCE} that is installed and available here (minilm, from the optional plugin
 * plugin-subs-minilm, when that is installed and its weights are in the model folder or may be
 * downloaded; else plugin-subs's own use-lite, fully offline) and logs one line saying which and why. The
 * choice is made once per invocation (container), so LVL3 and LVL4 share one embedder and one
 * loaded model.
 */
import type { DependencyContainer } from 'tsyringe';
import type { Embedder } from '@trolley/core';
import type { KernelServices } from '../kernel-services.js';
import { isChecked } from './availability.js';

export const AUTO = 'auto';
export const AUTO_PREFERENCE = ['minilm', 'use-lite'] as const;
/** Where an embedder of {@link AUTO_PREFERENCE} that plugin-subs does not carry comes from. */
const PLUGIN_OF: Readonly<Record<string, string>> = { minilm: '@trolley/plugin-subs-minilm' };

const chosen = new WeakMap<DependencyContainer, Map<string, Promise<Embedder>>>();

export function resolveEmbedder(services: KernelServices, choice: string): Promise<Embedder> {
  let byChoice = chosen.get(services.container);
  if (!byChoice) chosen.set(services.container, (byChoice = new Map()));
  let embedder = byChoice.get(choice);
  if (!embedder) {
    embedder = choose(services, choice);
    byChoice.set(choice, embedder);
  }
  return embedder;
}

async function choose(services: KernelServices, choice: string): Promise<Embedder> {
  const registry = services.extensions();
  if (choice !== AUTO) return registry.get('Embedder', choice, services.container);
  const passedOver: string[] = [];
  for (const id of AUTO_PREFERENCE) {
    if (!registry.find('Embedder', id)) {
      passedOver.push(PLUGIN_OF[id] ? `${id} is not installed: it is the plugin ${PLUGIN_OF[id]}` : `${id} is not installed`);
      continue;
    }
    const embedder = await registry.get('Embedder', id, services.container);
    const { available, reason } = isChecked(embedder) ? embedder.availability() : { available: true, reason: 'it is installed' };
    if (available) {
      const why = passedOver.length > 0 ? `${passedOver.join('; ')}; ${id}: ${reason}` : `${id}: ${reason}`;
      services.logger.info({ embedder: id, modelId: embedder.modelId, threshold: embedder.threshold }, `embedder auto → ${id} (${why})`);
      return embedder;
    }
    passedOver.push(`not ${id}: ${reason}`);
  }
  const installed = registry.list('Embedder').map((e) => e.id);
  throw Object.assign(new Error(`--embedder auto found no usable embedder (${passedOver.join('; ')}); ${installed.length > 0 ? `choose one of ${installed.join(', ')} with --embedder` : 'install plugin-subs'}.`), {
    code: 'no-embedder',
    exitCode: 3,
  });
}
