/**
 * Reads Debian control-file stanzas (`apt-cache dumpavail`, `Translation-en` indexes) into plain
 * text: each package's synopsis and its long description as paragraphs.
 *
 * Debian Policy §5.6.13: continuation lines start with a space; a line holding only " ." separates
 * paragraphs; a line starting with two or more spaces is shown verbatim (lists, code), the rest is
 * word-wrapped prose.
 *
 * @example
 * const texts = parseDescriptions('Package: hello\nDescription: greeter\n text one\n .\n text two\n');
 * // texts.get('hello') → { name: 'hello', synopsis: 'greeter', paragraphs: ['text one', 'text two'] }
 */
export interface PackageText {
  readonly name: string;
  readonly synopsis: string;
  /** Long description, one string per paragraph; empty when the index only carries the synopsis. */
  readonly paragraphs: readonly string[];
}

type Stanza = Map<string, string[]>;

/** Parses every stanza that names a package and carries a description; later duplicates lose. */
export function parseDescriptions(controlText: string): Map<string, PackageText> {
  const out = new Map<string, PackageText>();
  for (const stanza of stanzas(controlText)) {
    const name = stanza.get('package')?.[0]?.trim();
    const description = stanza.get('description') ?? stanza.get('description-en');
    if (!name || !description || out.has(name)) continue;
    const [first = '', ...rest] = description;
    out.set(name, { name, synopsis: first.trim(), paragraphs: toParagraphs(rest) });
  }
  return out;
}

/** Keeps one entry per package, preferring the one whose long description is present. */
export function mergeDescriptions(...sources: ReadonlyMap<string, PackageText>[]): Map<string, PackageText> {
  const merged = new Map<string, PackageText>();
  for (const source of sources) {
    for (const [name, text] of source) {
      const known = merged.get(name);
      if (!known || (known.paragraphs.length === 0 && text.paragraphs.length > 0)) merged.set(name, text);
    }
  }
  return merged;
}

function* stanzas(controlText: string): Generator<Stanza> {
  let stanza: Stanza = new Map();
  let field: string[] | undefined;
  for (const line of controlText.split('\n')) {
    if (line.trim() === '') {
      if (stanza.size > 0) yield stanza;
      stanza = new Map();
      field = undefined;
    } else if (line.startsWith(' ') || line.startsWith('\t')) {
      field?.push(line);
    } else {
      const colon = line.indexOf(':');
      if (colon < 0) continue;
      field = [line.slice(colon + 1)];
      stanza.set(line.slice(0, colon).toLowerCase(), field);
    }
  }
  if (stanza.size > 0) yield stanza;
}

function toParagraphs(lines: readonly string[]): string[] {
  const paragraphs: string[] = [];
  let block: string[] = [];
  let prose: string[] = [];
  const endProse = () => {
    if (prose.length > 0) block.push(prose.join(' '));
    prose = [];
  };
  const endParagraph = () => {
    endProse();
    const text = block.join('\n').trim();
    if (text !== '') paragraphs.push(text);
    block = [];
  };
  for (const line of lines) {
    if (line.trim() === '.') {
      endParagraph();
    } else if (/^\s\s/.test(line)) {
      endProse();
      block.push(line.trim());
    } else {
      prose.push(line.trim());
    }
  }
  endParagraph();
  return paragraphs;
}
