import type { BadgeInput } from '../credentials/builder';

export interface DemoBadgeOptions {
  issuerDid: string;
  issuerName?: string;
  issuerEmail?: string;
  /** The earner, by DID; default a fresh example DID, so that every call is a different credential. */
  recipientDid?: string;
  issuedOn?: Date;
  validUntil?: Date;
  /** LifeComp descriptors observed, of 10 (4-5 Copper, 6-8 Silver, 9-10 Gold). */
  observedDescriptors?: number;
}

/**
 * A badge as the seeds describe one (LEVER UP soft skills on the LifeComp grid): teamwork learned in
 * volunteering, assessed on the 10 observable descriptors. The demo, the tests and the benchmarks issue it.
 */
export function demoBadgeInput(options: DemoBadgeOptions): BadgeInput {
  const issuedOn = options.issuedOn ?? new Date();
  return {
    badgeCode: 'LEVERUP-S3-TEAMWORK',
    name: 'Lavoro di gruppo / Teamwork',
    description:
      'Collaborates with others in a volunteering project: shares tasks, listens, negotiates and keeps commitments to the group.',
    image: { id: 'https://badges.example/images/leverup-teamwork.png', caption: 'LEVER UP teamwork badge' },
    issuer: {
      did: options.issuerDid,
      name: options.issuerName ?? 'Scuola Demo',
      email: options.issuerEmail ?? 'badges@scuola-demo.example',
      url: 'https://scuola-demo.example',
    },
    skill: {
      kind: 'soft',
      area: 'Social',
      competence: 'S3 Collaboration',
      observedDescriptors: options.observedDescriptors ?? 7,
    },
    criteria: {
      narrative:
        'An independent assessor observed the candidate during at least 40 hours of volunteering and recorded which of the 10 LifeComp descriptors of collaboration were shown.',
    },
    evidence: [
      {
        name: 'Assessor’s observation grid',
        narrative: '7 of 10 descriptors observed over six weeks of a food-bank project.',
        genre: 'Observation',
      },
    ],
    alignments: [
      {
        framework: 'LifeComp',
        code: 'S3.1',
        name: 'Intention to contribute to the common good',
        url: 'https://joint-research-centre.ec.europa.eu/lifecomp_en',
      },
      { framework: 'EQF', code: '4', name: 'EQF level 4', url: 'https://europass.europa.eu/en/europass-tools/european-qualifications-framework' },
    ],
    recipient: { did: options.recipientDid ?? `did:example:earner-${Math.random().toString(36).slice(2, 12)}` },
    issuedOn,
    examDate: issuedOn,
    validUntil: options.validUntil,
  };
}
