import { expect } from 'chai';
import { parseCredential, type JsonObject } from '../../service/credentials';
import { RECEIPT_PROOF_TYPE, attachReceiptToCredential } from '../../service/merkle';
import {
  BakeInputError,
  DuplicateBakedCredentialError,
  InvalidBakedCredentialError,
  InvalidReceiptError,
  InvalidUtf8Error,
  MalformedSvgError,
  NoBakedCredentialError,
  NotSvgError,
  SVG_OB2_NAMESPACE,
  SVG_OB3_NAMESPACE,
  SVG_RECEIPT_NAMESPACE,
  UnsupportedSvgError,
  bakeSvg,
  unbake,
} from '../../service/baking';
import { demoSvg, expectThrows, receiptFor, signedBadge } from './fixtures';

const SVG_OPEN_TAG = /^<svg\b[^>]*>/m;

/** The root start tag of the demo SVG, and what follows it. */
function split(svg: string): { before: string; openTag: string; after: string } {
  const match = SVG_OPEN_TAG.exec(svg);
  if (!match) throw new Error('no <svg> start tag');
  return { before: svg.slice(0, match.index), openTag: match[0], after: svg.slice(match.index + match[0].length) };
}

/** A small SVG with `inner` as the content of its root. */
function svgWith(inner: string, rootAttributes = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"${rootAttributes}>${inner}<circle cx="5" cy="5" r="4"/></svg>\n`;
}

describe('baking: SVG', function () {
  describe('OB 3.0 round trips', function () {
    it('a Data Integrity credential: <openbadges:credential> first child of the root, JSON in CDATA, xmlns on the root', async function () {
      const credential = await signedBadge('data-integrity');
      const baked = bakeSvg({ image: demoSvg, credential });
      const original = split(demoSvg);
      const { before, openTag, after } = split(baked);
      expect(before).to.equal(original.before);
      expect(openTag).to.equal(original.openTag.replace(/>$/, ` xmlns:openbadges="${SVG_OB3_NAMESPACE}">`));
      const element = /^<openbadges:credential><!\[CDATA\[([\s\S]*)\]\]><\/openbadges:credential>/.exec(after);
      expect(element, after.slice(0, 80)).to.not.equal(null);
      expect(JSON.parse(element![1])).to.deep.equal(credential);
      expect(after.slice(element![0].length)).to.equal(original.after);

      const read = unbake(baked);
      expect(read).to.deep.equal({ kind: 'svg', version: 'ob3', credential });
      expect((await parseCredential(read.credential)).digest).to.equal((await parseCredential(credential)).digest);
      // bytes, as a file would be read, give the same
      expect(unbake(Buffer.from(baked, 'utf8'))).to.deep.equal(read);
    });

    it('a Data Integrity credential with its receipt in the proof set of the baked JSON', async function () {
      const credential = await signedBadge('data-integrity');
      const { digest } = await parseCredential(credential);
      const receipt = await receiptFor(digest);
      const baked = bakeSvg({ image: demoSvg, credential, receipt });
      expect(baked).not.to.contain('badgenotary:receipt');
      const json = /<!\[CDATA\[([\s\S]*?)\]\]>/.exec(baked)![1];
      expect(JSON.parse(json)).to.deep.equal(attachReceiptToCredential(credential, receipt));
      const read = unbake(baked);
      expect(read).to.deep.equal({ kind: 'svg', version: 'ob3', credential, receipt });
      expect((await parseCredential(read.credential)).digest).to.equal(digest);
    });

    it('a VC-JWT: the compact JWS in the verify attribute, with an empty body', async function () {
      const jwt = await signedBadge('vc-jwt');
      const baked = bakeSvg({ image: demoSvg, credential: jwt });
      expect(split(baked).after.startsWith(`<openbadges:credential verify="${jwt}"></openbadges:credential>`)).to.equal(true);
      const read = unbake(baked);
      expect(read).to.deep.equal({ kind: 'svg', version: 'ob3', credential: jwt });
      expect((await parseCredential(read.credential)).digest).to.equal((await parseCredential(jwt)).digest);
    });

    it('a VC-JWT with its receipt: the JWS stays bare, the receipt is a <badgenotary:receipt> of our namespace after it', async function () {
      const jwt = await signedBadge('vc-jwt');
      const { digest } = await parseCredential(jwt);
      const receipt = await receiptFor(digest);
      const baked = bakeSvg({ image: demoSvg, credential: jwt, receipt });
      const { after } = split(baked);
      const expected =
        `<openbadges:credential verify="${jwt}"></openbadges:credential>` +
        `<badgenotary:receipt xmlns:badgenotary="${SVG_RECEIPT_NAMESPACE}"><![CDATA[${JSON.stringify(receipt)}]]></badgenotary:receipt>`;
      expect(after.startsWith(expected)).to.equal(true);
      expect(after.slice(expected.length)).to.equal(split(demoSvg).after);
      const read = unbake(baked);
      expect(read).to.deep.equal({ kind: 'svg', version: 'ob3', credential: jwt, receipt });
      expect((await parseCredential(read.credential)).digest).to.equal(digest);
    });

    it('JSON holding "]]>" stays one CDATA section and reads back to the same credential and digest', async function () {
      const credential = await signedBadge('data-integrity');
      const tricky = { ...credential, name: 'Ends a CDATA section: ]]> and goes on' } as JsonObject;
      const baked = bakeSvg({ image: demoSvg, credential: tricky });
      expect(baked.match(/<!\[CDATA\[/g)).to.have.length(1);
      expect(baked).to.contain(']]\\u003e and goes on');
      const read = unbake(baked);
      expect(read.credential).to.deep.equal(tricky);
    });
  });

  describe('OB 2.0', function () {
    it('a signed assertion: a self-closing <openbadges:assertion> with the JWS in verify, namespace http://openbadges.org', async function () {
      const jws = await signedBadge('ob2-jws');
      const baked = bakeSvg({ image: demoSvg, credential: jws });
      const { openTag, after } = split(baked);
      expect(openTag).to.contain(`xmlns:openbadges="${SVG_OB2_NAMESPACE}"`);
      expect(after.startsWith(`<openbadges:assertion verify="${jws}"/>`)).to.equal(true);
      const read = unbake(baked);
      expect(read).to.deep.equal({ kind: 'svg', version: 'ob2', credential: jws });
      expect((await parseCredential(read.credential)).digest).to.equal((await parseCredential(jws)).digest);

      const receipt = await receiptFor((await parseCredential(jws)).digest);
      expect(unbake(bakeSvg({ image: demoSvg, credential: jws, receipt }))).to.deep.equal({ kind: 'svg', version: 'ob2', credential: jws, receipt });
    });

    it('a hosted assertion: verify holds its URL, the body its JSON in CDATA', async function () {
      const jws = await signedBadge('ob2-jws');
      const assertion = JSON.parse(Buffer.from(jws.split('.')[1], 'base64url').toString('utf8')) as JsonObject;
      const hosted = { ...assertion, id: 'https://school.example/assertions/1', verification: { type: 'hosted' } };
      const baked = bakeSvg({ image: demoSvg, credential: hosted });
      expect(split(baked).after.startsWith('<openbadges:assertion verify="https://school.example/assertions/1"><![CDATA[')).to.equal(true);
      expect(unbake(baked)).to.deep.equal({ kind: 'svg', version: 'ob2', credential: hosted });
      const { id: _id, ...noUrl } = hosted;
      expectThrows(() => bakeSvg({ image: demoSvg, credential: { ...noUrl, id: 'urn:uuid:1' } }), BakeInputError);
    });
  });

  describe('reading SVGs baked by others', function () {
    it('reads the OB 3.0 specification examples: a JWT in verify, JSON in CDATA with whitespace around it', async function () {
      const jwt = await signedBadge('vc-jwt');
      const specJwt = `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg"
  xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"
  viewBox="0 0 512 512">
  <openbadges:credential verify="${jwt}"></openbadges:credential>

  <!-- rest-of-image -->
</svg>`;
      expect(unbake(specJwt)).to.deep.equal({ kind: 'svg', version: 'ob3', credential: jwt });
      const credential = await signedBadge('data-integrity');
      const specJson = specJwt.replace(
        /<openbadges:credential[^]*<\/openbadges:credential>/,
        `<openbadges:credential>\n      <![CDATA[\n        ${JSON.stringify(credential, null, 2)}\n      ]]>\n    </openbadges:credential>`,
      );
      expect(unbake(specJson)).to.deep.equal({ kind: 'svg', version: 'ob3', credential });
    });

    it('reads the element by namespace, whatever its prefix and wherever the prefix is declared', async function () {
      const jwt = await signedBadge('vc-jwt');
      const svg = svgWith(`<ob:credential xmlns:ob="${SVG_OB3_NAMESPACE}" verify="${jwt}"/>`);
      expect(unbake(svg).credential).to.equal(jwt);
      // JSON written as escaped character data instead of CDATA
      const credential = await signedBadge('data-integrity');
      const escaped = JSON.stringify(credential).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
      expect(unbake(svgWith(`<openbadges:credential>${escaped}</openbadges:credential>`, ` xmlns:openbadges="${SVG_OB3_NAMESPACE}"`)).credential).to.deep.equal(
        credential,
      );
    });

    it('reads the OB 2.0 baking example layout (hosted assertion JSON with its URL in verify)', function () {
      const assertion = {
        '@context': 'https://w3id.org/openbadges/v2',
        id: 'https://example.org/assertions/123',
        type: 'Assertion',
        recipient: { type: 'email', identity: 'alice@example.org' },
        issuedOn: '2016-12-31T23:59:59+00:00',
        verification: { type: 'hosted' },
        badge: 'https://example.org/badges/5',
      };
      const svg = `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg"
     xmlns:openbadges="http://openbadges.org"
     viewBox="0 0 512 512">
  <openbadges:assertion verify="https://example.org/assertions/123">
    <![CDATA[
       ${JSON.stringify(assertion, null, 2)}
    ]]>
  </openbadges:assertion>
</svg>`;
      expect(unbake(svg)).to.deep.equal({ kind: 'svg', version: 'ob2', credential: assertion });
    });
  });

  describe('the rest of the image', function () {
    it('keeps every other byte: comments, a DOCTYPE without internal subset, CRLF line ends, a BOM, odd quoting', async function () {
      const image =
        '\uFEFF<?xml version="1.0" encoding="utf-8" standalone="no"?>\r\n<!-- made by hand -->\r\n' +
        '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\r\n' +
        "<svg   xmlns='http://www.w3.org/2000/svg'\r\n  width = '10'\r\n  height='10' >\r\n" +
        '  <title>A &amp; B &#x263A;</title>\r\n  <g><rect width="10" height="10"/></g>\r\n</svg>\r\n<!-- end -->\r\n';
      const jwt = await signedBadge('vc-jwt');
      const baked = bakeSvg({ image, credential: jwt });
      const insertAttribute = image.indexOf("height='10'") + "height='10'".length;
      const insertElement = image.indexOf(' >\r\n') + 2;
      const expected =
        image.slice(0, insertAttribute) +
        ` xmlns:openbadges="${SVG_OB3_NAMESPACE}"` +
        image.slice(insertAttribute, insertElement) +
        `<openbadges:credential verify="${jwt}"></openbadges:credential>` +
        image.slice(insertElement);
      expect(baked).to.equal(expected);
      expect(unbake(baked).credential).to.equal(jwt);
    });

    it('bakes into a self-closing root <svg/>', async function () {
      const jwt = await signedBadge('vc-jwt');
      const baked = bakeSvg({ image: '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1" />', credential: jwt });
      expect(baked).to.equal(
        `<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1" xmlns:openbadges="${SVG_OB3_NAMESPACE}" ><openbadges:credential verify="${jwt}"></openbadges:credential></svg>`,
      );
      expect(unbake(baked).credential).to.equal(jwt);
    });
  });

  describe('baking again', function () {
    it('replaces the element: the same text as baking once, one credential element', async function () {
      const jwt = await signedBadge('vc-jwt');
      const credential = await signedBadge('data-integrity');
      const receipt = await receiptFor((await parseCredential(jwt)).digest);
      const once = bakeSvg({ image: demoSvg, credential });
      const twice = bakeSvg({ image: bakeSvg({ image: demoSvg, credential: jwt, receipt }), credential });
      expect(twice).to.equal(once);
      expect(twice.match(/<openbadges:credential/g)).to.have.length(1);
      expect(twice).not.to.contain('badgenotary');
      expect(unbake(twice).credential).to.deep.equal(credential);
    });

    it('switches between OB 2.0 and OB 3.0, rebinding the openbadges prefix on the root', async function () {
      const jwt = await signedBadge('vc-jwt');
      const ob2 = await signedBadge('ob2-jws');
      const asOb2 = bakeSvg({ image: demoSvg, credential: ob2 });
      const asOb3 = bakeSvg({ image: asOb2, credential: jwt });
      expect(asOb3).to.equal(bakeSvg({ image: demoSvg, credential: jwt }));
      expect(asOb3).not.to.contain(SVG_OB2_NAMESPACE);
      expect(unbake(asOb3).version).to.equal('ob3');
      expect(bakeSvg({ image: asOb3, credential: ob2 })).to.equal(asOb2);
    });

    it('removes baked elements wherever they are, and the copies a careless baker left', async function () {
      const jwt = await signedBadge('vc-jwt');
      const messy = svgWith(
        `<g><openbadges:credential verify="${jwt}"/></g><openbadges:credential verify="${jwt}"/>`,
        ` xmlns:openbadges="${SVG_OB3_NAMESPACE}"`,
      );
      expectThrows(() => unbake(messy), DuplicateBakedCredentialError);
      const baked = bakeSvg({ image: messy, credential: jwt });
      expect(baked.match(/<openbadges:credential/g)).to.have.length(1);
      expect(baked).to.contain('<g></g>');
    });
  });

  describe('errors', function () {
    it('not an SVG: NotSvgError', async function () {
      const jwt = await signedBadge('vc-jwt');
      expectThrows(() => bakeSvg({ image: '<html><body/></html>', credential: jwt }), NotSvgError);
      expectThrows(() => bakeSvg({ image: '<svg xmlns="http://example.org/not-svg"/>', credential: jwt }), NotSvgError);
      expect(expectThrows(() => bakeSvg({ image: Buffer.from(demoSvg) as unknown as string, credential: jwt }), BakeInputError).field).to.equal('image');
    });

    it('malformed XML: MalformedSvgError with line and column', async function () {
      const jwt = await signedBadge('vc-jwt');
      const error = expectThrows(() => bakeSvg({ image: '<svg xmlns="http://www.w3.org/2000/svg">\n  <g>\n</svg>', credential: jwt }), MalformedSvgError);
      expect([error.line, error.column]).to.deep.equal([3, 1]);
      expect(error.message).to.match(/<\/svg> does not match <g>/);
      expectThrows(() => unbake('<svg xmlns="http://www.w3.org/2000/svg"><openbadges:credential verify="a.b.c"/></svg>'), MalformedSvgError);
    });

    it('an external entity or a DTD internal subset: UnsupportedSvgError, and nothing is read or expanded', async function () {
      const jwt = await signedBadge('vc-jwt');
      const xxe = `<?xml version="1.0"?>
<!DOCTYPE svg [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="${SVG_OB3_NAMESPACE}"><openbadges:credential>&secret;</openbadges:credential></svg>`;
      expect(expectThrows(() => unbake(xxe), UnsupportedSvgError).message).to.match(/internal subset/);
      expectThrows(() => bakeSvg({ image: xxe, credential: jwt }), UnsupportedSvgError);
      const laughs = `<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><svg xmlns="http://www.w3.org/2000/svg">&b;</svg>`;
      expectThrows(() => unbake(laughs), UnsupportedSvgError);
      // an entity only a DTD could define, behind an external DTD that is never fetched
      const external = `<!DOCTYPE svg SYSTEM "http://example.org/evil.dtd"><svg xmlns="http://www.w3.org/2000/svg"><title>&evil;</title></svg>`;
      expect(expectThrows(() => bakeSvg({ image: external, credential: jwt }), UnsupportedSvgError).message).to.match(/&evil;/);
    });

    it('an encoding other than UTF-8, or bytes that are not UTF-8: UnsupportedSvgError, InvalidUtf8Error', async function () {
      const jwt = await signedBadge('vc-jwt');
      const latin1 = '<?xml version="1.0" encoding="ISO-8859-1"?><svg xmlns="http://www.w3.org/2000/svg"><title>caf\u00e9</title></svg>';
      expectThrows(() => bakeSvg({ image: latin1, credential: jwt }), UnsupportedSvgError);
      expect(expectThrows(() => unbake(Buffer.from(latin1, 'latin1')), InvalidUtf8Error).where).to.equal('the SVG file');
    });

    it('no baked credential: NoBakedCredentialError, naming a look-alike in the wrong namespace', async function () {
      expect(expectThrows(() => unbake(demoSvg), NoBakedCredentialError).kind).to.equal('svg');
      const jwt = await signedBadge('vc-jwt');
      const wrongNamespace = svgWith(`<openbadges:credential verify="${jwt}"/>`, ' xmlns:openbadges="https://purl.imsglobal.org/spec/ob/v3p0"');
      expect(expectThrows(() => unbake(wrongNamespace), NoBakedCredentialError).message).to.contain('https://purl.imsglobal.org/spec/ob/v3p0');
    });

    it('two credential elements: DuplicateBakedCredentialError (two OB 3.0, or OB 3.0 and OB 2.0)', async function () {
      const jwt = await signedBadge('vc-jwt');
      const ob2 = await signedBadge('ob2-jws');
      const two = svgWith(`<openbadges:credential verify="${jwt}"/><openbadges:credential verify="${jwt}"/>`, ` xmlns:openbadges="${SVG_OB3_NAMESPACE}"`);
      expect(expectThrows(() => unbake(two), DuplicateBakedCredentialError).found).to.have.length(2);
      const mixed = svgWith(`<openbadges:credential verify="${jwt}"/><b:assertion xmlns:b="${SVG_OB2_NAMESPACE}" verify="${ob2}"/>`, ` xmlns:openbadges="${SVG_OB3_NAMESPACE}"`);
      expectThrows(() => unbake(mixed), DuplicateBakedCredentialError);
    });

    it('an element that holds no credential: InvalidBakedCredentialError', async function () {
      const jwt = await signedBadge('vc-jwt');
      const credential = await signedBadge('data-integrity');
      const ns = ` xmlns:openbadges="${SVG_OB3_NAMESPACE}"`;
      const both = svgWith(`<openbadges:credential verify="${jwt}"><![CDATA[${JSON.stringify(credential)}]]></openbadges:credential>`, ns);
      expect(expectThrows(() => unbake(both), InvalidBakedCredentialError).message).to.match(/both a verify attribute and a body/);
      expectThrows(() => unbake(svgWith('<openbadges:credential/>', ns)), InvalidBakedCredentialError);
      expectThrows(() => unbake(svgWith('<openbadges:credential><g/></openbadges:credential>', ns)), InvalidBakedCredentialError);
      expectThrows(() => unbake(svgWith('<openbadges:credential><![CDATA[{"no": "context"}]]></openbadges:credential>', ns)), InvalidBakedCredentialError);
      const hostedUrlOnly = svgWith(`<openbadges:assertion xmlns:openbadges="${SVG_OB2_NAMESPACE}" verify="https://example.org/assertion/1"/>`);
      expect(expectThrows(() => unbake(hostedUrlOnly), InvalidBakedCredentialError).url).to.equal('https://example.org/assertion/1');
    });

    it('a receipt that does not validate, is for another credential, or is baked twice: InvalidReceiptError', async function () {
      const jwt = await signedBadge('vc-jwt');
      const credential = await signedBadge('data-integrity');
      const receipt = await receiptFor((await parseCredential(jwt)).digest);
      const otherReceipt = await receiptFor((await parseCredential(credential)).digest);
      expect(expectThrows(() => bakeSvg({ image: demoSvg, credential: jwt, receipt: otherReceipt }), InvalidReceiptError).field).to.equal('digest');

      const good = bakeSvg({ image: demoSvg, credential: jwt, receipt });
      const wrong = good.replace(JSON.stringify(receipt), JSON.stringify(otherReceipt));
      expect(wrong).not.to.equal(good);
      expect(expectThrows(() => unbake(wrong), InvalidReceiptError).field).to.equal('digest');
      const shapeless = good.replace(JSON.stringify(receipt), JSON.stringify({ ...receipt, version: 'badge-notary-receipt/0' }));
      expect(expectThrows(() => unbake(shapeless), InvalidReceiptError).field).to.equal('version');
      const receiptElement = `<badgenotary:receipt xmlns:badgenotary="${SVG_RECEIPT_NAMESPACE}"><![CDATA[${JSON.stringify(receipt)}]]></badgenotary:receipt>`;
      expectThrows(() => unbake(good.replace(receiptElement, receiptElement + receiptElement)), InvalidReceiptError);

      const withEntry = bakeSvg({ image: demoSvg, credential, receipt: otherReceipt });
      expect(withEntry).to.contain(RECEIPT_PROOF_TYPE);
      const doubled = withEntry.replace('</openbadges:credential>', `</openbadges:credential>${receiptElement.replace(JSON.stringify(receipt), JSON.stringify(otherReceipt))}`);
      expect(expectThrows(() => unbake(doubled), InvalidReceiptError).message).to.match(/baked twice/);
    });
  });
});
