/**
 * `trolley pipelin`: an unknown command is a usage error like any other (exit 2, one sentence on
 * stderr in trolley's style), naming the closest command when one is close enough to be a typo.
 */
import type { Hook } from '@oclif/core';
import levenshtein from 'fast-levenshtein';
import { ExitCode } from '../errors.js';

/** The closest command id, if it is within a typo's distance (a third of the word, at least 2). */
export function closestCommand(typed: string, ids: readonly string[]): string | undefined {
  let best: { id: string; distance: number } | undefined;
  for (const id of ids) {
    const distance = levenshtein.get(typed, id);
    if (best === undefined || distance < best.distance) best = { id, distance };
  }
  return best !== undefined && best.distance <= Math.max(2, Math.floor(typed.length / 3)) ? best.id : undefined;
}

const hook: Hook<'command_not_found'> = async function (options) {
  const config = options.config;
  const ids = config.commands.filter((c) => !c.hidden).flatMap((c) => [c.id, ...c.aliases]);
  const separator = config.topicSeparator;
  const shown = (id: string) => id.replaceAll(':', separator);
  const typed = shown(options.id);
  const suggestion = closestCommand(options.id, ids);
  const topic = config.findTopic(options.id.split(':')[0]!);
  const hint = suggestion !== undefined ? `did you mean ${config.bin} ${shown(suggestion)}?` : topic ? `${config.bin} help ${shown(topic.name)} lists its commands.` : `${config.bin} help lists the commands.`;
  process.stderr.write(`${config.bin}: "${typed}" is not a ${config.bin} command; ${hint}\n`);
  process.exit(ExitCode.usage);
};

export default hook;
