import test from 'ava';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));
const read = (file: string) => fs.readFileSync(path.join(repo, file), 'utf8');
const GLOBAL_FLAGS = new Set(['json', 'database-url', 'log-level', 'log-format', 'help']);

interface Manifest {
  commands: Record<string, { hidden?: boolean; flags: Record<string, { allowNo?: boolean; hidden?: boolean }> }>;
}

test('the README command table names every command of the bundled packages and every one of its flags', (t) => {
  const readme = read('README.md');
  const table = readme.slice(readme.indexOf('## Commands'), readme.indexOf('## Export API'));
  const rows = table.split('\n').filter((line) => line.startsWith('| `trolley '));
  const missing: string[] = [];
  for (const pkg of ['core', 'plugin-subs', 'plugin-bargains', 'plugin-grouping', 'plugin-scraper-coles']) {
    const manifest = JSON.parse(read(`packages/${pkg}/oclif.manifest.json`)) as Manifest;
    for (const [id, command] of Object.entries(manifest.commands)) {
      if (command.hidden) continue;
      const name = `trolley ${id.replaceAll(':', ' ')}`;
      const row = rows.find((line) => new RegExp(`\`${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[ \`]`).test(line));
      if (!row) {
        missing.push(`${name}: no row`);
        continue;
      }
      for (const [flag, spec] of Object.entries(command.flags)) {
        if (GLOBAL_FLAGS.has(flag) || spec.hidden) continue;
        if (!row.includes(`--${flag}`) && !(spec.allowNo && row.includes(`--no-${flag}`))) missing.push(`${name} --${flag}`);
      }
    }
  }
  t.deepEqual(missing, []);
});

test('the docs stand alone: no citation of the team brief\'s sections in READMEs, docs or sources, and every docs/ link resolves', (t) => {
  const tracked = execFileSync('git', ['ls-files', '*.md', '*.ts'], { cwd: repo, encoding: 'utf8' }).split('\n').filter(Boolean);
  const cite = ['SPEC', '§'].join(' ');
  const citing = tracked.filter((file) => read(file).includes(cite));
  t.deepEqual(citing, []);
  const broken: string[] = [];
  for (const file of tracked.filter((f) => f.endsWith('.md'))) {
    for (const [, target] of read(file).matchAll(/\]\(([^)#\s]+\.md)(?:#[^)]*)?\)/g)) {
      if (/^[a-z]+:/i.test(target!)) continue;
      if (!fs.existsSync(path.join(repo, path.dirname(file), target!))) broken.push(`${file} → ${target}`);
    }
  }
  t.deepEqual(broken, []);
  for (const page of ['input-format', 'normalisation', 'import', 'barcodes', 'substitutions', 'bargains', 'groups', 'commands']) t.true(fs.existsSync(path.join(repo, 'docs', `${page}.md`)), page);
});
