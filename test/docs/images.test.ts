// The pictures the docs show (docs/images/): PNG files small enough to keep the repository light. Each is written by
// the browser test that makes it (with BADGE_NOTARY_DOCS_SCREENSHOTS=1), which draws it at a scale that keeps it
// under this size.
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const DOCS_IMAGES = join(__dirname, '..', '..', 'docs', 'images');
const MOST_BYTES = 100 * 1024;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('docs: the committed pictures', function () {
  const names = readdirSync(DOCS_IMAGES).filter((name) => name.endsWith('.png'));

  it('there are some, and each is referenced by a docs page', function () {
    expect(names.length).to.be.greaterThan(0);
    const docs = readdirSync(join(__dirname, '..', '..', 'docs'))
      .filter((name) => name.endsWith('.md'))
      .map((name) => readFileSync(join(__dirname, '..', '..', 'docs', name), 'utf8'))
      .join('\n');
    for (const name of names) expect(docs, name).to.contain(`images/${name}`);
  });

  it(`each is a PNG of at most ${MOST_BYTES / 1024} KiB`, function () {
    for (const name of names) {
      const bytes = readFileSync(join(DOCS_IMAGES, name));
      expect(bytes.subarray(0, 8).equals(PNG_SIGNATURE), `${name} is a PNG`).to.equal(true);
      expect(bytes.length, `${name}: ${bytes.length} bytes`).to.be.at.most(MOST_BYTES);
    }
  });
});
