/**
 * Generates a tiny, deterministic BERT-style model directory (ONNX graph + HF tokenizer files)
 * that `@xenova/transformers` loads like a real Hugging Face model, so tests never need the network.
 *
 * The "model" is just embedding lookups: word + 0.1-scaled position (+ all-zero token type),
 * masked by attention_mask. Mean pooling therefore behaves like a bag-of-characters vector:
 * texts sharing many characters get a high cosine similarity.
 *
 * Usage: tsx scripts/test-model.ts <dir>
 * Load:  env.allowRemoteModels = false; env.localModelPath = path.dirname(dir);
 *        await pipeline('feature-extraction', path.basename(dir), { quantized: true })
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
// onnx-proto is CommonJS without static named exports, so Node's ESM loader needs the default import.
import onnxProto from 'onnx-proto';
import type { onnx as Onnx } from 'onnx-proto';
import { RetrievalError } from '../retrieval/api.js';
import { seededRandom } from '../retrieval/seeded-random.js';
import { runCommand } from './cli.js';

const { onnx } = onnxProto;

const TEST_MODEL_HIDDEN_SIZE = 32;
const TEST_MODEL_MAX_LENGTH = 128;

const SEED = 0x5eed_b3a7;
const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;
const ASCII_SCALE = 0.25;
// Full-width forms (the ASCII ones are already in the vocab).
const CJK_PUNCTUATION = '，。、：；！？“”‘’《》（）—…·「」『』【】～';

/** Deterministic vocab: specials, ASCII, ##-continuations, CJK Unified Ideographs, CJK punctuation. */
function buildVocab(): string[] {
  const tokens: string[] = [...SPECIAL_TOKENS];
  const seen = new Set<string>(tokens);
  const add = (t: string): void => {
    if (!seen.has(t)) {
      seen.add(t);
      tokens.push(t);
    }
  };
  // Printable ASCII except upper case (the normalizer lower-cases before lookup).
  for (let c = 0x21; c <= 0x7e; c++) if (c < 0x41 || c > 0x5a) add(String.fromCharCode(c));
  // Continuation pieces, so English words are split into single characters by WordPiece.
  for (const ch of 'abcdefghijklmnopqrstuvwxyz0123456789') add(`##${ch}`);
  for (let c = 0x4e00; c <= 0x9fff; c++) add(String.fromCharCode(c));
  for (const ch of CJK_PUNCTUATION) add(ch);
  return tokens;
}

/** rows x HIDDEN float32 table, uniform in [-scale, scale); rows listed in `zeroRows` stay zero. */
function randomTable(rows: number, scale: number, rand: () => number, zeroRows = new Set<number>()): Float32Array {
  const table = new Float32Array(rows * TEST_MODEL_HIDDEN_SIZE);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < TEST_MODEL_HIDDEN_SIZE; c++) {
      const v = (rand() * 2 - 1) * scale; // always draw, so zeroing a row does not shift later rows
      if (!zeroRows.has(r)) table[r * TEST_MODEL_HIDDEN_SIZE + c] = v;
    }
  }
  return table;
}

function floatTensor(name: string, dims: number[], values: Float32Array): Onnx.ITensorProto {
  // Explicit little-endian bytes (ONNX raw_data is little-endian regardless of host).
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return { name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: bytes };
}

function int64Tensor(name: string, dims: number[], values: number[]): Onnx.ITensorProto {
  return { name, dims, dataType: onnx.TensorProto.DataType.INT64, int64Data: values };
}

function valueInfo(name: string, elemType: number, dims: (string | number)[]): Onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) },
      },
    },
  };
}

function node(opType: string, inputs: string[], outputs: string[], attribute: Onnx.IAttributeProto[] = []): Onnx.INodeProto {
  return { opType, input: inputs, output: outputs, name: outputs[0], attribute };
}

interface GraphShape {
  vocabSize: number;
  /** Ids below this (specials, ASCII) get shrunk vectors. */
  firstCjkId: number;
  /** Special tokens that occur in every text (padding, begin/end, mask) get zero vectors. */
  zeroIds: number[];
  maxLength: number;
  /** Store the word embeddings as int8 with a DequantizeLinear node, as dynamic int8 quantization does. */
  int8: boolean;
}

/** Symmetric int8 quantization of a table: one scale, zero point 0. */
function quantizeInt8(values: Float32Array): { bytes: Uint8Array; scale: number } {
  const scale = values.reduce((max, v) => Math.max(max, Math.abs(v)), 0) / 127 || 1;
  const bytes = new Uint8Array(values.length);
  values.forEach((v, i) => (bytes[i] = Math.round(v / scale) & 0xff));
  return { bytes, scale };
}

function wordEmbeddingInitializers(table: Float32Array, dims: number[], int8: boolean): { initializers: Onnx.ITensorProto[]; nodes: Onnx.INodeProto[] } {
  if (!int8) return { initializers: [floatTensor('word_embeddings', dims, table)], nodes: [] };
  const { bytes, scale } = quantizeInt8(table);
  return {
    initializers: [
      { name: 'word_embeddings_int8', dims, dataType: onnx.TensorProto.DataType.INT8, rawData: bytes },
      floatTensor('word_embeddings_scale', [], new Float32Array([scale])),
      { name: 'word_embeddings_zero_point', dims: [], dataType: onnx.TensorProto.DataType.INT8, rawData: new Uint8Array([0]) },
    ],
    nodes: [node('DequantizeLinear', ['word_embeddings_int8', 'word_embeddings_scale', 'word_embeddings_zero_point'], ['word_embeddings'])],
  };
}

function buildModel({ vocabSize, firstCjkId, zeroIds, maxLength, int8 }: GraphShape): Uint8Array {
  const rand = seededRandom(SEED);
  // Zero vectors for padding, begin/end and mask tokens: they occur in every text and would otherwise add a
  // shared component that inflates the similarity of unrelated texts.
  const wordEmb = randomTable(vocabSize, 1, rand, new Set(zeroIds));
  // Shrink [UNK] and ASCII tokens (all ids below the first CJK ideograph) so E5-style "query: " / "passage: "
  // prefixes do not dominate the similarity of short Chinese texts. English-only texts still work,
  // since pooled vectors are normalised.
  wordEmb.subarray(0, firstCjkId * TEST_MODEL_HIDDEN_SIZE).forEach((v, i, a) => (a[i] = v * ASCII_SCALE));
  const words = wordEmbeddingInitializers(wordEmb, [vocabSize, TEST_MODEL_HIDDEN_SIZE], int8);
  const posEmb = randomTable(maxLength, 0.1, rand); // position matters, but only a little
  const typeEmb = new Float32Array(2 * TEST_MODEL_HIDDEN_SIZE); // zeros: token_type_ids consumed harmlessly

  const { INT64, FLOAT } = onnx.TensorProto.DataType;
  const ids: [string, string] = ['batch_size', 'sequence_length'];
  const graph: Onnx.IGraphProto = {
    name: 'test-bert',
    input: [
      valueInfo('input_ids', INT64, ids),
      valueInfo('attention_mask', INT64, ids),
      valueInfo('token_type_ids', INT64, ids),
    ],
    output: [valueInfo('last_hidden_state', FLOAT, [...ids, TEST_MODEL_HIDDEN_SIZE])],
    initializer: [
      ...words.initializers,
      floatTensor('position_embeddings', [maxLength, TEST_MODEL_HIDDEN_SIZE], posEmb),
      floatTensor('token_type_embeddings', [2, TEST_MODEL_HIDDEN_SIZE], typeEmb),
      int64Tensor('zero', [], [0]),
      int64Tensor('one', [], [1]),
      int64Tensor('last_axis', [1], [-1]),
    ],
    node: [
      ...words.nodes,
      node('Gather', ['word_embeddings', 'input_ids'], ['words']),
      // position_ids = range(sequence_length)
      node('Shape', ['input_ids'], ['ids_shape']),
      node('Gather', ['ids_shape', 'one'], ['seq_len'], [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 0 }]),
      node('Range', ['zero', 'seq_len', 'one'], ['position_ids']),
      node('Gather', ['position_embeddings', 'position_ids'], ['positions']),
      node('Gather', ['token_type_embeddings', 'token_type_ids'], ['types']),
      node('Add', ['words', 'positions'], ['words_pos']),
      node('Add', ['words_pos', 'types'], ['embeddings']),
      // Zero out padded positions, like a real encoder's output would be ignored there anyway.
      node('Cast', ['attention_mask'], ['mask_float'], [{ name: 'to', type: onnx.AttributeProto.AttributeType.INT, i: FLOAT }]),
      node('Unsqueeze', ['mask_float', 'last_axis'], ['mask_3d']),
      node('Mul', ['embeddings', 'mask_3d'], ['last_hidden_state']),
    ],
  };
  // IR 7 / opset 13: well within what onnxruntime-node 1.14 (bundled with transformers.js 2.17) supports.
  const model = onnx.ModelProto.create({
    irVersion: 7,
    producerName: 'speech-qa-bot test-model',
    opsetImport: [{ domain: '', version: 13 }],
    graph,
  });
  return onnx.ModelProto.encode(model).finish();
}

function buildTokenizerJson(vocab: string[]): object {
  const vocabMap: Record<string, number> = {};
  vocab.forEach((t, i) => (vocabMap[t] = i));
  const special = (id: string, typeId: number) => ({ SpecialToken: { id, type_id: typeId } });
  const seq = (id: 'A' | 'B', typeId: number) => ({ Sequence: { id, type_id: typeId } });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map((content, id) => ({
      id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true,
    })),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [special('[CLS]', 0), seq('A', 0), special('[SEP]', 0)],
      pair: [special('[CLS]', 0), seq('A', 0), special('[SEP]', 0), seq('B', 1), special('[SEP]', 1)],
      special_tokens: Object.fromEntries(
        (['[CLS]', '[SEP]'] as const).map((t) => [t, { id: t, ids: [vocabMap[t]], tokens: [t] }]),
      ),
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: vocabMap,
    },
  };
}

/** config.json of the one-layer encoder both test models share (multilingual-e5-small is a BERT encoder too). */
function encoderConfig(vocabSize: number, maxLength: number, padTokenId: number) {
  return {
    architectures: ['BertModel'],
    model_type: 'bert',
    vocab_size: vocabSize,
    hidden_size: TEST_MODEL_HIDDEN_SIZE,
    num_hidden_layers: 1,
    num_attention_heads: 1,
    intermediate_size: TEST_MODEL_HIDDEN_SIZE * 4,
    hidden_act: 'gelu',
    max_position_embeddings: maxLength,
    type_vocab_size: 2,
    layer_norm_eps: 1e-12,
    pad_token_id: padTokenId,
  };
}

/** Writes config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx and onnx/model_quantized.onnx. */
export async function writeTestModel(dir: string): Promise<void> {
  const vocab = buildVocab();
  const config = encoderConfig(vocab.length, TEST_MODEL_MAX_LENGTH, 0);
  const tokenizerConfig = {
    tokenizer_class: 'BertTokenizer',
    do_lower_case: true,
    tokenize_chinese_chars: true,
    strip_accents: null,
    model_max_length: TEST_MODEL_MAX_LENGTH,
    cls_token: '[CLS]',
    sep_token: '[SEP]',
    pad_token: '[PAD]',
    unk_token: '[UNK]',
    mask_token: '[MASK]',
  };
  const onnxBytes = buildModel({
    vocabSize: vocab.length, firstCjkId: vocab.indexOf('\u4e00'), zeroIds: [0, 2, 3, 4], maxLength: TEST_MODEL_MAX_LENGTH, int8: false,
  });
  const json = (v: object): string => JSON.stringify(v, null, 2) + '\n';

  await mkdir(path.join(dir, 'onnx'), { recursive: true });
  await Promise.all([
    writeFile(path.join(dir, 'config.json'), json(config)),
    writeFile(path.join(dir, 'tokenizer.json'), json(buildTokenizerJson(vocab))),
    writeFile(path.join(dir, 'tokenizer_config.json'), json(tokenizerConfig)),
    // Same graph under both names so `quantized: true` and `quantized: false` both load.
    writeFile(path.join(dir, 'onnx', 'model.onnx'), onnxBytes),
    writeFile(path.join(dir, 'onnx', 'model_quantized.onnx'), onnxBytes),
  ]);
}

const XLMR_MAX_LENGTH = 514; // XLM-R reserves two positions: 512 usable tokens, as in multilingual-e5-small
/** XLM-R's fixed special ids (fairseq order); <mask> is the last id. */
const XLMR_SPECIALS = ['<s>', '<pad>', '</s>', '<unk>'] as const;
const METASPACE = '\u2581';
/** A few multi-character pieces, so Unigram's best segmentation (not a character split) is exercised. */
const XLMR_WORD_PIECES = ['the', 'and', 'of', 'to', 'in', 'school', 'education', 'city', 'service', 'public', 'how', 'many', 'what'];

/**
 * Unigram vocab as [piece, log probability]: specials, "▁", ASCII, "▁"-prefixed
 * letters and words, CJK ideographs and punctuation, then <mask>. Longer pieces
 * score higher than the characters they cover, so Viterbi prefers them.
 */
function buildUnigramVocab(): [string, number][] {
  const pieces: [string, number][] = XLMR_SPECIALS.map((t) => [t, 0]);
  const seen = new Set<string>(XLMR_SPECIALS);
  const add = (piece: string, score: number): void => {
    if (!seen.has(piece)) {
      seen.add(piece);
      pieces.push([piece, score]);
    }
  };
  add(METASPACE, -3);
  for (let c = 0x21; c <= 0x7e; c++) add(String.fromCharCode(c), -10);
  for (const ch of 'abcdefghijklmnopqrstuvwxyz0123456789') add(METASPACE + ch, -9);
  for (const word of XLMR_WORD_PIECES) add(METASPACE + word, -6);
  for (let c = 0x4e00; c <= 0x9fff; c++) add(String.fromCharCode(c), -8);
  for (const ch of CJK_PUNCTUATION) add(ch, -8);
  add('<mask>', 0);
  return pieces;
}

function buildUnigramTokenizerJson(vocab: [string, number][]): object {
  const id = (token: string): number => vocab.findIndex(([piece]) => piece === token);
  const special = (token: string) => ({ SpecialToken: { id: token, type_id: 0 } });
  const seq = (name: 'A' | 'B') => ({ Sequence: { id: name, type_id: 0 } });
  const specials = [...XLMR_SPECIALS, '<mask>'];
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: specials.map((content) => ({
      id: id(content), content, single_word: false, lstrip: content === '<mask>', rstrip: false, normalized: false, special: true,
    })),
    // The real model's "Precompiled" charsmap is SentencePiece's NFKC table; plain NFKC does the same job here.
    normalizer: { type: 'Sequence', normalizers: [{ type: 'NFKC' }, { type: 'Replace', pattern: { Regex: ' {2,}' }, content: ' ' }] },
    pre_tokenizer: { type: 'Metaspace', replacement: METASPACE, add_prefix_space: true, prepend_scheme: 'always' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [special('<s>'), seq('A'), special('</s>')],
      pair: [special('<s>'), seq('A'), special('</s>'), special('</s>'), seq('B'), special('</s>')],
      special_tokens: Object.fromEntries(['<s>', '</s>'].map((t) => [t, { id: t, ids: [id(t)], tokens: [t] }])),
    },
    decoder: { type: 'Metaspace', replacement: METASPACE, add_prefix_space: true, prepend_scheme: 'always' },
    model: { type: 'Unigram', unk_id: id('<unk>'), vocab, byte_fallback: false },
  };
}

/**
 * Writes an XLM-R-shaped model the way the Xenova repository of multilingual-e5-small lays it out: a BERT
 * encoder config (that model is Multilingual-MiniLM: BERT layers, XLM-R tokenizer), a SentencePiece Unigram
 * tokenizer.json with a Metaspace pre-tokenizer and <s> </s> <pad> <unk> <mask>, tokenizer_config.json for
 * XLMRobertaTokenizer, and onnx/model_quantized.onnx with int8 word embeddings (onnx/model.onnx in float).
 */
export async function writeXlmrTestModel(dir: string): Promise<void> {
  const vocab = buildUnigramVocab();
  const firstCjkId = vocab.findIndex(([piece]) => piece === '\u4e00');
  const pad = 1;
  const config = {
    _name_or_path: 'speech-qa-bot/test-xlmr',
    ...encoderConfig(vocab.length, XLMR_MAX_LENGTH, pad),
    tokenizer_class: 'XLMRobertaTokenizer',
  };
  const tokenizerConfig = {
    tokenizer_class: 'XLMRobertaTokenizer',
    model_max_length: 512,
    bos_token: '<s>',
    eos_token: '</s>',
    sep_token: '</s>',
    cls_token: '<s>',
    unk_token: '<unk>',
    pad_token: '<pad>',
    mask_token: '<mask>',
  };
  const shape = { vocabSize: vocab.length, firstCjkId, zeroIds: [0, 1, 2, vocab.length - 1], maxLength: XLMR_MAX_LENGTH };
  const json = (v: object): string => JSON.stringify(v, null, 2) + '\n';
  await mkdir(path.join(dir, 'onnx'), { recursive: true });
  await Promise.all([
    writeFile(path.join(dir, 'config.json'), json(config)),
    writeFile(path.join(dir, 'tokenizer.json'), json(buildUnigramTokenizerJson(vocab))),
    writeFile(path.join(dir, 'tokenizer_config.json'), json(tokenizerConfig)),
    writeFile(path.join(dir, 'onnx', 'model.onnx'), buildModel({ ...shape, int8: false })),
    writeFile(path.join(dir, 'onnx', 'model_quantized.onnx'), buildModel({ ...shape, int8: true })),
  ]);
}

const isMain = process.argv[1] !== undefined
  && path.resolve(process.argv[1]) === path.resolve(fileURLToPath(import.meta.url));

const command = {
  name: 'test-model',
  about:
    'Writes the tiny deterministic ONNX model the tests load (no download) into DIR: bert, a BERT WordPiece model, or\n' +
    'xlmr, shaped like multilingual-e5-small (Unigram tokenizer, int8 model_quantized.onnx).',
  positionals: 'DIR [bert|xlmr]',
  options: {},
} as const;

if (isMain) runCommand(command, async (_config, { positionals }) => {
  const [dir, kind = 'bert'] = positionals;
  if (!dir || !['bert', 'xlmr'].includes(kind) || positionals.length > 2) {
    throw new RetrievalError('CONFIG_INVALID', 'usage: npm run test-model -- DIR [bert|xlmr] (npm run test-model -- --help)');
  }
  if (kind === 'xlmr') await writeXlmrTestModel(dir);
  else await writeTestModel(dir);
  console.log(`wrote test ${kind === 'xlmr' ? 'XLM-R (Unigram tokenizer, int8 weights)' : 'BERT'} model (hidden ${TEST_MODEL_HIDDEN_SIZE}) to ${path.resolve(dir)}`);
});
