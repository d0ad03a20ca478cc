/**
 * Runs the `trolley:register` hook of every installed plugin (the core's own included) once, and
 * collects what they declare into an {@link ExtensionRegistry}. The core never imports a plugin:
 * oclif loads each plugin's hook file, and the hook answers with declarations.
 */
import type { Config } from '@oclif/core';
import { Tokens } from '../context/tokens.js';
import { EXTENSION_API_VERSION, type RegisterHookOptions } from './api.js';
import { ExtensionRegistry, type PluginRef } from './registry.js';

export const REGISTER_HOOK = 'trolley:register';

export async function discoverExtensions(config: Config, apiVersion = EXTENSION_API_VERSION): Promise<ExtensionRegistry> {
  const options: RegisterHookOptions = { kernel: { apiVersion, tokens: Tokens } };
  // captureErrors: a plugin whose hook throws is reported, never fatal.
  const result = await config.runHook(REGISTER_HOOK, options as unknown as Record<string, unknown>, undefined, true);
  // Plugins load concurrently, so their map order varies: the core first, then by plugin name.
  const rootName = config.pjson.name;
  const rank = (name: string) => (name === rootName ? '' : name);
  const registry = new ExtensionRegistry(apiVersion);
  const byPluginOrder = <T extends { plugin: { name: string } }>(a: T, b: T) => rank(a.plugin.name).localeCompare(rank(b.plugin.name));
  for (const success of [...result.successes].sort(byPluginOrder)) {
    registry.addFrom(refOf(success.plugin), success.result);
  }
  for (const failure of [...result.failures].sort(byPluginOrder)) {
    const reason = failure.error instanceof Error ? failure.error.message : String(failure.error);
    const plugin = refOf(failure.plugin);
    registry.report(plugin, 'failed', `Plugin ${plugin.name}@${plugin.version} failed to register its extensions (${reason}); it was skipped, the other plugins still work (reinstall or uninstall it).`);
  }
  return registry;
}

function refOf(plugin: { name: string; version: string }): PluginRef {
  return { name: plugin.name, version: plugin.version };
}
