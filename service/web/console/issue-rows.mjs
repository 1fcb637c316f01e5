/**
 * The earners' spreadsheet, read and checked in the browser (nothing of it is sent): a table of cells, each row
 * with the spreadsheet's line number, becomes the earners to issue to, or the problems by line and column. The
 * rules are the CLI's (service/issuing/earner-rules.mjs) and the class's level scheme (catalogue/class-levels.mjs).
 * CSV is read with papaparse and XLSX with exceljs, both served from the service's node_modules as window globals;
 * they are passed in, so this module runs in Node too. No DOM.
 */
import { judgeLevel, judgeScore } from './class-levels.mjs';
import { columnKey, duplicateEarners, earnerIdentity, isEmailAddress, wholeNumber } from './earner-rules.mjs';

/** The columns, by the names a header may give them. */
const COLUMN_NAMES = {
  name: 'name',
  email: 'email',
  e_mail: 'email',
  identifier: 'identifier',
  did: 'identifier',
  evidence: 'evidence',
  evidence_url: 'evidence',
  score: 'score',
  level: 'level',
};
export const COLUMNS = ['name', 'email', 'identifier', 'evidence', 'score', 'level'];

/** A spreadsheet problem: its line (1 = the header), its column (or undefined for the whole row), a word key and its values. */
const problem = (line, column, key, values = {}) => ({ line, column, key, values });

/**
 * Reads CSV text with papaparse, row by row: { header, rows: [{ line, cells }] }. `progress(fraction)` is called as
 * it goes, every 100 rows, and awaited with the parser paused: papaparse reads a string in one synchronous run, so
 * without the pause the page could never show the bar between 0 and 1. A quoted field may span lines: a row's line
 * is the one it starts on.
 */
export async function readCsv(Papa, text, progress = () => {}) {
  const table = { header: undefined, rows: [] };
  let line = 1;
  let consumed = 0;
  // After a pause papaparse counts its cursor from where it resumed: `resumedAt` makes it an offset into `text`.
  let resumedAt = 0;
  const newlinesIn = (from, to) => {
    let count = 0;
    for (let at = text.indexOf('\n', from); at !== -1 && at < to; at = text.indexOf('\n', at + 1)) count++;
    return count;
  };
  await new Promise((resolve, reject) => {
    Papa.parse(text, {
      skipEmptyLines: 'greedy',
      step(result, parser) {
        const end = resumedAt + result.meta.cursor;
        // The row starts after the blank lines before it: skip them to its first character.
        let start = consumed;
        while (start < end && (text[start] === '\n' || text[start] === '\r')) {
          if (text[start] === '\n') line++;
          start++;
        }
        const cells = result.data.map((cell) => String(cell ?? '').trim());
        if (table.header === undefined) table.header = { line, cells };
        else table.rows.push({ line, cells });
        line += newlinesIn(start, end);
        consumed = end;
        if (table.rows.length % 100 === 0) {
          parser.pause();
          resumedAt = end;
          Promise.resolve(progress(end / text.length)).then(() => parser.resume(), reject);
        }
      },
      complete: resolve,
      error: reject,
    });
  });
  progress(1);
  return table;
}

/** Reads the first worksheet of an XLSX file with exceljs: { header, rows: [{ line, cells }] }, lines as the sheet numbers them. */
export async function readXlsx(ExcelJS, bytes, progress = () => {}) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes);
  const sheet = workbook.worksheets[0];
  const table = { header: undefined, rows: [] };
  if (!sheet) return table;
  const width = sheet.columnCount;
  sheet.eachRow({ includeEmpty: false }, (row, line) => {
    const cells = [];
    for (let column = 1; column <= width; column++) cells.push(String(row.getCell(column).text ?? '').trim());
    if (cells.every((cell) => cell === '')) return;
    if (table.header === undefined) table.header = { line, cells };
    else table.rows.push({ line, cells });
  });
  progress(1);
  return table;
}

/**
 * The earners of a table, checked against the class: { earners: [{ line, name, email?, identifier?, evidence?,
 * score, level }], problems: [{ line, column, key, values }] }, problems in line order. A table with a problem
 * issues nothing: the page lists them all.
 */
export function checkEarners(table, badgeClass) {
  if (!table.header) return { earners: [], problems: [problem(1, undefined, 'rows.empty')] };
  const columns = table.header.cells.map((cell) => COLUMN_NAMES[columnKey(cell)]);
  const problems = [];
  table.header.cells.forEach((cell, index) => {
    if (columns[index] === undefined && cell !== '') problems.push(problem(table.header.line, cell, 'rows.unknownColumn', { columns: COLUMNS.join(', ') }));
  });
  for (const needed of ['name', 'score']) {
    if (!columns.includes(needed)) problems.push(problem(table.header.line, needed, 'rows.missingColumn'));
  }
  if (!columns.includes('email') && !columns.includes('identifier')) problems.push(problem(table.header.line, 'email', 'rows.missingEarnerColumn'));
  if (badgeClass.evidence.required && !columns.includes('evidence')) problems.push(problem(table.header.line, 'evidence', 'rows.missingColumn'));
  if (problems.length > 0) return { earners: [], problems };
  if (table.rows.length === 0) return { earners: [], problems: [problem(table.header.line, undefined, 'rows.noEarner')] };

  const earners = [];
  for (const { line, cells } of table.rows) {
    const row = { line };
    columns.forEach((column, index) => {
      if (column && cells[index]) row[column] = cells[index];
    });
    const found = checkRow(row, badgeClass);
    if (found.length > 0) problems.push(...found);
    else earners.push(row);
  }
  const identities = table.rows.map(({ line, cells }) => {
    const cell = (name) => cells[columns.indexOf(name)] || undefined;
    return { line, identity: earnerIdentity({ email: cell('email'), did: cell('identifier') }), column: cell('email') ? 'email' : 'identifier' };
  });
  for (const { line, firstLine } of duplicateEarners(identities)) {
    problems.push(problem(line, identities.find((one) => one.line === line).column, 'rows.duplicate', { first: firstLine }));
  }
  problems.sort((a, b) => a.line - b.line);
  return { earners: problems.length > 0 ? [] : earners, problems };
}

/** One row's problems; fills `row.score` (a number) and `row.level` (the class's level name) when it is right. */
function checkRow(row, badgeClass) {
  const found = [];
  const add = (column, key, values) => found.push(problem(row.line, column, key, values));
  if (!row.name) add('name', 'rows.required');
  if (!row.email === !row.identifier) add('email', 'rows.oneEarner');
  else if (row.email && !isEmailAddress(row.email)) add('email', 'rows.email', { value: row.email });
  else if (row.identifier && !/^[a-z][a-z0-9+.-]*:\S+$/i.test(row.identifier)) add('identifier', 'rows.identifier', { value: row.identifier });
  if (row.evidence && !/^https?:\/\/\S+$/.test(row.evidence)) add('evidence', 'rows.evidence', { value: row.evidence });
  else if (!row.evidence && badgeClass.evidence.required) add('evidence', 'rows.evidenceRequired');
  const score = wholeNumber(row.score ?? '');
  if (row.score === undefined) add('score', 'rows.required');
  else if (score === undefined) add('score', 'rows.wholeNumber', { value: row.score });
  else {
    const judged = row.level === undefined ? judgeScore(badgeClass, score) : judgeLevel(badgeClass, { level: levelName(badgeClass, row.level), score });
    if (judged.field) add(judged.field, 'rows.class', { reason: judged.reason });
    else if (!judged.level) add('score', 'rows.noBadge', { value: score, minimum: badgeClass.score.bands[0].from });
    else {
      row.score = score;
      row.level = judged.level.name;
    }
  }
  return found;
}

/** A level as the sheet writes it ("gold") in the class's spelling ("Gold"); unknown names stay as written. */
function levelName(badgeClass, written) {
  return badgeClass.levels.find((level) => level.name.toLowerCase() === written.toLowerCase())?.name ?? written;
}
