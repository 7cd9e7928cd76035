/** Media types the API sends or accepts in more than one route. */

/** Office Open XML workbook (.xlsx). */
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
