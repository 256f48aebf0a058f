/**
 * `npm run eval -- FILE [--mode hybrid|dense|lexical]`: Recall@1, Recall@5,
 * MRR per question kind, speaker agreement, and abstention on `none`
 * questions (the last column: share answered for answerable questions,
 * share abstained for `none` ones).
 */
import fs from 'node:fs';
import { z } from 'zod';
import { evalQuestionSchema, type QuestionScore, RetrievalError, scoreQuestion, SearchEngine, searchModes, summarise, summaryTable } from '../retrieval/api.js';
import { runCommand } from './cli.js';

const command = {
  name: 'eval',
  about:
    'Scores a question set (JSON lines {"id", "q", "kind", "gold": [phrases of the passages that answer it]}): Recall@1,\n' +
    'Recall@5 and MRR per kind, speaker agreement, and abstention on the questions of kind "none".',
  positionals: 'FILE',
  options: {
    mode: { type: 'string', default: 'hybrid', value: searchModes.join('|'), help: 'how to search' },
    verbose: { type: 'boolean', default: false, help: 'one line per question: the rank of its first gold passage, answered or not' },
  },
} as const;

runCommand(command, async (config, { values, positionals }) => {
  const file = positionals[0];
  if (!file || !fs.existsSync(file)) {
    throw new RetrievalError('CONFIG_INVALID', `${file ? `${file} not found` : 'no question file'}: npm run eval -- FILE (npm run eval -- --help)`);
  }
  const mode = z.enum(searchModes).safeParse(values.mode);
  if (!mode.success) throw new RetrievalError('CONFIG_INVALID', `--mode takes one of ${searchModes.join(', ')}`);
  const questions = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      const parsed = evalQuestionSchema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new RetrievalError('CONFIG_INVALID', `${file} line ${i + 1} is not an eval question`);
      return parsed.data;
    });
  const engine = await SearchEngine.open(config);
  try {
    const scores: QuestionScore[] = [];
    let usedMode: string = mode.data;
    for (const question of questions) {
      const result = await engine.search(question.q, { mode: mode.data, top: 5 });
      usedMode = result.mode;
      const score = scoreQuestion(question, result);
      scores.push(score);
      if (values.verbose) {
        console.log(`${score.kind.padEnd(10)} hit@${score.firstHit ?? '-'} answered=${score.answered} ${question.q}`);
      }
    }
    const kinds = [...new Set(scores.map((s) => s.kind))];
    const summaries = [
      ...kinds.map((kind) => summarise(kind, scores.filter((s) => s.kind === kind))),
      summarise('all', scores.filter((s) => !s.isNone)),
    ];
    console.log(`mode: ${usedMode}${usedMode !== mode.data ? ` (asked for ${mode.data}; no vector index)` : ''}, ${questions.length} questions`);
    console.log(summaryTable(summaries));
  } finally {
    await engine.close();
  }
});
