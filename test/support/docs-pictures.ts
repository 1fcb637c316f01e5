import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

/** Where the docs' pictures live (test/docs/images.test.ts keeps each referenced and small). */
export const DOCS_IMAGES = join(__dirname, '..', '..', 'docs', 'images');

/** Whether this run writes the docs' pictures: BADGE_NOTARY_DOCS_SCREENSHOTS=1 (they are committed, not made by CI). */
export const writesDocsPictures = () => process.env.BADGE_NOTARY_DOCS_SCREENSHOTS === '1';

/**
 * Writes docs/images/<name>.png: the element `selector` matches, drawn at `scale` of its CSS size. DevTools' clip
 * scale renders the page again smaller (sharp text, not a shrunk bitmap), which keeps a picture under 100 KB.
 */
export async function writeDocsPicture(page: Page, selector: string, name: string, scale = 0.8): Promise<void> {
  if (!writesDocsPictures()) return;
  mkdirSync(DOCS_IMAGES, { recursive: true });
  const box = await page.locator(selector).first().boundingBox();
  if (!box) throw new Error(`${selector} is not shown: no picture of it for ${name}`);
  // boundingBox() is in the viewport's coordinates; DevTools' clip beyond the viewport is in the page's.
  const scroll = (await page.evaluate('({ x: window.scrollX, y: window.scrollY })')) as { x: number; y: number };
  const clip = { x: box.x + scroll.x, y: box.y + scroll.y, width: box.width, height: box.height, scale };
  const devtools = await page.context().newCDPSession(page);
  try {
    const { data } = (await devtools.send('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true, clip })) as { data: string };
    writeFileSync(join(DOCS_IMAGES, `${name}.png`), Buffer.from(data, 'base64'));
  } finally {
    await devtools.detach();
  }
}
