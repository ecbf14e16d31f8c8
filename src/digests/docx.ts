// The summary draft as a Word document, laid out like the seeds: a centred title, section headings 一、二、 in a
// heading style (so Word's navigation pane shows them), items 1、2、 as indented body paragraphs. The numbering is
// written in the text, as the seeds have it, not as Word list numbering that changes when someone edits the file.
import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, TextRun } from "docx";
import type { SummaryDocument } from "./summary.js";
import { compactIds } from "./tally.js";

const BODY_FONT = { ascii: "Times New Roman", hAnsi: "Times New Roman", eastAsia: "仿宋" };
const HEADING_FONT = { ascii: "Times New Roman", hAnsi: "Times New Roman", eastAsia: "黑体" };
const TITLE_FONT = { ascii: "Times New Roman", hAnsi: "Times New Roman", eastAsia: "宋体" };

function body(text: string, options: { bold?: boolean } = {}): Paragraph {
  return new Paragraph({
    indent: { firstLineChars: 200 },
    spacing: { line: 560, lineRule: "exact" },
    children: [new TextRun({ text, bold: options.bold })],
  });
}

export interface DocxOptions {
  /** A line above the title, e.g. 草稿（第2版）. */
  banner?: string;
  /** Print the trace appendix (figure → record ids). */
  appendix?: boolean;
}

export async function summaryDocx(doc: SummaryDocument, options: DocxOptions = {}): Promise<Buffer> {
  const children: Paragraph[] = [];
  if (options.banner) children.push(new Paragraph({ alignment: AlignmentType.RIGHT, children: [new TextRun({ text: options.banner, size: 21 })] }));
  children.push(new Paragraph({ heading: HeadingLevel.TITLE, alignment: AlignmentType.CENTER, children: [new TextRun(doc.title)] }));
  children.push(body(doc.opening));
  for (const section of doc.sections) {
    children.push(new Paragraph({ heading: HeadingLevel.HEADING_1, indent: { firstLineChars: 200 }, children: [new TextRun(section.heading)] }));
    if (section.intro) children.push(body(section.intro));
    for (const item of section.items) children.push(body(item));
  }
  children.push(body(doc.closing));
  if (options.appendix && doc.trace.length) {
    children.push(new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun("附：数据来源")] }));
    children.push(body("以下为文中各数字对应的报送记录编号。"));
    for (const entry of doc.trace) children.push(body(`${entry.figure}：${compactIds(entry.factIds)}`));
  }
  const document = new Document({
    creator: "libtally",
    title: doc.title,
    styles: {
      default: {
        document: { run: { font: BODY_FONT, size: 32 } },
        title: { run: { font: TITLE_FONT, size: 44, bold: true, color: "000000" }, paragraph: { spacing: { before: 240, after: 360 } } },
        heading1: { run: { font: HEADING_FONT, size: 32, bold: false, color: "000000" }, paragraph: { spacing: { before: 120, after: 120 } } },
      },
    },
    sections: [{ properties: {}, children }],
  });
  return Packer.toBuffer(document);
}
