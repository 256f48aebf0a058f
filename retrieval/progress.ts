/** A progress bar on stderr for long steps (model download, embedding), quiet when stderr is not a terminal. */
import cliProgress from 'cli-progress';

export class Progress {
  private readonly bar: cliProgress.SingleBar | null;
  private readonly started = Date.now();

  constructor(label: string, private readonly total: number, unit = 'items') {
    const interactive = process.stderr.isTTY && process.env.CI !== 'true';
    this.bar = interactive
      ? new cliProgress.SingleBar(
          { format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | {eta_formatted} left`, stream: process.stderr },
          cliProgress.Presets.shades_classic,
        )
      : null;
    this.bar?.start(total, 0);
    if (!this.bar) process.stderr.write(`${label}: ${total} ${unit}…\n`);
  }

  update(value: number): void {
    this.bar?.update(Math.min(value, this.total));
  }

  /** Stops the bar; returns the seconds since it started. */
  finish(): number {
    this.bar?.update(this.total);
    this.bar?.stop();
    return (Date.now() - this.started) / 1000;
  }
}
