/**
 * Retrieval quality on a question set in the format of shared/eval/dev.jsonl.
 * Pure scoring: a result is a hit when its text contains a gold string,
 * compared without white space and punctuation.
 */
import { z } from 'zod';
import { comparableText } from '../text.js';
import type { SearchResult } from './search.js';

export const evalQuestionSchema = z.object({
  q: z.string(),
  lang: z.string().optional(),
  kind: z.string(),
  gold: z.array(z.string()).default([]),
  speaker: z.string().nullable().optional(),
  role: z.string().nullable().optional(),
});

export type EvalQuestion = z.infer<typeof evalQuestionSchema>;

export interface QuestionScore {
  kind: string;
  /** 1-based rank of the first hit, or null. */
  firstHit: number | null;
  answered: boolean;
  /** For answerable questions with a hit: did the hit carry the expected speaker (or none when none is expected)? */
  speakerAgrees: boolean | null;
  isNone: boolean;
}

export function scoreQuestion(question: EvalQuestion, result: SearchResult): QuestionScore {
  const gold = question.gold.map(comparableText).filter((g) => g.length > 0);
  const index = result.results.findIndex((hit) => gold.some((g) => comparableText(hit.text).includes(g)));
  const hit = index >= 0 ? result.results[index]! : null;
  return {
    kind: question.kind,
    firstHit: hit ? index + 1 : null,
    answered: result.answered,
    // A question without a `speaker` field is not judged on it; `"speaker": null` expects an unsigned passage.
    speakerAgrees: hit && question.speaker !== undefined ? (hit.speaker?.name ?? null) === question.speaker : null,
    isNone: gold.length === 0,
  };
}

export interface Summary {
  group: string;
  questions: number;
  recallAt1: number;
  recallAt5: number;
  mrr: number;
  speakerAgreement: number | null;
  /** Share answered (for answerable questions) or share abstained (for `none` questions). */
  answeredOrAbstained: number;
  /** Answerable questions answered "not found": the refusals a reader would not trust. */
  falseNotFound: number;
}

const mean = (values: number[]): number => (values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length);

export function summarise(group: string, scores: QuestionScore[]): Summary {
  const answerable = scores.filter((s) => !s.isNone);
  const agreements = answerable.flatMap((s) => (s.speakerAgrees === null ? [] : [s.speakerAgrees ? 1 : 0]));
  return {
    group,
    questions: scores.length,
    recallAt1: mean(answerable.map((s) => (s.firstHit === 1 ? 1 : 0))),
    recallAt5: mean(answerable.map((s) => (s.firstHit !== null && s.firstHit <= 5 ? 1 : 0))),
    mrr: mean(answerable.map((s) => (s.firstHit ? 1 / s.firstHit : 0))),
    speakerAgreement: agreements.length > 0 ? mean(agreements) : null,
    answeredOrAbstained: mean(scores.map((s) => (s.isNone ? (s.answered ? 0 : 1) : s.answered ? 1 : 0))),
    falseNotFound: answerable.filter((s) => !s.answered).length,
  };
}

export function summaryTable(summaries: Summary[]): string {
  const format = (x: number | null): string => (x === null ? '  –  ' : x.toFixed(2).padStart(5));
  const header = '| group      |  n | R@1   | R@5   | MRR   | speaker | answered / abstained | false not-found |';
  const rule = '|------------|----|-------|-------|-------|---------|----------------------|-----------------|';
  const rows = summaries.map(
    (s) =>
      `| ${s.group.padEnd(10)} | ${String(s.questions).padStart(2)} | ${format(s.group === 'none' ? null : s.recallAt1)} | ` +
      `${format(s.group === 'none' ? null : s.recallAt5)} | ${format(s.group === 'none' ? null : s.mrr)} | ` +
      `${format(s.speakerAgreement).padEnd(7)} | ${format(s.answeredOrAbstained).padEnd(20)} | ` +
      `${(s.group === 'none' ? '–' : String(s.falseNotFound)).padStart(15)} |`,
  );
  return [header, rule, ...rows].join('\n');
}
