/**
 * The public entry to retrieval/: what the bot and the command-line scripts
 * use. Everything else in retrieval/ is the pipeline's inside (ingest → index
 * → search) and may change without notice; no stage imports this file.
 */

// Settings and the errors a person can act on.
export { describeIssues, loadDotEnv, loadRetrievalConfig, parseEnv, type RetrievalConfig } from './config.js';
export { RetrievalError, retrievalError, type ErrorCode } from './errors.js';

// Text as retrieval reads it (the presentation cuts and highlights quotes the same way).
export { hanRuns, isSentenceEnd } from './text.js';

// Building an index from the corpus.
export { type BuildSummary } from './index/build.js';
export { buildIndex } from './search/build.js';
export { BuildStoppedError } from './search/build-off-thread.js';
export { loadEmbedder, type Embedder } from './index/embed.js';

// Reading an index without searching it (the outline `npm run inspect` prints).
export { openStore } from './index/store/open-store.js';
export type { DocumentSummary, IndexStore, SpeakerCount, StoredParagraph } from './index/store/store.js';
export type { Manifest } from './index/manifest.js';
export type { Calibration } from './index/calibrate.js';
export { documentMetaSchema, parseDocumentMeta, type DocumentMeta } from './ingest/meta.js';

// The shared database (DATABASE_URL), migrated, for the tables the bot keeps beside the index; the embedded store's
// SQLite file for the same runs FEEDBACK_TABLES itself.
export { SharedDatabase } from './index/store/postgres/database.js';
export { FEEDBACK_TABLES } from './index/store/postgres/schema.js';

// Searching, and serving: an engine per generation, held and swapped without a restart, the index brought up to date first.
export { MAX_QUESTION_LENGTH, SearchEngine, searchModes } from './search/search.js';
export type { SearchFilters, SearchHit, SearchMode, SearchOptions, SearchResult } from './search/search.js';
export type { Fragment, LexicalEvidence } from './search/lexical-evidence.js';
export { EngineHolder, type EngineHolderOptions } from './search/engine-holder.js';
export { openUpToDate } from './search/open-up-to-date.js';
export { exampleQuestions, type CorpusExamples } from './search/examples.js';
export { comparisonJson, profileJson, resultJson, timelineJson } from './search/result-json.js';
export { evalQuestionSchema, scoreQuestion, summarise, summaryTable, type QuestionScore } from './search/evaluate.js';

// A researcher's views, extractive: a topic over time, a speaker's profile, two sides on one topic.
export { timeline, type Granularity, type Timeline, type TimelinePeriod } from './search/timeline.js';
export { speakerProfile, type ProfileDocument, type ProfileLookup, type ProfileRole, type SpeakerProfile } from './search/speaker-profile.js';
export type { DistinctiveTerm } from './search/distinctive-terms.js';
export { NAME_CANDIDATES, type NameLookup } from './search/speaker-names.js';
export { compare, type ComparedSide, type Comparison, type Side } from './search/compare.js';
