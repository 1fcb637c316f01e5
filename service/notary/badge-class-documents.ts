import { badgeClassId, BadgeClassError, canonicalBadgeClass, parseBadgeClass, type BadgeClassId } from '../catalogue';
import { UseCaseError } from './errors';
import type { Actor, BadgeClassDocumentWriter, Clock } from './ports';

export interface BadgeClassDocumentsOptions {
  /** Where the documents are kept (NotaryStore.badgeClassDocuments). */
  documents: BadgeClassDocumentWriter;
  clock: Clock;
}

/**
 * The class documents this notary holds for the network (docs/catalogue.md): any member uploads one under the id
 * it claims, and it is kept only when it is a valid badge-class document whose id (keccak-256 of its canonical
 * JSON) is that id. Content-addressed, so who uploads it does not matter to a reader: it is recorded, not trusted.
 */
export class BadgeClassDocuments {
  constructor(private readonly options: BadgeClassDocumentsOptions) {}

  /**
   * Checks and keeps `json` as the document of `classId`: 'created', or 'unchanged' when it was held already.
   * Resolves once the document is committed (on PostgreSQL, in the database every replica copies from).
   * @throws {UseCaseError} unprocessable (422), naming the document's field at fault, or `id` when the
   * document's id is another.
   */
  async upload(actor: Actor, classId: BadgeClassId, json: unknown): Promise<{ classId: BadgeClassId; outcome: 'created' | 'unchanged' }> {
    let document;
    try {
      document = parseBadgeClass(json);
    } catch (error) {
      if (!(error instanceof BadgeClassError)) throw error;
      const { field, reason } = error.details!;
      throw new UseCaseError('unprocessable', 'invalid-badge-class', `the document is not a valid badge class: ${field} ${reason}`, { field, reason }, error);
    }
    const actual = badgeClassId(document);
    if (actual !== classId) {
      throw new UseCaseError(
        'unprocessable',
        'badge-class-id-mismatch',
        `the document's id (keccak-256 of its canonical JSON) is ${actual}, not ${classId}: upload it under its own id`,
        { field: 'id', expected: actual },
      );
    }
    const canonical = canonicalBadgeClass(document);
    const outcome = await this.options.documents.putDocument({ classId, canonical, uploadedBy: actor.memberId, uploadedAt: this.options.clock() }, document);
    return { classId, outcome };
  }
}
