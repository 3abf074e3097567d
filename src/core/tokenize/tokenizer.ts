// Owns the `tokenizers` package: loads tokenizer.json, encodes with offsets, and cuts long inputs into windows.
import { Tokenizer, type Encoding } from 'tokenizers';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InputError, ModelError } from '../errors';

/** One model input window with everything post-processing needs. Offsets are code points into the source text. */
export interface Window {
  ids: number[];
  typeIds: number[];
  tokens: string[];
  /** [start, end) per token, in code points of the sequence it belongs to; [0, 0] for special tokens. */
  offsets: [number, number][];
  specialMask: number[];
  /** 0 = first sequence, 1 = second, null = special token. */
  sequenceIds: (number | null)[];
}

export interface TokenizerInfo {
  padId: number;
  unkId: number | undefined;
  /** WordPiece-style models mark word continuations (e.g. "##"); others need the whitespace heuristic. */
  continuingSubwordPrefix: string | undefined;
  /** Special tokens the post-processor adds around one sequence / a pair. */
  addedSingle: number;
  addedPair: number;
  /**
   * Whether the model gets segment ids (token_type_ids = 1 on the second sequence). Transformers feeds them only
   * when the tokenizer lists them in model_input_names; its generic v5 class (TokenizersBackend) does not, so a
   * model folder saved from it runs with all-zero segment ids — and QA answers differ if we guess otherwise.
   */
  usesTokenTypeIds: boolean;
}

interface TokenizerJson {
  model?: { type?: string; continuing_subword_prefix?: string | null; unk_token?: string; unk_id?: number; vocab?: unknown };
  padding?: { pad_id?: number } | null;
  added_tokens?: { id: number; content: string }[];
}

export class TextTokenizer {
  private constructor(
    private readonly tokenizer: Tokenizer,
    readonly info: TokenizerInfo,
  ) {}

  static async load(folder: string, path: string): Promise<TextTokenizer> {
    let raw: string;
    let json: TokenizerJson;
    try {
      raw = readFileSync(path, 'utf8');
      json = JSON.parse(raw) as TokenizerJson;
    } catch (e) {
      throw new ModelError(folder, `tokenizer.json cannot be read (${(e as Error).message})`);
    }
    let tokenizer: Tokenizer;
    try {
      tokenizer = Tokenizer.fromString(raw);
    } catch (e) {
      throw new ModelError(folder, `tokenizer.json is not a valid tokenizer (${(e as Error).message.split('\n')[0]})`);
    }
    // Saved tokenizers may carry truncation/padding from training; windows are cut here, explicitly.
    tokenizer.disableTruncation();
    tokenizer.disablePadding();
    const unkToken = json.model?.unk_token;
    const unkId =
      typeof json.model?.unk_id === 'number'
        ? json.model.unk_id
        : unkToken !== undefined
          ? (tokenizer.tokenToId(unkToken) ?? undefined)
          : undefined;
    const padId = json.padding?.pad_id ?? findToken(tokenizer, ['[PAD]', '<pad>', '<PAD>']) ?? 0;
    const single = await tokenizer.encode('', null, { addSpecialTokens: true });
    const pair = await tokenizer.encode('', '', { addSpecialTokens: true });
    const prefix = json.model?.continuing_subword_prefix;
    return new TextTokenizer(tokenizer, {
      padId,
      unkId,
      continuingSubwordPrefix: typeof prefix === 'string' && prefix.length > 0 ? prefix : undefined,
      addedSingle: single.getLength(),
      addedPair: pair.getLength(),
      usesTokenTypeIds: usesTokenTypeIds(folder, join(dirname(path), 'tokenizer_config.json')),
    });
  }

  /**
   * Encodes one text into windows of at most `maxLength` tokens (special tokens included). Consecutive windows share
   * `stride` tokens, as the Hugging Face tokenizer's overflowing tokens do. With `stride` undefined, the text is
   * truncated to one window.
   */
  async encodeWindows(text: string, maxLength: number, stride: number | undefined): Promise<Window[]> {
    const content = await this.tokenizer.encode(text, null, { addSpecialTokens: false });
    const room = maxLength - this.info.addedSingle;
    return this.split(content, room, stride).map((part) => this.toWindow(this.tokenizer.postProcess(part, null, true)));
  }

  /** Question + context windows: only the context is cut (`only_second`), overlapping by `stride` tokens. */
  async encodePairWindows(first: string, second: string, maxLength: number, stride: number): Promise<Window[]> {
    const a = await this.tokenizer.encode(first, null, { addSpecialTokens: false });
    const b = await this.tokenizer.encode(second, null, { addSpecialTokens: false });
    const room = maxLength - this.info.addedPair - a.getLength();
    if (room <= stride) {
      throw new InputError(
        `the question is too long (${a.getLength()} tokens) for windows of ${maxLength} tokens with a stride of ${stride}`,
      );
    }
    return this.split(b, room, stride).map((part) => this.toWindow(this.tokenizer.postProcess(a, part, true)));
  }

  /** Encodes text as one sequence with special tokens, truncated to maxLength. */
  async encode(text: string, maxLength: number): Promise<Window> {
    return (await this.encodeWindows(text, maxLength, undefined))[0];
  }

  private split(content: Encoding, room: number, stride: number | undefined): Encoding[] {
    if (content.getLength() <= room) return [content];
    if (stride === undefined) {
      content.truncate(room, 0, 'right');
      return [content];
    }
    if (stride >= room) throw new InputError(`stride ${stride} must be smaller than the window's ${room} content tokens`);
    content.truncate(room, stride, 'right');
    return [content, ...content.getOverflowing()];
  }

  private toWindow(e: Encoding): Window {
    const typeIds = e.getTypeIds();
    return {
      ids: e.getIds(),
      typeIds: this.info.usesTokenTypeIds ? typeIds : typeIds.map(() => 0),
      tokens: e.getTokens(),
      offsets: e.getOffsets() as [number, number][],
      specialMask: e.getSpecialTokensMask(),
      sequenceIds: e.getSequenceIds().map((s) => (s === undefined ? null : s)),
    };
  }
}

function usesTokenTypeIds(folder: string, configPath: string): boolean {
  if (!existsSync(configPath)) return true;
  let config: { model_input_names?: unknown; tokenizer_class?: unknown };
  try {
    config = JSON.parse(readFileSync(configPath, 'utf8')) as typeof config;
  } catch (e) {
    throw new ModelError(folder, `tokenizer_config.json is not valid JSON (${(e as Error).message})`);
  }
  if (Array.isArray(config.model_input_names)) return config.model_input_names.includes('token_type_ids');
  return config.tokenizer_class !== 'TokenizersBackend';
}

function findToken(tokenizer: Tokenizer, candidates: string[]): number | undefined {
  for (const c of candidates) {
    const id = tokenizer.tokenToId(c);
    if (id !== null && id !== undefined) return id;
  }
  return undefined;
}
