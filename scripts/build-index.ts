/** `npm run build-index`: parse CORPUS_DIR into a new index in INDEX_DIR and print a summary. */
import { buildIndex } from '../retrieval/api.js';
import { runCommand, warningLines } from './cli.js';

const command = {
  name: 'build-index',
  about:
    'Parses CORPUS_DIR into a new index (a new build in INDEX_DIR, or a new generation in DATABASE_URL), embedding the\n' +
    'passages when EMBEDDING_MODEL loads, and prints counts and the corpus\'s warnings. The index in use is switched only\n' +
    'when the build is complete; a running bot picks it up without a restart.',
  options: {},
} as const;

runCommand(command, async (config) => {
  console.log(`Building the index of ${config.CORPUS_DIR} into ${config.INDEX_DIR}…`);
  const summary = await buildIndex(config, (line) => console.error(line));
  console.log(`documents:  ${summary.documents}`);
  console.log(`sections:   ${summary.sections}`);
  console.log(`paragraphs: ${summary.paragraphs}`);
  console.log(`speakers:   ${summary.speakers}`);
  if (summary.vectors) {
    const { model, embedded, reused, cached, paragraphsPerSecond } = summary.vectors;
    const speed = paragraphsPerSecond === null ? '' : ` (${paragraphsPerSecond.toFixed(1)} paragraphs/s)`;
    const reusedNote = reused > 0 ? `, ${reused} from the previous generation` : '';
    console.log(`vectors:    ${model}: ${embedded} embedded${speed}${reusedNote}, ${cached} from cache`);
  } else {
    console.log('vectors:    none (full-text search only)');
  }
  for (const line of warningLines(summary.warnings)) console.log(line);
  console.log(`index:      ${summary.generation}`);
});
