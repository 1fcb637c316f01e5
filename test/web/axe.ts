// axe-core in a page under test: its rules injected through DevTools (the pages' CSP allows no outside script), run
// on the whole document. Shared by the Chromium tests of every page.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

const AXE_SOURCE = require.resolve('axe-core/axe.min.js');

export interface AxeFindings {
  violations: { id: string; impact: string; targets: string }[];
  /** "rule-id target" for every node a rule passed on. */
  passed: string[];
}

export async function runAxe(page: Page): Promise<AxeFindings> {
  await page.evaluate(readFileSync(AXE_SOURCE, 'utf8'));
  return page.evaluate<AxeFindings>(
    `axe.run(document).then((result) => ({
      violations: result.violations.map((violation) => ({
        id: violation.id,
        impact: violation.impact,
        targets: JSON.stringify(violation.nodes.map((node) => node.target)),
      })),
      passed: result.passes.flatMap((rule) => rule.nodes.map((node) => rule.id + ' ' + node.target.join(' '))),
    }))`,
  );
}

/** The serious and critical violations, as "rule-id (targets)". */
export function seriousViolationsOf(findings: AxeFindings): string[] {
  return findings.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id} (${violation.targets})`);
}

export async function seriousViolations(page: Page): Promise<string[]> {
  return seriousViolationsOf(await runAxe(page));
}
