/**
 * progressBar draws `[#####-----] 512/1000` on stderr when it is a terminal, and nothing otherwise,
 * so scripts and CI logs stay clean.
 */
export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr): { update(done: number, total: number): void; done(): void } {
  if (!stream.isTTY) return { update() {}, done() {} };
  let last = -1;
  return {
    update(done, total) {
      const width = 30;
      const filled = total ? Math.round((done / total) * width) : 0;
      if (filled === last && done !== total) return;
      last = filled;
      stream.write(`\r${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}`);
    },
    done() {
      if (last >= 0) stream.write('\n');
      last = -1;
    },
  };
}
