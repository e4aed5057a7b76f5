// The update progress bar of `implant ota`: redrawn in place on a terminal, one line per 10%
// elsewhere (a log, CI), nothing with --json.

function bar(done: number, total: number, resumes: number): string {
  const width = 30;
  const filled = Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${((100 * done) / total).toFixed(0).padStart(3)}% ${done}/${total} B${resumes ? `, resumed ${resumes}x` : ''}`;
}

export function progressBar(json: boolean): { show(committed: number, size: number, resumes: number): void; end(): void } {
  const interactive = !json && process.stderr.isTTY === true;
  let lastTenth = -1;
  return {
    show(committed, size, resumes) {
      if (interactive) process.stderr.write(`\r${bar(committed, size, resumes)}`);
      else if (!json && Math.floor((10 * committed) / size) > lastTenth) {
        lastTenth = Math.floor((10 * committed) / size);
        process.stderr.write(`${bar(committed, size, resumes)}\n`);
      }
    },
    end() {
      if (interactive) process.stderr.write('\n');
    },
  };
}
