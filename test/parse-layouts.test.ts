/**
 * The parser on documents laid out as real published texts are (see
 * test/fixtures/layouts/README.md), each with gold speakers per passage.
 * A passage counts as right when it is a paragraph of its own with the right
 * speaker and turn. Layouts the parser does not read yet are marked todo
 * with the reason, so they show in the report without failing the suite.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fixtureFiles, scoreFixture } from './support/speaker-score.js';

const folder = path.resolve('test/fixtures/layouts');
const files = fixtureFiles(folder);

const KNOWN_GAPS: Record<string, string> = {};

describe('speaker layouts of real published texts', () => {
  it('has a fixture for each layout family', () => {
    assert.ok(files.length >= 12, `only ${files.length} fixtures`);
  });

  it('attributes at least 97 % of all passages right (every passage of the 35 fixtures today)', () => {
    const scores = files.map((file) => scoreFixture(folder, file));
    const right = scores.reduce((n, s) => n + s.passages.filter((p) => p.found && p.speakerRight && p.turnRight).length, 0);
    const total = scores.reduce((n, s) => n + s.passages.length, 0);
    assert.ok(right / total >= 0.97, `${right} of ${total}`);
  });

  for (const file of files) {
    it(file, { todo: KNOWN_GAPS[file] }, () => {
      const score = scoreFixture(folder, file);
      const wrong = score.passages
        .filter((p) => !(p.found && p.speakerRight && p.turnRight && p.attributionRight && p.roleRight))
        .map((p) => `${p.gold.text}: ${p.found ? 'speaker/role/attribution/turn differ' : 'not a paragraph of its own'}`);
      assert.deepEqual(wrong, [], score.gold.layout);
      assert.equal(score.document.title, score.gold.title);
      assert.equal(score.document.date, score.gold.date);
    });
  }
});
