// Owns putting the persistent result cache behind the in-memory paragraph cache: memory first, then disk; every new
// result goes to both. Keys must already name the model's content (its fingerprint) and the settings.
import { ParagraphCache } from '../incremental';
import { sha256, type ResultCache } from './resultCache';

export class TieredParagraphCache<T> extends ParagraphCache<T> {
  constructor(
    private readonly disk: ResultCache<T[]>,
    /** Keys of the in-memory cache hold whole paragraph texts; on disk a key is its model part and a text hash. */
    maxEntries?: number,
    maxChars?: number,
  ) {
    super(maxEntries, maxChars);
  }

  override get(key: string): T[] | undefined {
    const inMemory = super.peek(key);
    if (inMemory !== undefined) return super.get(key);
    const stored = this.disk.get(diskKey(key));
    if (stored === undefined) return super.get(key);
    super.set(key, stored);
    return super.get(key);
  }

  override peek(key: string): T[] | undefined {
    return super.peek(key) ?? this.disk.get(diskKey(key));
  }

  override set(key: string, value: T[]): void {
    super.set(key, value);
    this.disk.set(diskKey(key), value);
  }
}

/** `modelKey \0 text` → `modelKey \0 sha256(text)`: the paragraph itself is not stored, only its hash. */
function diskKey(key: string): string {
  const cut = key.indexOf('\u0000');
  return cut < 0 ? sha256(key) : `${key.slice(0, cut)}\u0000${sha256(key.slice(cut + 1))}`;
}
