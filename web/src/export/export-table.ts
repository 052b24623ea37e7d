/** One table to export: header labels and rows of plain values. */
export interface ExportTable {
  name: string;
  header: readonly string[];
  rows: readonly (readonly (string | number | null)[])[];
}

/**
 * Text a spreadsheet would take for a formula (OWASP "CSV injection"): the exported strings come
 * from agencies, and `=HYPERLINK(...)` in an enterprise name must not run in the reader's Excel.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A string cell as text: a leading apostrophe, which Excel and LibreOffice show as plain text. */
export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** RFC 4180 CSV with a UTF-8 BOM, so Excel opens Chinese text correctly. */
export function toCsv(table: ExportTable): string {
  const cell = (value: string | number | null) => {
    // Numbers are the console's own figures: -5 stays a number.
    const text = value === null ? '' : typeof value === 'number' ? String(value) : neutraliseFormula(value);
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return `\uFEFF${[table.header, ...table.rows].map((row) => row.map(cell).join(',')).join('\r\n')}\r\n`;
}

export function downloadCsv(table: ExportTable): void {
  download(new Blob([toCsv(table)], { type: 'text/csv;charset=utf-8' }), `${table.name}.csv`);
}

/**
 * XLSX through exceljs, loaded only when someone exports (it is the largest library here).
 * exceljs writes a string as a string cell (never a formula, which takes `{ formula }`), so
 * agency text needs no apostrophe here and is kept exactly.
 */
export async function toXlsx(table: ExportTable): Promise<ArrayBuffer> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(table.name.slice(0, 31));
  sheet.addRow([...table.header]).font = { bold: true };
  for (const row of table.rows) sheet.addRow([...row]);
  sheet.columns.forEach((column) => {
    column.width = 18;
  });
  return (await workbook.xlsx.writeBuffer()) as ArrayBuffer;
}

export async function downloadXlsx(table: ExportTable): Promise<void> {
  const buffer = await toXlsx(table);
  download(
    new Blob([buffer], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }),
    `${table.name}.xlsx`,
  );
}

function download(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
