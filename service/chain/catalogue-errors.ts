/** The badge-class catalogue's refusals (contracts/IBadgeClassCatalogue.sol), decoded and said in words. */
import { Interface, isCallException, type ErrorDescription } from 'ethers';
import { BadgeClassCatalogue__factory } from '../../typechain-types';
import { NotaryError } from '../errors';
import { statusName } from '../registry';

const catalogueInterface = new Interface(BadgeClassCatalogue__factory.abi);

type Args = Readonly<Record<string, unknown>>;

/** One sentence per custom error of the catalogue: what was refused and what the caller can do. */
export const CATALOGUE_ERROR_SENTENCES: Readonly<Record<string, (args: Args) => string>> = {
  NotAMember: (e) => `${e.account} controls no member of the network`,
  MemberNotActive: (e) => `only active members can do this: member ${e.memberId} is ${statusName(e.status as bigint)}`,
  ZeroClassId: () => 'the class id is zero',
  EmptyURI: () => 'the class needs a URI where its document can be fetched',
  ClassAlreadyPublished: (e) => `badge class ${e.classId} is already published, by member ${e.publisher}`,
  UnknownClass: (e) => `badge class ${e.classId} is not published in the catalogue`,
  NotPublisher: (e) => `badge class ${e.classId} was published by member ${e.publisher}: member ${e.memberId} cannot supersede it`,
  ClassSuperseded: (e) => `badge class ${e.classId} is superseded by ${e.supersededBy}: act on the current version`,
  AlreadyAdopted: (e) => `member ${e.memberId} already adopts badge class ${e.classId}`,
  NotAdopted: (e) => `member ${e.memberId} does not adopt badge class ${e.classId}`,
};

/** A catalogue call the chain refused, with the custom error decoded and said in words. */
export class CatalogueRevertError extends NotaryError {
  override name = 'CatalogueRevertError';
  readonly errorName: string;

  constructor(description: ErrorDescription, context: string, cause: unknown) {
    const args = description.args.toObject() as Args;
    const sentence = Object.hasOwn(CATALOGUE_ERROR_SENTENCES, description.name)
      ? CATALOGUE_ERROR_SENTENCES[description.name](args)
      : `the catalogue refused with ${description.name}`;
    super('catalogue-refused', `${context}: ${sentence}`, { cause });
    this.errorName = description.name;
  }
}

/** The catalogue's custom error inside an ethers error, if it carries one. */
export function decodeCatalogueRevert(error: unknown): ErrorDescription | undefined {
  const data = isCallException(error) ? error.data : (error as { data?: unknown })?.data;
  if (typeof data !== 'string' || !data.startsWith('0x')) return undefined;
  try {
    return catalogueInterface.parseError(data) ?? undefined;
  } catch {
    return undefined;
  }
}

/** Runs a catalogue call and turns a custom-error revert into a {@link CatalogueRevertError}. */
export async function withCatalogueErrors<T>(context: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const description = decodeCatalogueRevert(error);
    if (description) throw new CatalogueRevertError(description, context, error);
    throw error;
  }
}
