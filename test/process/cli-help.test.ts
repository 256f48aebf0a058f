/**
 * Every npm script answers `--help` with its usage and options, and does nothing else (no build, no download, no
 * folder named "--help"); a wrong option is one line pointing to `--help`. All read their command line through
 * scripts/cli.ts.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { helpText, parseCommandLine } from '../../scripts/cli.js';
import { tempDir } from '../support/temp.js';

const run = promisify(execFile);

/** The npm scripts that run a file of scripts/ (`tsx scripts/ask.ts`), by name. */
function scriptFiles(): [string, string][] {
  const { scripts } = JSON.parse(fs.readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
  return Object.entries(scripts).flatMap(([name, command]) => {
    const file = /^tsx (scripts\/[\w-]+\.ts)$/.exec(command)?.[1];
    return file ? [[name, file] as [string, string]] : [];
  });
}

describe('--help', () => {
  it('every npm script prints its usage and options, exits 0, and writes nothing', async () => {
    const scripts = scriptFiles();
    assert.ok(scripts.length >= 10, scripts.map(([name]) => name).join(' '));
    const cwd = tempDir('help-cwd');
    // An index folder that does not exist: a command that ignored --help would build it or fail on it.
    const env = { ...process.env, INDEX_DIR: path.join(cwd, 'index'), MODELS_DIR: path.join(cwd, 'models'), ALLOW_REMOTE_MODELS: 'false', TELEGRAM_BOT_TOKEN: '' };
    const tsx = path.resolve('node_modules/tsx/dist/esm/index.mjs');
    await Promise.all(scripts.map(async ([name, file]) => {
      const { stdout, stderr } = await run(process.execPath, ['--import', tsx, path.resolve(file), '--help'], { env, cwd, timeout: 120_000 });
      const invocation = name === 'start' ? 'npm start' : `npm run ${name}`;
      assert.match(stdout, new RegExp(`^usage: ${invocation}\\b`), `${name}: ${stdout}${stderr}`);
      assert.match(stdout, /-h, --help +show this help/, name);
      assert.equal(stderr, '', `${name} wrote to stderr: ${stderr}`);
    }));
    assert.deepEqual(fs.readdirSync(cwd), [], 'no command built, downloaded or wrote anything');
  });

  it('lists each option with its value and default, and refuses an unknown one with a pointer to --help', () => {
    const spec = {
      name: 'demo',
      about: 'Does a demo.',
      positionals: 'FILE',
      options: {
        top: { type: 'string', default: '5', value: 'N', help: 'how many' },
        json: { type: 'boolean', default: false, help: 'as JSON' },
      },
    } as const;
    const help = helpText(spec);
    assert.match(help, /^usage: npm run demo -- \[options\] FILE\n\nDoes a demo\.\n/);
    assert.match(help, /\n {2}--top N +how many \(default: 5\)\n/);
    assert.match(help, /\n {2}--json +as JSON\n/, 'a false default says nothing');
    assert.deepEqual({ ...parseCommandLine(spec, ['--top', '3', 'file.jsonl']).values }, { top: '3', json: false });
    assert.throws(() => parseCommandLine(spec, ['--bogus']), /Unknown option '--bogus'; `npm run demo -- --help` lists the options/);
    assert.throws(() => parseCommandLine({ ...spec, positionals: undefined }, ['extra']), /npm run demo takes no argument "extra"/);
  });
});
