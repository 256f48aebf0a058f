/**
 * What a terminal shows after some output: enough of a VT100 for readline's
 * line editing (carriage return, line feed, cursor moves, clearing) to tell
 * where the prompt and the log lines end up. Wide (CJK) characters take two
 * columns, as readline counts them; lines never wrap (tests use short input).
 */
const CSI = /^\x1b\[(\d*)(?:;\d*)*([A-Za-z])/;

function isWide(ch: string): boolean {
  const code = ch.codePointAt(0)!;
  return (code >= 0x1100 && code <= 0x115f) || (code >= 0x2e80 && code <= 0xa4cf) || (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) || (code >= 0xfe30 && code <= 0xfe4f) || (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) || (code >= 0x20000 && code <= 0x3fffd);
}

export class Screen {
  private rows: string[][] = [[]];
  private row = 0;
  private col = 0;

  write(text: string): void {
    for (let i = 0; i < text.length; ) {
      const csi = CSI.exec(text.slice(i, i + 16));
      if (csi) {
        this.control(csi[2]!, csi[1] === '' ? undefined : Number(csi[1]));
        i += csi[0].length;
        continue;
      }
      const ch = String.fromCodePoint(text.codePointAt(i)!);
      i += ch.length;
      if (ch === '\r') this.col = 0;
      else if (ch === '\n') this.moveTo(this.row + 1, 0);
      else if (ch === '\x1b') continue; // another escape (none that moves the cursor): its rest is printable
      else this.put(ch);
    }
  }

  /** The lines on screen, trailing spaces removed, the empty ones at the end dropped. */
  lines(): string[] {
    const lines = this.rows.map((cells) => cells.join('').replace(/\s+$/, ''));
    while (lines.length > 0 && lines.at(-1) === '') lines.pop();
    return lines;
  }

  private put(ch: string): void {
    const cells = this.line(this.row);
    while (cells.length < this.col) cells.push(' ');
    const width = isWide(ch) ? 2 : 1;
    cells.splice(this.col, width, ch, ...(width === 2 ? [''] : []));
    this.col += width;
  }

  private line(row: number): string[] {
    while (this.rows.length <= row) this.rows.push([]);
    return this.rows[row]!;
  }

  private moveTo(row: number, col: number): void {
    this.row = Math.max(0, row);
    this.col = Math.max(0, col);
    this.line(this.row);
  }

  private control(command: string, n: number | undefined): void {
    switch (command) {
      case 'A': return this.moveTo(this.row - (n ?? 1), this.col);
      case 'B': return this.moveTo(this.row + (n ?? 1), this.col);
      case 'C': return this.moveTo(this.row, this.col + (n ?? 1));
      case 'D': return this.moveTo(this.row, this.col - (n ?? 1));
      case 'G': return this.moveTo(this.row, (n ?? 1) - 1);
      case 'J': // 0: from the cursor to the end of the screen
        if ((n ?? 0) === 0) {
          this.rows[this.row] = this.line(this.row).slice(0, this.col);
          this.rows.length = this.row + 1;
        }
        return;
      case 'K': { // 0: to the end of the line, 1: to its start, 2: all of it
        const cells = this.line(this.row);
        if ((n ?? 0) === 0) this.rows[this.row] = cells.slice(0, this.col);
        else if (n === 1) this.rows[this.row] = cells.map((cell, i) => (i <= this.col ? ' ' : cell));
        else this.rows[this.row] = [];
        return;
      }
      default: // colours and the like
    }
  }
}
