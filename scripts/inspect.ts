/**
 * `npm run inspect`: a readable outline of the index (documents, their
 * sections with speaker, reporter, paragraph count and opening words), or
 * with `--jsonl` one JSON object per paragraph.
 */
import { type Manifest, openStore, type StoredParagraph } from '../retrieval/api.js';
import { runCommand } from './cli.js';

function paragraphJson(paragraph: StoredParagraph): string {
  return JSON.stringify({
    paragraphId: paragraph.paragraphId,
    document: { file: paragraph.document.file, title: paragraph.document.title, date: paragraph.document.date },
    section: { index: paragraph.section.index, title: paragraph.section.title },
    speaker: paragraph.speaker && { name: paragraph.speaker.name, role: paragraph.speaker.role, attribution: paragraph.speaker.attribution },
    turn: paragraph.turn,
    reporter: paragraph.reporter,
    text: paragraph.text,
  });
}

/**
 * `label 4 (12 passages), reported 2 (3 passages), unsigned 5 passages`: for each way of attribution, how many
 * speakers of a document were attributed that way and how many passages they hold.
 */
function attributionSummary(paragraphs: StoredParagraph[]): string {
  const by = new Map<string, { speakers: Set<string>; passages: number }>();
  let unsigned = 0;
  for (const paragraph of paragraphs) {
    if (!paragraph.speaker) {
      unsigned++;
      continue;
    }
    const how = paragraph.turn === 'question' ? 'question' : paragraph.speaker.attribution;
    const entry = by.get(how) ?? { speakers: new Set<string>(), passages: 0 };
    entry.speakers.add(paragraph.speaker.name);
    entry.passages++;
    by.set(how, entry);
  }
  const parts = [...by].map(([how, { speakers, passages }]) => `${how} ${speakers.size} (${passages} passage${passages === 1 ? '' : 's'})`);
  if (unsigned > 0) parts.push(`unsigned ${unsigned} passage${unsigned === 1 ? '' : 's'}`);
  return parts.join(', ');
}

function outline(paragraphs: StoredParagraph[]): string[] {
  const lines: string[] = [];
  let document = '';
  let section = -1;
  for (const paragraph of paragraphs) {
    if (paragraph.document.file !== document) {
      document = paragraph.document.file;
      const { title, date, source } = paragraph.document;
      const inDocument = paragraphs.filter((p) => p.document.file === document);
      lines.push('', `${document}  ${title}${date ? `  ${date}` : ''}${source ? `  (${source})` : ''}`);
      lines.push(`  speakers by attribution: ${attributionSummary(inDocument)}`);
    }
    if (paragraph.section.id !== section) {
      section = paragraph.section.id;
      const count = paragraphs.filter((p) => p.section.id === section).length;
      const speaker = paragraph.speaker
        ? `${paragraph.speaker.name}(${paragraph.speaker.role ?? '职务不详'}) [${paragraph.turn === 'question' ? '提问, ' : ''}${paragraph.speaker.attribution}]`
        : '未署名';
      lines.push(`  ${String(paragraph.section.index).padStart(2)}. ${paragraph.section.title ?? '(无标题)'}`);
      lines.push(`      讲话人: ${speaker} | 记者: ${paragraph.reporter ?? '—'} | ${count} 段 | ${paragraph.text.slice(0, 30)}…`);
    }
  }
  return lines;
}

/** The model behind the vectors and what the build's calibration found (see retrieval/index/calibrate.ts). */
function vectorsOutline(manifest: Manifest): string[] {
  const vectors = manifest.vectors;
  if (!vectors) return ['向量: 无(仅全文检索)'];
  const c = vectors.calibration;
  return [
    `向量: ${vectors.model} (${vectors.count} × ${vectors.dimension}, revision ${vectors.fingerprint.revision})`,
    `校准: ${c.queries} 个伪问题, 前 5 找回原段 ${Math.round(c.recallAt5 * 100)}%, 与原段相似度中位数 ${c.sourceSimilarity}, ` +
      `非原段最佳匹配 p95 ${c.bestOtherSimilarity}, 无关对 p50/p95/max ${c.unrelated.p50}/${c.unrelated.p95}/${c.unrelated.max}`,
    `      → 证据阈值 ${c.evidenceThreshold}, 融合权重 ${c.fusionWeight}`,
  ];
}

const command = {
  name: 'inspect',
  about:
    'An outline of the index in use: documents, how their speakers were attributed, sections with speaker, reporter and\n' +
    'paragraph counts, and the embedding model\'s calibration.',
  options: {
    jsonl: { type: 'boolean', default: false, help: 'one JSON object per paragraph instead (document, section, speaker, turn, reporter, text)' },
  },
} as const;

runCommand(command, async (config, { values }) => {
  const store = openStore(config);
  try {
    const reader = await store.open(await store.currentGeneration());
    try {
      const paragraphs = await reader.allParagraphs();
      const lines = values.jsonl ? paragraphs.map(paragraphJson) : [...vectorsOutline(reader.manifest), ...outline(paragraphs)];
      process.stdout.write(`${lines.join('\n')}\n`);
    } finally {
      await reader.close();
    }
  } finally {
    await store.close();
  }
});
