/**
 * SVG baking (docs/baking.md):
 *   - OB 3.0 (Open Badges 3.0, section 5.3.2 "SVG"): `xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"` on the
 *     root <svg>, and as its first child an <openbadges:credential> holding a JSON credential in a CDATA section, or
 *     a VC-JWT in its `verify` attribute (with an empty body);
 *   - OB 2.0 (Open Badges Baking 2.0, "SVGs"): `xmlns:openbadges="http://openbadges.org"` and an
 *     <openbadges:assertion> whose `verify` attribute holds the signed assertion (self-closing), or the hosted
 *     assertion's URL with its JSON in a CDATA section;
 *   - the receipt of a JWS credential: a <badgenotary:receipt> element of ours right after it, declaring its own
 *     namespace, with the receipt JSON in a CDATA section.
 * Only those are written: the bytes of the rest of the document stay as they were.
 */
import {
  DuplicateBakedCredentialError,
  InvalidBakedCredentialError,
  InvalidReceiptError,
  NoBakedCredentialError,
  NotSvgError,
  UnsupportedSvgError,
} from './errors';
import type { PreparedCredential } from './credential';
import { parseXml, type XmlDocument, type XmlElement } from './xml';

/** The OB 3.0 baking namespace. */
export const SVG_OB3_NAMESPACE = 'https://purl.imsglobal.org/ob/v3p0';
/** The OB 2.0 baking namespace. */
export const SVG_OB2_NAMESPACE = 'http://openbadges.org';
/** The namespace of our receipt element: ours, ignored by other Open Badges tools. */
export const SVG_RECEIPT_NAMESPACE = 'https://badge-notary.example/ns/receipt/v1';
export const SVG_NAMESPACE = 'http://www.w3.org/2000/svg';

/** The baked parts of an SVG. */
export interface SvgBakedTexts {
  element: 'credential' | 'assertion';
  /** The text holding the credential: the `verify` attribute or the element's body. */
  text: string;
  /** Where `text` came from, for messages. */
  where: string;
  receiptText?: string | undefined;
}

/**
 * Parses an SVG document: well-formed XML whose root element is <svg> (in the SVG namespace, or in none).
 * @throws {MalformedSvgError} / {UnsupportedSvgError} from the XML reader, or for an encoding other than UTF-8.
 * @throws {NotSvgError} when the root element is not <svg>.
 */
export function parseSvg(source: string): XmlDocument {
  const document = parseXml(source);
  const { root } = document;
  if (root.local !== 'svg' || (root.namespace !== undefined && root.namespace !== SVG_NAMESPACE)) {
    throw new NotSvgError({ details: `its root element is <${root.qname}>${root.namespace ? ` in namespace ${root.namespace}` : ''}` });
  }
  if (document.encoding !== undefined && !/^utf-?8$/i.test(document.encoding)) {
    throw new UnsupportedSvgError(`the SVG declares encoding "${document.encoding}"; baked badges are read and written as UTF-8`);
  }
  return document;
}

/** Whether `source` looks like an SVG document: its first element (after the prolog) is named svg. */
export function looksLikeSvg(source: string): boolean {
  let text = source.replace(/^\uFEFF/, '');
  // Skip the prolog: XML declaration, comments, processing instructions, a DOCTYPE, whitespace.
  for (;;) {
    const trimmed = text.replace(/^[ \t\r\n]+/, '');
    const skip = /^(<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE(?:[^<>[\]"']|"[^"]*"|'[^']*'|\[[\s\S]*?\])*>)/.exec(trimmed);
    if (!skip) {
      text = trimmed;
      break;
    }
    text = trimmed.slice(skip[0].length);
  }
  return /^<(?:[A-Za-z_][\w.-]*:)?svg[\s/>]/.test(text);
}

/** The baked elements of a document (any depth), outermost first. */
function bakedElements(document: XmlDocument): { credentials: XmlElement[]; assertions: XmlElement[]; receipts: XmlElement[] } {
  const credentials: XmlElement[] = [];
  const assertions: XmlElement[] = [];
  const receipts: XmlElement[] = [];
  for (const element of document.elements) {
    if (element.namespace === SVG_OB3_NAMESPACE && element.local === 'credential') credentials.push(element);
    else if (element.namespace === SVG_OB2_NAMESPACE && element.local === 'assertion') assertions.push(element);
    else if (element.namespace === SVG_RECEIPT_NAMESPACE && element.local === 'receipt') receipts.push(element);
  }
  return { credentials, assertions, receipts };
}

/**
 * The SVG with any baked elements removed and `prepared` baked as the root's first child.
 * @throws {UnsupportedSvgError} when the root binds the prefix openbadges to a namespace that is not Open Badges'.
 */
export function bakeSvgDocument(source: string, prepared: PreparedCredential): string {
  const document = parseSvg(source);
  const { root } = document;
  const { credentials, assertions, receipts } = bakedElements(document);
  const removed = outermost([...credentials, ...assertions, ...receipts]);
  const edits: Edit[] = removed.map((element) => ({ start: element.start, end: element.end, text: '' }));

  const namespace = prepared.version === 'ob3' ? SVG_OB3_NAMESPACE : SVG_OB2_NAMESPACE;
  const declared = root.attributes.find((attribute) => attribute.qname === 'xmlns:openbadges');
  if (!declared) {
    edits.push({ start: root.attributesEnd, end: root.attributesEnd, text: ` xmlns:openbadges="${namespace}"` });
  } else if (declared.value !== namespace) {
    if (declared.value !== SVG_OB3_NAMESPACE && declared.value !== SVG_OB2_NAMESPACE) {
      throw new UnsupportedSvgError(`the root <svg> binds the prefix openbadges to "${declared.value}", which Open Badges baking needs for ${namespace}`);
    }
    const stillUsed = document.elements.some(
      (element) =>
        !removed.some((gone) => element.start >= gone.start && element.end <= gone.end) &&
        (usesRootBinding(element.prefix, element, root) ||
          element.attributes.some((attribute) => usesRootBinding(attribute.prefix, element, root))),
    );
    if (stillUsed) {
      throw new UnsupportedSvgError(`the prefix openbadges (bound to ${declared.value} on the root) is used by other elements; it cannot be rebound to ${namespace}`);
    }
    edits.push({ start: declared.valueStart, end: declared.valueEnd, text: namespace });
  }

  const baked = credentialElement(prepared) + (prepared.receiptText === undefined ? '' : receiptElement(prepared.receiptText));
  if (root.selfClosing) {
    edits.push({ start: root.startTagEnd - 2, end: root.startTagEnd, text: `>${baked}</${root.qname}>` });
  } else {
    edits.push({ start: root.startTagEnd, end: root.startTagEnd, text: baked });
  }
  return applyEdits(source, edits);
}

/**
 * Reads the baked elements of an SVG.
 * @throws {NoBakedCredentialError} without an <openbadges:credential> or <openbadges:assertion>.
 * @throws {DuplicateBakedCredentialError} with more than one of them.
 * @throws {InvalidReceiptError} with more than one receipt element.
 * @throws {InvalidBakedCredentialError} when the element holds child elements, both a `verify` attribute and a body,
 * or nothing.
 */
export function readBakedElements(source: string): SvgBakedTexts {
  const document = parseSvg(source);
  const { credentials, assertions, receipts } = bakedElements(document);
  const found = [...credentials, ...assertions];
  if (found.length === 0) {
    const lookalike = document.elements.find((element) => element.local === 'credential' || element.local === 'assertion');
    throw new NoBakedCredentialError('svg', {
      details: lookalike
        ? `<${lookalike.qname}> is in namespace ${lookalike.namespace ?? '(none)'}, not ${SVG_OB3_NAMESPACE} (OB 3.0) or ${SVG_OB2_NAMESPACE} (OB 2.0)`
        : undefined,
    });
  }
  if (found.length > 1) throw new DuplicateBakedCredentialError(found.map((element) => `<${element.qname}> in ${element.namespace}`));
  if (receipts.length > 1) throw new InvalidReceiptError(`the SVG has ${receipts.length} receipt elements (${SVG_RECEIPT_NAMESPACE}); it may have one`);
  const [element] = found;
  const name = `<${element.qname}>`;
  if (element.children.length > 0) throw new InvalidBakedCredentialError(`${name} holds child elements; it must hold only the credential`);
  const body = element.text.trim();
  const verify = element.attributes.find((attribute) => attribute.qname === 'verify')?.value.trim();
  const receiptText = receipts.length === 1 ? bodyOf(receipts[0]) : undefined;
  if (element.namespace === SVG_OB3_NAMESPACE) {
    if (verify && body) throw new InvalidBakedCredentialError(`${name} has both a verify attribute and a body; OB 3.0 puts a JWT in one or JSON in the other`);
    if (verify) return { element: 'credential', text: verify, where: `the verify attribute of ${name}`, receiptText };
    if (body) return { element: 'credential', text: body, where: `the body of ${name}`, receiptText };
    throw new InvalidBakedCredentialError(`${name} is empty: no verify attribute and no body`);
  }
  // OB 2.0: a body is the assertion JSON (verify then holds its URL); without a body, verify holds the signed assertion.
  if (body) return { element: 'assertion', text: body, where: `the body of ${name}`, receiptText };
  if (verify) return { element: 'assertion', text: verify, where: `the verify attribute of ${name}`, receiptText };
  throw new InvalidBakedCredentialError(`${name} is empty: no verify attribute and no body`);
}

function bodyOf(element: XmlElement): string {
  if (element.children.length > 0) throw new InvalidBakedCredentialError(`<${element.qname}> holds child elements; it must hold only the receipt JSON`);
  return element.text.trim();
}

function credentialElement(prepared: PreparedCredential): string {
  if (prepared.version === 'ob3') {
    return prepared.form === 'jws'
      ? `<openbadges:credential verify="${escapeAttribute(prepared.text)}"></openbadges:credential>`
      : `<openbadges:credential>${cdata(prepared.text)}</openbadges:credential>`;
  }
  if (prepared.form === 'jws') return `<openbadges:assertion verify="${escapeAttribute(prepared.text)}"/>`;
  return `<openbadges:assertion verify="${escapeAttribute(prepared.hostedUrl ?? '')}">${cdata(prepared.text)}</openbadges:assertion>`;
}

function receiptElement(receiptJson: string): string {
  return `<badgenotary:receipt xmlns:badgenotary="${SVG_RECEIPT_NAMESPACE}">${cdata(receiptJson)}</badgenotary:receipt>`;
}

/**
 * A CDATA section holding JSON text. "]]>" would end the section early; in JSON it can only occur inside a string,
 * where "]]\u003e" means the same, so the JSON read back is the same value (and gives the same digest).
 */
function cdata(json: string): string {
  return `<![CDATA[${json.replace(/]]>/g, ']]\\u003e')}]]>`;
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

function usesRootBinding(prefix: string | undefined, element: XmlElement, root: XmlElement): boolean {
  if (prefix !== 'openbadges') return false;
  // The binding in scope comes from the root when no element between declares the prefix again.
  for (let at: XmlElement | undefined = element; at && at !== root; at = at.parent) {
    if (at.attributes.some((attribute) => attribute.qname === 'xmlns:openbadges')) return false;
  }
  return true;
}

function outermost(elements: XmlElement[]): XmlElement[] {
  return elements
    .sort((a, b) => a.start - b.start)
    .filter((element, i, sorted) => !sorted.slice(0, i).some((outer) => element.start >= outer.start && element.end <= outer.end));
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

/** Applies non-overlapping edits; an insertion and a removal at the same offset leave the insertion first. */
function applyEdits(source: string, edits: Edit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - a.start - (b.end - b.start));
  let out = '';
  let cursor = 0;
  for (const edit of sorted) {
    if (edit.start < cursor) throw new Error('internal error: overlapping SVG edits');
    out += source.slice(cursor, edit.start) + edit.text;
    cursor = edit.end;
  }
  return out + source.slice(cursor);
}
