/** Tiny markdown subset for post bodies: paragraphs and emphasis. */
export function renderMarkdown(source: string): string {
  return source
    .split(/\n{2,}/)
    .map((p) => `<p>${p.replace(/\*(.+?)\*/g, '<em>$1</em>')}</p>`)
    .join('\n');
}
