export function columnKey(header: string): string;
export function isEmailAddress(text: string): boolean;
export function wholeNumber(text: string): number | undefined;
export function earnerIdentity(earner: { email?: string | undefined; did?: string | undefined }): string | undefined;
export function duplicateEarners(rows: readonly { line: number; identity: string | undefined }[]): { line: number; firstLine: number }[];
