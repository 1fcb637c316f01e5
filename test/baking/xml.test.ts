import { expect } from 'chai';
import { MalformedSvgError, UnsupportedSvgError } from '../../service/baking';
import { parseXml } from '../../service/baking/xml';
import { expectThrows } from './fixtures';

const SVG = 'xmlns="http://www.w3.org/2000/svg"';

describe('baking: the XML reader', function () {
  it('reads elements, namespaces, attributes with their offsets, text and CDATA', function () {
    const source = `<?xml version="1.0" encoding="UTF-8"?>\n<svg ${SVG} xmlns:a="urn:a" a:x='1 &lt; 2'><a:e k="v&#x41;&#65;">t&amp;<![CDATA[<raw>&amp;]]></a:e><g/></svg>`;
    const document = parseXml(source);
    expect(document.encoding).to.equal('UTF-8');
    const { root } = document;
    expect(root).to.include({ qname: 'svg', local: 'svg', namespace: 'http://www.w3.org/2000/svg', selfClosing: false });
    expect(root.attributes.map((attribute) => [attribute.qname, attribute.namespace, attribute.value])).to.deep.equal([
      ['xmlns', 'http://www.w3.org/2000/xmlns/', 'http://www.w3.org/2000/svg'],
      ['xmlns:a', 'http://www.w3.org/2000/xmlns/', 'urn:a'],
      ['a:x', 'urn:a', '1 < 2'],
    ]);
    const x = root.attributes[2];
    expect(source.slice(x.start, x.end)).to.equal(" a:x='1 &lt; 2'");
    expect(source.slice(x.valueStart, x.valueEnd)).to.equal('1 &lt; 2');
    expect(source.slice(root.attributesEnd, root.startTagEnd)).to.equal('>');
    const [e, g] = root.children;
    expect(e).to.include({ qname: 'a:e', prefix: 'a', local: 'e', namespace: 'urn:a', text: 't&<raw>&amp;' });
    expect(e.attributes[0].value).to.equal('vAA');
    expect(source.slice(e.start, e.end)).to.equal('<a:e k="v&#x41;&#65;">t&amp;<![CDATA[<raw>&amp;]]></a:e>');
    expect(g).to.include({ qname: 'g', selfClosing: true, namespace: 'http://www.w3.org/2000/svg' });
    expect(source.slice(g.start, g.end)).to.equal('<g/>');
    expect(document.elements.map((element) => element.qname)).to.deep.equal(['svg', 'a:e', 'g']);
  });

  it('normalises line ends in text and whitespace in attribute values', function () {
    const { root } = parseXml(`<svg ${SVG} a="x\r\ny\tz">1\r\n2\r3</svg>`);
    expect(root.attributes[1].value).to.equal('x y z');
    expect(root.text).to.equal('1\n2\n3');
  });

  it('reads deep nesting without recursion', function () {
    const depth = 20_000;
    const source = `<svg ${SVG}>${'<g>'.repeat(depth)}${'</g>'.repeat(depth)}</svg>`;
    expect(parseXml(source).elements).to.have.length(depth + 1);
  });

  const malformed: [string, string, RegExp][] = [
    ['no root element', '<?xml version="1.0"?><!-- nothing -->', /no root element/],
    ['text before the root', `hello <svg ${SVG}/>`, /text before the root/],
    ['two root elements', `<svg ${SVG}/><svg ${SVG}/>`, /after the root element/],
    ['an unclosed element', `<svg ${SVG}><g>`, /<g> is not closed/],
    ['a mismatched end tag', `<svg ${SVG}><g></h></svg>`, /<\/h> does not match <g>/],
    ['an unquoted attribute', `<svg ${SVG} width=10/>`, /not quoted/],
    ['a repeated attribute', `<svg ${SVG} a="1" a="2"/>`, /appears twice/],
    ['a repeated attribute by namespace', `<svg ${SVG} xmlns:p="urn:x" xmlns:q="urn:x" p:a="1" q:a="2"/>`, /same namespace/],
    ['"<" in an attribute value', `<svg ${SVG} a="<"/>`, /"<" is not allowed/],
    ['a bare "&"', `<svg ${SVG}>fish & chips</svg>`, /must start a reference/],
    ['a bad character reference', `<svg ${SVG}>&#xD800;</svg>`, /does not allow|not a valid/],
    ['a control character', `<svg ${SVG}>\u0001</svg>`, /U\+0001/],
    ['"]]>" in text', `<svg ${SVG}>a ]]> b</svg>`, /"]]>"/],
    ['an unclosed comment', `<svg ${SVG}><!-- oops</svg>`, /comment is not closed/],
    ['"--" in a comment', `<svg ${SVG}><!-- a -- b --></svg>`, /contains "--"/],
    ['an unclosed CDATA section', `<svg ${SVG}><![CDATA[ oops</svg>`, /CDATA section is not closed/],
    ['an XML declaration not at the start', ` <?xml version="1.0"?><svg ${SVG}/>`, /only allowed at the very start/],
    ['a bad XML declaration', `<?xml encoding="UTF-8"?><svg ${SVG}/>`, /XML declaration is not valid/],
    ['an undeclared prefix', `<svg ${SVG}><ob:credential/></svg>`, /prefix of ob:credential is not declared/],
    ['an undeclared attribute prefix', `<svg ${SVG} ob:a="1"/>`, /prefix of ob:a is not declared/],
    ['a bad qualified name', `<svg ${SVG}><a:b:c/></svg>`, /not a valid qualified name/],
    ['a DOCTYPE inside the root', `<svg ${SVG}><!DOCTYPE svg></svg>`, /not allowed inside an element/],
    ['a second DOCTYPE', `<!DOCTYPE svg><!DOCTYPE svg><svg ${SVG}/>`, /second DOCTYPE/],
    ['an unclosed start tag', `<svg ${SVG}`, /not closed/],
  ];
  for (const [what, source, message] of malformed) {
    it(`refuses ${what}: MalformedSvgError`, function () {
      expect(expectThrows(() => parseXml(source), MalformedSvgError).message).to.match(message);
    });
  }

  it('refuses any DTD internal subset and any entity but the five predefined ones: UnsupportedSvgError', function () {
    expectThrows(() => parseXml(`<!DOCTYPE svg [ <!ENTITY x "y"> ]><svg ${SVG}/>`), UnsupportedSvgError);
    expectThrows(() => parseXml(`<!DOCTYPE svg [ ]><svg ${SVG}/>`), UnsupportedSvgError);
    expectThrows(() => parseXml(`<svg ${SVG}>&nbsp;</svg>`), UnsupportedSvgError);
    expectThrows(() => parseXml(`<svg ${SVG} a="&ext;"/>`), UnsupportedSvgError);
    // a DOCTYPE with only an external identifier is skipped, never fetched
    const { hasDoctype, root } = parseXml(`<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd"><svg ${SVG}/>`);
    expect(hasDoctype).to.equal(true);
    expect(root.local).to.equal('svg');
  });
});
