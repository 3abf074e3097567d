// Owns splitting composite mentions ("ERK1/2", "IL-4 and -13", "NF-kappaB p50/p65") into the names they abbreviate.

/** Composite mentions longer than this are not split (a list, not a name). */
const MAX_COMPOSITE_CHARS = 80;

/**
 * The names inside a composite mention, or [] when it is not one. Handles a shared stem with a list of endings
 * ("ERK1/2" -> ERK1, ERK2; "IL-4/-13" -> IL-4, IL-13; "Smad2/3"; "PKC alpha/beta") and slash-joined names whose
 * later parts are complete ("NF-kappaB p50/p65" -> NF-kappaB p50, p65).
 */
export function splitComposite(text: string): string[] {
  const t = text.trim();
  if (t.length > MAX_COMPOSITE_CHARS || !/[/,]|\b(?:and|or)\b/.test(t)) return [];
  // Stem + endings: the first part ends in digits or a letter/Greek word; the rest are bare endings of the same kind.
  const parts = t.split(/\s*(?:\/|,\s*(?:and\s+|or\s+)?|\s(?:and|or)\s)\s*/).filter((p) => p !== '');
  if (parts.length < 2) return [];
  const first =
    /^(.*?[^\d\s-]-?\s?)(\d+[a-z]?)$/i.exec(parts[0]) ?? /^(.*?[\s-])(alpha|beta|gamma|delta|epsilon|kappa|[a-z])$/i.exec(parts[0]);
  if (first) {
    const [, stem, ending] = first;
    const numeric = /^\d/.test(ending);
    const endings = parts.slice(1).map((p) => p.replace(/^-/, ''));
    const sameKind = endings.every((e) => (numeric ? /^\d+[a-z]?$/i.test(e) : /^(alpha|beta|gamma|delta|epsilon|kappa|[a-z])$/i.test(e)));
    if (sameKind) return [parts[0], ...endings.map((e) => `${stem}${e}`)];
  }
  // Complete names joined by "/": keep each; a later part that is one short word shares the first part's head words.
  if (t.includes('/') && parts.every((p) => p.length >= 2)) {
    const head = parts[0].split(/\s+/).slice(0, -1).join(' ');
    return [parts[0], ...parts.slice(1).map((p) => (head && !/\s/.test(p) && p.length <= 6 ? `${head} ${p}` : p))];
  }
  return [];
}
