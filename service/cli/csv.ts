/**
 * A small RFC 4180 CSV reader: comma-separated, fields optionally in double quotes (a doubled quote inside stands
 * for one, and a quoted field may span lines), CRLF or LF line ends, a UTF-8 byte order mark ignored. Each record
 * keeps the line of the file it starts on, so a bad row can be reported as `line 7: ...`.
 */
import { CliUsageError } from './cli-errors';

export interface CsvRecord {
  /** The file's line (from 1) on which the record starts. */
  line: number;
  fields: string[];
}

export function parseCsv(text: string, file: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let quoted = false;
  let at = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endRecord = () => {
    fields.push(field);
    // A blank line is no record (a spreadsheet often ends with one).
    if (fields.length > 1 || fields[0] !== '') records.push({ line: recordLine, fields });
    fields = [];
    field = '';
  };
  for (; at < text.length; at++) {
    const char = text[at];
    if (quoted) {
      if (char === '"') {
        if (text[at + 1] === '"') {
          field += '"';
          at++;
        } else {
          quoted = false;
          const next = text[at + 1];
          if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
            throw new CliUsageError(`${file} line ${line}: a quoted field must end at a comma or the end of the line`);
          }
        }
      } else {
        if (char === '\n') line++;
        field += char;
      }
      continue;
    }
    if (char === '"' && field === '') quoted = true;
    else if (char === ',') {
      fields.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[at + 1] === '\n') at++;
      endRecord();
      line++;
      recordLine = line;
    } else field += char;
  }
  if (quoted) throw new CliUsageError(`${file} line ${recordLine}: a quoted field is not closed before the end of the file`);
  if (field !== '' || fields.length > 0) endRecord();
  return records;
}
