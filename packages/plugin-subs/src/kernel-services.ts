/**
 * What plugin-subs takes from the invocation's container, resolved through the tokens the kernel
 * handed the register hook (plain strings: no runtime import of a kernel singleton).
 */
import type { DependencyContainer } from 'tsyringe';
import type { Knex } from 'knex';
import type { Database, ExtensionRegistry, KernelTokens, Logger, ProgressReporter, TrolleyConfig } from '@trolley/core';

export interface KernelServices {
  readonly container: DependencyContainer;
  readonly config: TrolleyConfig;
  readonly logger: Logger;
  readonly progress: ProgressReporter;
  knex(): Promise<Knex>;
  extensions(): ExtensionRegistry;
}

export function kernelServices(container: DependencyContainer, tokens: KernelTokens): KernelServices {
  return {
    container,
    config: container.resolve<TrolleyConfig>(tokens.Config),
    logger: container.resolve<Logger>(tokens.Logger),
    progress: container.resolve<ProgressReporter>(tokens.Progress),
    knex: () => container.resolve<Database>(tokens.Database).knex(),
    extensions: () => {
      if (!container.isRegistered(tokens.Extensions, true)) {
        throw new Error('The extension registry is not in this container yet; a command must call kernel.extensions() before running generators.');
      }
      return container.resolve<ExtensionRegistry>(tokens.Extensions);
    },
  };
}
