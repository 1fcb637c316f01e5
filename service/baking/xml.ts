/**
 * A small, strict XML 1.0 reader for SVG baking: just what baking needs, and safe by construction.
 *   - No DTD is processed: a DOCTYPE without an internal subset is skipped (its external DTD is never fetched); a
 *     DOCTYPE with an internal subset is refused, so no entity is ever declared, let alone expanded.
 *   - Only the five predefined entities (&amp; &lt; &gt; &quot; &apos;) and character references are read.
 *   - Well-formedness is checked (one root element, tags that nest and match, quoted and unique attributes, legal
 *     characters, comments, CDATA sections and processing instructions closed), and so is namespace
 *     well-formedness (every prefix declared).
 * The reader keeps the offset of every element and attribute, so the baker can insert and remove text without
 * touching any other byte of the document.
 */
import { MalformedSvgError, UnsupportedSvgError } from './errors';

export const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';
export const XMLNS_NAMESPACE = 'http://www.w3.org/2000/xmlns/';

export interface XmlAttribute {
  /** The name as written, e.g. `xmlns:openbadges`, `verify`. */
  qname: string;
  prefix: string | undefined;
  local: string;
  /** The namespace of a prefixed attribute; unprefixed attributes have none. */
  namespace: string | undefined;
  /** The value with references decoded and attribute-value normalisation applied. */
  value: string;
  /** Offset of the whitespace before the name: removing [start, end) removes the attribute cleanly. */
  start: number;
  end: number;
  /** Offsets of the raw value between the quotes. */
  valueStart: number;
  valueEnd: number;
}

export interface XmlElement {
  qname: string;
  prefix: string | undefined;
  local: string;
  namespace: string | undefined;
  attributes: XmlAttribute[];
  /** Offset of `<`. */
  start: number;
  /** Offset just past the last attribute (or the name): where a new attribute is inserted. */
  attributesEnd: number;
  /** Offset just past the start tag's `>`. */
  startTagEnd: number;
  selfClosing: boolean;
  /** Offset just past the end tag (the start tag, for an empty-element tag). */
  end: number;
  parent: XmlElement | undefined;
  children: XmlElement[];
  /** The character data directly inside (text and CDATA sections, decoded, in order). */
  text: string;
  /** The namespace bindings in scope: prefix ('' for the default namespace) to URI. */
  bindings: ReadonlyMap<string, string>;
}

export interface XmlDocument {
  source: string;
  root: XmlElement;
  /** Every element, in document order. */
  elements: XmlElement[];
  /** The encoding named by the XML declaration, if any. */
  encoding: string | undefined;
  hasDoctype: boolean;
}

// XML 1.0 (fifth edition) NameStartChar and NameChar.
const NAME_START = ':A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C-\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}';
const NAME_CHAR = `${NAME_START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040`;
// The class holds the range of combining marks U+0300-U+036F as XML names allow them, not a combined character.
// eslint-disable-next-line no-misleading-character-class
const NAME = new RegExp(`[${NAME_START}][${NAME_CHAR}]*`, 'uy');
// Characters XML 1.0 does not allow anywhere (controls other than tab, LF and CR; lone surrogates; U+FFFE, U+FFFF).
const ILLEGAL_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const WHITESPACE = /[ \t\r\n]/;
const XML_DECLARATION =
  /<\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(["'])1\.[0-9]+\1(?:[ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*(["'])([A-Za-z][A-Za-z0-9._-]*)\2)?(?:[ \t\r\n]+standalone[ \t\r\n]*=[ \t\r\n]*(["'])(?:yes|no)\4)?[ \t\r\n]*\?>/y;
const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * Parses an XML document.
 * @throws {MalformedSvgError} with line and column when it is not well-formed or not namespace-well-formed.
 * @throws {UnsupportedSvgError} for a DTD internal subset, or an entity other than the five predefined ones.
 */
export function parseXml(source: string): XmlDocument {
  return new XmlReader(source).read();
}

/** Line and column (from 1) of an offset. */
export function lineColumn(source: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < source.length; i++) {
    if (source.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

class XmlReader {
  private pos = 0;
  private readonly elements: XmlElement[] = [];
  private encoding: string | undefined;
  private hasDoctype = false;

  constructor(private readonly src: string) {}

  read(): XmlDocument {
    const illegal = ILLEGAL_CHAR.exec(this.src);
    if (illegal) {
      const code = illegal[0].codePointAt(0) ?? 0;
      this.fail(`the character U+${code.toString(16).toUpperCase().padStart(4, '0')} is not allowed in XML`, illegal.index);
    }
    if (this.src.startsWith('\uFEFF')) this.pos = 1;
    this.readXmlDeclaration();
    this.readMisc(true);
    if (!this.src.startsWith('<', this.pos) || this.pos >= this.src.length) this.fail('there is no root element');
    const root = this.readElement(undefined);
    this.readMisc(false);
    if (this.pos < this.src.length) this.fail('there is content after the root element');
    return { source: this.src, root, elements: this.elements, encoding: this.encoding, hasDoctype: this.hasDoctype };
  }

  private readXmlDeclaration(): void {
    if (!this.src.startsWith('<?xml', this.pos) || !/[ \t\r\n?]/.test(this.src.charAt(this.pos + 5))) return;
    XML_DECLARATION.lastIndex = this.pos;
    const match = XML_DECLARATION.exec(this.src);
    if (!match) this.fail('the XML declaration is not valid (<?xml version="1.0" encoding="UTF-8"?>)');
    this.encoding = match[3];
    this.pos = XML_DECLARATION.lastIndex;
  }

  /** Comments, processing instructions, whitespace and (before the root, once) a DOCTYPE. */
  private readMisc(beforeRoot: boolean): void {
    for (;;) {
      this.skipWhitespace();
      if (this.src.startsWith('<!--', this.pos)) this.readComment();
      else if (this.src.startsWith('<?', this.pos)) this.readProcessingInstruction();
      else if (beforeRoot && this.src.startsWith('<!DOCTYPE', this.pos)) this.readDoctype();
      else if (this.pos < this.src.length && !this.src.startsWith('<', this.pos)) {
        this.fail(beforeRoot ? 'there is text before the root element' : 'there is text after the root element');
      } else if (this.src.startsWith('<!', this.pos)) {
        this.fail('a markup declaration outside the root element is not allowed here');
      } else return;
    }
  }

  private readDoctype(): void {
    if (this.hasDoctype) this.fail('a second DOCTYPE');
    this.hasDoctype = true;
    let i = this.pos + '<!DOCTYPE'.length;
    while (i < this.src.length) {
      const c = this.src[i];
      if (c === '"' || c === "'") {
        const close = this.src.indexOf(c, i + 1);
        if (close < 0) this.fail('the DOCTYPE has an unclosed literal', i);
        i = close + 1;
      } else if (c === '[') {
        throw new UnsupportedSvgError('the SVG has a DTD internal subset; it is refused: entity declarations are never processed', {
          details: 'an internal subset can declare entities (external ones, or ones that expand without bound); remove the [...] part of the DOCTYPE',
        });
      } else if (c === '>') {
        this.pos = i + 1;
        return;
      } else if (c === '<') {
        this.fail('the DOCTYPE is not closed', i);
      } else i++;
    }
    this.fail('the DOCTYPE is not closed');
  }

  private readComment(): void {
    const end = this.src.indexOf('-->', this.pos + 4);
    if (end < 0) this.fail('a comment is not closed');
    const body = this.src.slice(this.pos + 4, end);
    if (body.includes('--') || body.endsWith('-')) this.fail('a comment contains "--"', this.pos + 4 + Math.max(body.indexOf('--'), 0));
    this.pos = end + 3;
  }

  private readProcessingInstruction(): void {
    const start = this.pos;
    this.pos += 2;
    const target = this.readName('a processing instruction target');
    if (target.toLowerCase() === 'xml') this.fail('an XML declaration is only allowed at the very start of the document', start);
    const end = this.src.indexOf('?>', this.pos);
    if (end < 0) this.fail('a processing instruction is not closed', start);
    if (end > this.pos && !WHITESPACE.test(this.src.charAt(this.pos))) this.fail('a processing instruction target must be followed by whitespace');
    this.pos = end + 2;
  }

  /** Reads the element at `<` and everything inside it, without recursion. */
  private readElement(parent: XmlElement | undefined): XmlElement {
    const root = this.readStartTag(parent);
    const stack: XmlElement[] = root.selfClosing ? [] : [root];
    while (stack.length > 0) {
      const current = stack[stack.length - 1];
      const lt = this.src.indexOf('<', this.pos);
      if (lt < 0) this.fail(`the element <${current.qname}> is not closed`, current.start);
      if (lt > this.pos) {
        const raw = this.src.slice(this.pos, lt);
        const bad = raw.indexOf(']]>');
        if (bad >= 0) this.fail('"]]>" is not allowed in text', this.pos + bad);
        current.text += normaliseLineEnds(this.decodeReferences(raw, this.pos));
        this.pos = lt;
      }
      if (this.src.startsWith('</', this.pos)) {
        const at = this.pos;
        this.pos += 2;
        const name = this.readName('an end tag name');
        this.skipWhitespace();
        this.expect('>');
        if (name !== current.qname) this.fail(`the end tag </${name}> does not match <${current.qname}>`, at);
        current.end = this.pos;
        stack.pop();
      } else if (this.src.startsWith('<!--', this.pos)) {
        this.readComment();
      } else if (this.src.startsWith('<![CDATA[', this.pos)) {
        const end = this.src.indexOf(']]>', this.pos + 9);
        if (end < 0) this.fail('a CDATA section is not closed');
        current.text += normaliseLineEnds(this.src.slice(this.pos + 9, end));
        this.pos = end + 3;
      } else if (this.src.startsWith('<?', this.pos)) {
        this.readProcessingInstruction();
      } else if (this.src.startsWith('<!', this.pos)) {
        this.fail('a markup declaration (<!DOCTYPE, <!ENTITY...) is not allowed inside an element');
      } else {
        const child = this.readStartTag(current);
        current.children.push(child);
        if (!child.selfClosing) stack.push(child);
      }
    }
    return root;
  }

  private readStartTag(parent: XmlElement | undefined): XmlElement {
    const start = this.pos;
    this.pos++;
    const qname = this.readName('an element name');
    let attributesEnd = this.pos;
    const attributes: XmlAttribute[] = [];
    let selfClosing = false;
    for (;;) {
      const spaceStart = this.pos;
      const hadSpace = this.skipWhitespace();
      if (this.src.startsWith('>', this.pos)) {
        this.pos++;
        break;
      }
      if (this.src.startsWith('/>', this.pos)) {
        this.pos += 2;
        selfClosing = true;
        break;
      }
      if (this.pos >= this.src.length) this.fail(`the start tag <${qname}> is not closed`, start);
      if (!hadSpace) this.fail(`expected whitespace, ">" or "/>" in the start tag <${qname}>`);
      const nameAt = this.pos;
      const name = this.readName('an attribute name');
      if (attributes.some((attribute) => attribute.qname === name)) this.fail(`the attribute ${name} appears twice`, nameAt);
      this.skipWhitespace();
      this.expect('=');
      this.skipWhitespace();
      const quote = this.src.charAt(this.pos);
      if (quote !== '"' && quote !== "'") this.fail(`the value of the attribute ${name} is not quoted`);
      const valueStart = this.pos + 1;
      const valueEnd = this.src.indexOf(quote, valueStart);
      if (valueEnd < 0) this.fail(`the value of the attribute ${name} is not closed`, valueStart - 1);
      const raw = this.src.slice(valueStart, valueEnd);
      const lt = raw.indexOf('<');
      if (lt >= 0) this.fail(`"<" is not allowed in the value of the attribute ${name}`, valueStart + lt);
      const value = this.decodeReferences(normaliseLineEnds(raw).replace(/[\t\n\r]/g, ' '), valueStart);
      this.pos = valueEnd + 1;
      attributesEnd = this.pos;
      const [prefix, local] = splitQName(name, () => this.fail(`the attribute name ${name} is not a valid qualified name`, nameAt));
      attributes.push({ qname: name, prefix, local, namespace: undefined, value, start: spaceStart, end: this.pos, valueStart, valueEnd });
    }
    const bindings = this.bindingsOf(parent?.bindings, attributes);
    const [prefix, local] = splitQName(qname, () => this.fail(`the element name ${qname} is not a valid qualified name`, start));
    const namespace = this.resolve(prefix, bindings, true, start, qname);
    for (const attribute of attributes) {
      if (attribute.prefix !== undefined && attribute.prefix !== 'xmlns') {
        attribute.namespace = this.resolve(attribute.prefix, bindings, false, attribute.start, attribute.qname);
      } else if (attribute.prefix === 'xmlns' || attribute.qname === 'xmlns') attribute.namespace = XMLNS_NAMESPACE;
    }
    const expanded = new Set<string>();
    for (const attribute of attributes) {
      const key = `${attribute.namespace ?? ''} ${attribute.namespace === undefined ? attribute.qname : attribute.local}`;
      if (expanded.has(key)) this.fail(`the attribute ${attribute.qname} repeats another in the same namespace`, attribute.start);
      expanded.add(key);
    }
    const element: XmlElement = {
      qname,
      prefix,
      local,
      namespace,
      attributes,
      start,
      attributesEnd,
      startTagEnd: this.pos,
      selfClosing,
      end: this.pos,
      parent,
      children: [],
      text: '',
      bindings,
    };
    this.elements.push(element);
    return element;
  }

  private bindingsOf(inherited: ReadonlyMap<string, string> | undefined, attributes: XmlAttribute[]): ReadonlyMap<string, string> {
    const declarations = attributes.filter((attribute) => attribute.qname === 'xmlns' || attribute.prefix === 'xmlns');
    const base = inherited ?? new Map([['xml', XML_NAMESPACE]]);
    if (declarations.length === 0) return base;
    const bindings = new Map(base);
    for (const { qname, local, value, start } of declarations) {
      if (qname === 'xmlns') {
        if (value === XML_NAMESPACE || value === XMLNS_NAMESPACE) this.fail(`the default namespace cannot be ${value}`, start);
        if (value === '') bindings.delete('');
        else bindings.set('', value);
        continue;
      }
      if (local === 'xmlns') this.fail('the prefix xmlns cannot be declared', start);
      if (local === 'xml' ? value !== XML_NAMESPACE : value === XML_NAMESPACE) this.fail(`the prefix xml and ${XML_NAMESPACE} go only together`, start);
      if (value === '') this.fail(`the prefix ${local} cannot be undeclared (XML 1.0 namespaces)`, start);
      bindings.set(local, value);
    }
    return bindings;
  }

  private resolve(prefix: string | undefined, bindings: ReadonlyMap<string, string>, element: boolean, at: number, qname: string): string | undefined {
    if (prefix === undefined) return element ? bindings.get('') : undefined;
    const namespace = bindings.get(prefix);
    if (namespace === undefined) this.fail(`the namespace prefix of ${qname} is not declared`, at);
    return namespace;
  }

  /** Decodes the five predefined entities and character references in `raw`, which starts at `offset`. */
  private decodeReferences(raw: string, offset: number): string {
    if (!raw.includes('&')) return raw;
    return raw.replace(/&([^;&]*)(;?)/g, (whole: string, name: string, semicolon: string, index: number) => {
      const at = offset + index;
      if (semicolon !== ';' || name === '') this.fail('"&" must start a reference such as &amp;', at);
      if (name.startsWith('#')) {
        const code = /^#x[0-9a-fA-F]+$/.test(name) ? parseInt(name.slice(2), 16) : /^#[0-9]+$/.test(name) ? parseInt(name.slice(1), 10) : NaN;
        if (!Number.isFinite(code) || code > 0x10ffff) this.fail(`${whole} is not a valid character reference`, at);
        const char = String.fromCodePoint(code);
        if (ILLEGAL_CHAR.test(char)) this.fail(`${whole} refers to a character XML does not allow`, at);
        return char;
      }
      const predefined = PREDEFINED[name];
      if (predefined !== undefined) return predefined;
      NAME.lastIndex = 0;
      const match = NAME.exec(name);
      if (!match || match[0] !== name) this.fail(`${whole} is not a valid reference`, at);
      const { line, column } = lineColumn(this.src, at);
      throw new UnsupportedSvgError(`the SVG uses the entity &${name}; (line ${line}, column ${column}), which only a DTD could define`, {
        details: 'no DTD is ever read, so only &amp; &lt; &gt; &quot; &apos; and character references (&#...;) are expanded',
      });
    });
  }

  private readName(what: string): string {
    NAME.lastIndex = this.pos;
    const match = NAME.exec(this.src);
    if (!match) this.fail(`expected ${what}`);
    this.pos = NAME.lastIndex;
    return match[0];
  }

  private skipWhitespace(): boolean {
    const start = this.pos;
    while (this.pos < this.src.length && WHITESPACE.test(this.src.charAt(this.pos))) this.pos++;
    return this.pos > start;
  }

  private expect(text: string): void {
    if (!this.src.startsWith(text, this.pos)) this.fail(`expected "${text}"`);
    this.pos += text.length;
  }

  private fail(message: string, at = this.pos): never {
    const { line, column } = lineColumn(this.src, at);
    throw new MalformedSvgError(message, line, column);
  }
}

function splitQName(name: string, invalid: () => never): [string | undefined, string] {
  const colon = name.indexOf(':');
  if (colon < 0) return [undefined, name];
  if (colon === 0 || colon === name.length - 1 || name.indexOf(':', colon + 1) >= 0) invalid();
  return [name.slice(0, colon), name.slice(colon + 1)];
}

function normaliseLineEnds(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}
