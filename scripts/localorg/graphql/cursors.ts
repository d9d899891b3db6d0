/** Connection cursors: opaque to clients, an offset inside (`base64("v1:<index>")`). */

export function cursorOf(index: number): string {
  return Buffer.from(`v1:${index}`).toString('base64');
}

export function cursorIndex(cursor: string): number | undefined {
  const m = /^v1:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  return m ? Number(m[1]) : undefined;
}
